import { randomUUID } from 'node:crypto';
import { HttpRequest, InvocationContext } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { clientStateHash } from '../../shared/graph/clientState';
import { webhookRoutes } from '../../shared/notifications/webhookRoutes';
import { TEST_DIRECTORY_ID, subscriptionRecord } from '../support/subscriptionRecord';
import { tableFreeIntake } from '../support/recordingDeltaRequests';

/**
 * Hostile input against both anonymous webhook endpoints, through the real handler with real HttpRequest
 * and InvocationContext objects: every answer is 2xx or 4xx with a clear message (never 5xx), fast, and
 * nothing forged reaches the queue or more than a bounded number of table reads.
 */
const REAL = '7e0d2c4a-9f1b-4c3d-8e5f-a1b2c3d4e5f6';
const STATE = 'the-real-client-state-0123456789abcdefghijkl';
const record = subscriptionRecord({ subscriptionId: REAL, clientStateHash: clientStateHash(STATE) });

function setup() {
  const reads: string[] = [];
  const { handler, queue } = tableFreeIntake((id) => {
    reads.push(id);
    return id === REAL ? record : null;
  });
  return { handler, queue, reads };
}

interface Call {
  method?: string;
  query?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

const JSON_HEADERS = { 'content-type': 'application/json' };
const realItem = (overrides: Record<string, unknown> = {}) => ({
  subscriptionId: REAL,
  subscriptionExpirationDateTime: '2026-12-20T00:00:00Z',
  changeType: 'updated',
  resource: 'Users/8a0d1e52-3c4b-4d6e-9f70-112233445566',
  resourceData: { id: '8a0d1e52-3c4b-4d6e-9f70-112233445566' },
  clientState: STATE,
  tenantId: TEST_DIRECTORY_ID,
  ...overrides,
});
const forgedItem = (overrides: Record<string, unknown> = {}) =>
  realItem({ subscriptionId: randomUUID(), clientState: randomUUID(), tenantId: randomUUID(), ...overrides });
const batch = (...items: unknown[]) => JSON.stringify({ value: items });
const nested = (depth: number, open: string, close: string, inner = '0') => `${open.repeat(depth)}${inner}${close.repeat(depth)}`;

// [name, request, expected status — or the statuses allowed where the shared JSON body reader decides (its depth
// and encoding checks answer 400 where JSON.parse would pass the body on)]
const hostile: [string, Call, number | number[]][] = [
  ['a text/plain body', { headers: { 'content-type': 'text/plain' }, body: batch(forgedItem()) }, 415],
  ['no content type', { headers: {}, body: batch(forgedItem()) }, 415],
  ['application/jsonp', { headers: { 'content-type': 'application/jsonp' }, body: batch(forgedItem()) }, 415],
  ['a form-encoded body', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'value=1' }, 415],
  ['malformed JSON', { body: '{"value": [' }, 400],
  ['an empty body', { body: '' }, 400],
  ['JSON null', { body: 'null' }, 422],
  ['a JSON number', { body: '42' }, 422],
  ['a JSON string', { body: '"value"' }, 422],
  ['a top-level array of items', { body: JSON.stringify([realItem()]) }, 422],
  ['an empty object', { body: '{}' }, 422],
  ['value: null', { body: '{"value": null}' }, 422],
  ['value as an object', { body: '{"value": {"0": {}}}' }, 422],
  ['value as a string', { body: '{"value": "items"}' }, 422],
  ['an empty batch', { body: '{"value": []}' }, 422],
  ['items that are numbers', { body: '{"value": [1, 2, 3]}' }, 422],
  ['items that are null', { body: '{"value": [null, null]}' }, 422],
  ['arrays nested 50,000 deep', { body: `{"value": [${nested(50_000, '[', ']')}]}` }, [400, 422]],
  ['objects nested 50,000 deep in an item', { body: `{"value": [${nested(50_000, '{"a":', '}', '{}')}]}` }, [400, 422]],
  [
    'a forged item with resourceData nested 10,000 deep',
    { body: batch(forgedItem({ resourceData: 'DEEP' })).replace('"DEEP"', nested(10_000, '{"a":', '}', '{}')) },
    [202, 400],
  ],
  ['a body over 1 MiB', { body: batch(forgedItem({ padding: 'x'.repeat(1024 * 1024) })) }, 413],
  [
    'a declared content-length of 10 MB',
    { headers: { ...JSON_HEADERS, 'content-length': String(10 * 1024 * 1024) }, body: batch(forgedItem()) },
    413,
  ],
  ['1,001 items', { body: batch(...Array.from({ length: 1001 }, () => forgedItem())) }, 413],
  ['1,000 forged subscription ids', { body: batch(...Array.from({ length: 1000 }, () => forgedItem())) }, 202],
  ['subscriptionId "x/y" (not a valid table key)', { body: batch(forgedItem({ subscriptionId: 'x/y' })) }, 422],
  ['a subscriptionId with a CRLF and a forged log line', { body: batch(forgedItem({ subscriptionId: `${REAL}\r\nINFO forged` })) }, 422],
  ['an OData injection as subscriptionId', { body: batch(forgedItem({ subscriptionId: "' or PartitionKey ne '" })) }, 422],
  ['a GUID with a Cyrillic homoglyph', { body: batch(forgedItem({ subscriptionId: REAL.replace('a', '\u0430') })) }, 422],
  [
    'a GUID in full-width digits',
    { body: batch(forgedItem({ subscriptionId: REAL.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d))) })) },
    422,
  ],
  ['a number as subscriptionId', { body: batch(forgedItem({ subscriptionId: 1e308 })) }, 422],
  ['a tenantId that is not a GUID', { body: batch(forgedItem({ tenantId: 'contoso' })) }, 422],
  ['a clientState of 129 characters', { body: batch(realItem({ clientState: 'c'.repeat(129) })) }, 422],
  ['a clientState that is a query operator object', { body: batch(realItem({ clientState: { $ne: null } })) }, 422],
  ['an unknown lifecycle event', { body: batch(realItem({ lifecycleEvent: 'tenantDeleted' })) }, 422],
  ['the real subscription without its clientState', { body: batch(realItem({ clientState: undefined })) }, 202],
  ['the real subscription with an emoji and RTL-override clientState', { body: batch(realItem({ clientState: '😀\u202eetats' })) }, 202],
  [
    'the real subscription with a forged lifecycle event',
    { body: batch(realItem({ clientState: 'guess', lifecycleEvent: 'subscriptionRemoved' })) },
    202,
  ],
  [
    'the real subscription and clientState-less item naming another tenant',
    { body: batch(realItem({ tenantId: randomUUID(), clientState: 'x' })) },
    202,
  ],
  ['a path-traversal resource on a forged id', { body: batch(forgedItem({ resource: '../../api/tenants/demo' })) }, 202],
  [
    'an item with 10,000 extra fields',
    { body: batch({ ...forgedItem(), ...Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`f${i}`, i])) }) },
    202,
  ],
  [
    'a __proto__ pollution attempt',
    { body: `{"value": [{"__proto__": {"polluted": true}, "subscriptionId": "${randomUUID()}", "tenantId": "${randomUUID()}"}]}` },
    202,
  ],
  [
    'duplicate keys (the real id first, a forged one last)',
    {
      body: `{"value": [{"subscriptionId": "${REAL}", "subscriptionId": "${randomUUID()}", "clientState": "${STATE}", "tenantId": "${TEST_DIRECTORY_ID}"}]}`,
    },
    202,
  ],
  ['a UTF-16LE body', { body: Buffer.from(batch(forgedItem()), 'utf16le') }, 400],
  ['a body starting with a byte-order mark', { body: `\ufeff${batch(forgedItem())}` }, [202, 400]],
  [
    'invalid UTF-8 bytes',
    { body: Buffer.concat([Buffer.from('{"value": ["'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"]}')]) },
    [400, 422],
  ],
  ['a UTF-16 charset', { headers: { 'content-type': 'application/json; charset=utf-16' }, body: batch(forgedItem()) }, [202, 415]],
  ['a NUL byte inside the JSON', { body: `{"value": [\u0000]}` }, 400],
  ['GET', { method: 'GET' }, 400],
  ['PUT with a batch', { method: 'PUT', body: batch(realItem()) }, 400],
  ['DELETE', { method: 'DELETE' }, 400],
  ['a validation token on GET (not reflected)', { method: 'GET', query: '?validationToken=%3Cscript%3E' }, 400],
  ['two validation tokens', { query: '?validationToken=a&validationToken=b' }, 400],
  ['an empty validation token', { query: '?validationToken=' }, 400],
  ['a 3,000-character validation token', { query: `?validationToken=${'t'.repeat(3000)}` }, 400],
];

describe.each(webhookRoutes.map((r) => [r.route, r.name] as const))('hostile input to POST /api/%s', (route, functionName) => {
  const call = async ({ handler }: ReturnType<typeof setup>, init: Call) => {
    const request = new HttpRequest({
      method: init.method ?? 'POST',
      url: `https://fn.example/api/${route}${init.query ?? ''}`,
      headers: init.headers ?? JSON_HEADERS,
      ...(init.body === undefined ? {} : { body: typeof init.body === 'string' ? { string: init.body } : { bytes: init.body } }),
    });
    const started = performance.now();
    const response = await handler(request, new InvocationContext({ functionName, invocationId: 'hostile', logHandler: () => undefined }));
    return { response, ms: performance.now() - started };
  };

  it(`has at least 30 cases`, () => {
    expect(hostile.length).toBeGreaterThanOrEqual(30);
  });

  it.each(hostile)('%s → %s, a clear answer, nothing queued', async (_name, init, expected) => {
    const rig = setup();
    const { response, ms } = await call(rig, init);
    const status = response.status ?? 200;
    expect(status).toBeLessThan(500);
    expect(Array.isArray(expected) ? expected : [expected]).toContain(status);
    expect(ms).toBeLessThan(2000);
    if (status >= 400) {
      const message =
        typeof response.body === 'string' ? response.body : (response.jsonBody as { error?: { message?: string } }).error?.message;
      expect(message).toEqual(expect.stringMatching(/\w{3,}/));
    } else {
      expect(response.jsonBody).toMatchObject({ accepted: 0, jobsEnqueued: 0 });
    }
    expect(rig.queue.stats().enqueued).toBe(0);
    expect(rig.reads.length).toBeLessThanOrEqual(16);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a bad item beside a real one: the real one is still queued (202)', async () => {
    const rig = setup();
    const { response } = await call(rig, {
      body: batch({ subscriptionId: 'x/y' }, forgedItem(), realItem(), 'junk', forgedItem({ subscriptionId: `${REAL}\n` })),
    });
    expect(response.status).toBe(202);
    expect(response.jsonBody).toEqual({ accepted: 1, dropped: { invalid: 3, unknownSubscription: 1 }, jobsEnqueued: 1 });
    expect(rig.queue.stats().enqueued).toBe(1);
  });

  it('the "x/y" batch of the finding is answered at once, and its real neighbour kept', async () => {
    const rig = setup();
    const { response, ms } = await call(rig, { body: batch(forgedItem({ subscriptionId: 'x/y' }), realItem()) });
    expect(response.status).toBe(202);
    expect(ms).toBeLessThan(200);
    expect(rig.reads).toEqual([REAL]);
  });

  it('1,000 forged ids cost at most 16 table reads and are all reported dropped', async () => {
    const rig = setup();
    const { response } = await call(rig, { body: batch(...Array.from({ length: 1000 }, () => forgedItem())) });
    expect(response.jsonBody).toEqual({ accepted: 0, dropped: { unknownSubscription: 16, readLimit: 984 }, jobsEnqueued: 0 });
    expect(rig.reads).toHaveLength(16);
  });

  it('the validation handshake still answers with exactly its token', async () => {
    const rig = setup();
    const token = 'Validation: Testing client application reachability for subscription Request-Id: 1';
    const { response } = await call(rig, { query: `?validationToken=${encodeURIComponent(token)}`, headers: {} });
    expect(response.status).toBe(200);
    expect(response.body).toBe(token);
  });
});
