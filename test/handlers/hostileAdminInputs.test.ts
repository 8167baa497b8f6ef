import { HttpRequest, InvocationContext } from '@azure/functions';
import { beforeAll, describe, expect, it } from 'vitest';
import { adminHandler, adminRoutes } from '../../shared/admin/adminRoutes';
import { type InProcessJobQueue } from '../../shared/platform/queue/InProcessJobQueue';
import { type Services } from '../../shared/app/Services';
import { createTestServices } from '../support/testServices';

/**
 * The admin API as a hostile client would try it, through the real route table and real HttpRequest /
 * InvocationContext objects (what Azure and the local host hand the handlers). Every case must end in a 4xx
 * with a JSON error that says what was wrong — never a 5xx, never a stack trace — and queue no job.
 */

let services: Services & { queue: InProcessJobQueue };
beforeAll(async () => {
  services = await createTestServices();
  for (const id of ['victim', 'race-old', 'race-del']) expect((await call('putTenant', put(id, validTenant))).status).toBe(201);
});

type RouteName = (typeof adminRoutes)[number]['name'];

interface Call {
  method?: string;
  params?: Record<string, string>;
  query?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

async function call(name: RouteName, init: Call = {}) {
  const route = adminRoutes.find((r) => r.name === name)!;
  const body = init.body;
  const request = new HttpRequest({
    method: init.method ?? route.methods[0]!,
    url: `http://localhost:7071/api/${route.route}${init.query === undefined ? '' : `?${init.query}`}`,
    params: init.params ?? {},
    headers: init.headers ?? (body !== undefined ? { 'content-type': 'application/json' } : {}),
    ...(body === undefined ? {} : typeof body === 'string' ? { body: { string: body } } : { body: { bytes: body } }),
  });
  const response = await adminHandler(route, async () => services)(
    request,
    new InvocationContext({ functionName: name, invocationId: 'hostile' }),
  );
  return {
    status: response.status ?? 200,
    body: response.jsonBody as { error?: { code: string; message: string } } & Record<string, unknown>,
  };
}

const put = (id: string, body: unknown, headers?: Record<string, string>): Call => ({
  params: { id },
  body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
  ...(headers ? { headers: { 'content-type': 'application/json', ...headers } } : {}),
});

// Version 2 (secret names in the configuration) is migrated forward, so this body stays valid as the shape moves on.
const validTenant = {
  schemaVersion: 2,
  displayName: 'Contoso',
  microsoft365: {
    directoryId: '11111111-2222-3333-4444-555555555555',
    applicationId: '66666666-7777-8888-9999-000000000000',
    auth: { kind: 'certificate', certificateName: 'graph-cert' },
  },
  pbx: { kind: 'portsip', baseUrl: 'https://pbx.contoso.com:8887', domain: 'contoso.pbx', credentialSecretName: 'pbx-admin' },
};
const withSchedule = (schedule: unknown) => ({ ...validTenant, schedule });
const RUN = '1767225600000-0a1b2c3d';

/** A 4xx, a JSON error with a stable code and a message, no stack trace, and nothing queued. */
async function expectRefused(name: RouteName, init: Call, status: number, message: RegExp) {
  const before = services.queue.stats().enqueued;
  const reply = await call(name, init);
  expect(reply.status, JSON.stringify(reply.body)).toBe(status);
  expect(reply.body.error?.code).toMatch(/^[A-Z_]+$/);
  expect(reply.body.error?.message).toMatch(message);
  expect(JSON.stringify(reply.body)).not.toMatch(/\bat \S+ \(|\.ts:\d+|Error:/);
  expect(services.queue.stats().enqueued).toBe(before);
}

const hostileIds: [string, string][] = [
  ['dot-dot-slash', '../victim'],
  ['encoded slash (decoded)', 'victim/runs'],
  ['single quote (OData injection)', "victim' or PartitionKey ne '"],
  ['OData filter words', 'x eq x'],
  ['script tag', '<script>alert(1)</script>'],
  ['$where', '{"$where":"1"}'],
  ['RTL override', '\u202Emitciv'],
  ['zero-width space', 'vic\u200Btim'],
  ['emoji', 'victim😀'],
  ['byte order mark', '\uFEFFvictim'],
  ['uppercase', 'VICTIM'],
  ['empty', ''],
  ['64 characters', 'a'.repeat(64)],
  ['NUL', 'victim\u0000'],
  ['newline', 'victim\nforged log line'],
];

const idRoutes: RouteName[] = [
  'getTenant',
  'putTenant',
  'deleteTenant',
  'syncTenant',
  'listRuns',
  'getRun',
  'listRunChanges',
  'listSubscriptions',
  'maintainSubscriptions',
];

describe('hostile ids: every route with {id} answers 400 INVALID', () => {
  // Each hostile id against a route (rotating through them), so every route sees several kinds.
  const cases = hostileIds.flatMap(([label, id], i) =>
    [0, 3, 6].map((offset) => [label, idRoutes[(i + offset) % idRoutes.length]!, id] as const),
  );
  it.each(cases)('%s on %s', async (_label, route, id) => {
    const init: Call = route === 'putTenant' ? put(id, validTenant) : { params: { id, runId: RUN } };
    await expectRefused(route, init, 400, /invalid tenant id/);
  });
});

describe('hostile run ids', () => {
  it.each([
    ['getRun', '../../tenants'],
    ['getRun', "' or RowKey ne '"],
    ['listRunChanges', '<script>'],
    ['listRunChanges', '1767225600000-0A1B2C3D😀'],
  ] as const)('%s with run id %j → 400', async (route, runId) => {
    await expectRefused(route, { params: { id: 'victim', runId } }, 400, /invalid run id/);
  });
});

describe('PUT /tenants/{id}: hostile bodies', () => {
  it.each([
    ['displayName a number', { ...validTenant, displayName: 42 }, 422, /displayName/],
    ['enabled a string', { ...validTenant, enabled: 'yes' }, 422, /enabled/],
    ['an array', [validTenant], 422, /the body is invalid/],
    ['null', null, 422, /the body is invalid/],
    ['a JSON string', '"just a string"', 422, /the body is invalid/],
    ['empty object: every missing field listed', {}, 422, /displayName.*microsoft365.*pbx|microsoft365.*displayName/],
    ['an unknown field', { ...validTenant, isAdmin: true }, 422, /isAdmin|unrecognized/i],
    ['a $where field', { ...validTenant, $where: 'this.a == 1' }, 422, /\$where|unrecognized/i],
    ['a newer schemaVersion', { ...validTenant, schemaVersion: 999 }, 422, /schemaVersion|version/i],
    ['a script tag in the PBX URL', { ...validTenant, pbx: { ...validTenant.pbx, baseUrl: '<script>' } }, 422, /pbx\.baseUrl/],
    ['an empty cron', withSchedule({ cron: '' }), 422, /schedule\.cron: must not be empty/],
    ['a cron every minute', withSchedule({ cron: '* * * * *' }), 422, /schedule\.cron: .*1 minute apart.*at most every 15 minutes/],
    ['a cron every 5 minutes', withSchedule({ cron: '*/5 * * * *' }), 422, /schedule\.cron: .*5 minutes apart/],
    ['a six-field cron (seconds)', withSchedule({ cron: '0 30 0 * * *' }), 422, /schedule\.cron: must have exactly five fields/],
    ['a cron macro', withSchedule({ cron: '@hourly' }), 422, /schedule\.cron: must have exactly five fields/],
    ['a cron that is not one', withSchedule({ cron: 'rm -rf / * *' }), 422, /schedule\.cron/],
    ['a cron as a number', withSchedule({ cron: 30 }), 422, /schedule\.cron/],
    ['an unknown time zone', withSchedule({ cron: '30 0 * * *', timeZone: 'Mars/Olympus_Mons' }), 422, /schedule\.timeZone/],
  ])('%s', async (_label, body, status, message) => {
    await expectRefused('putTenant', put('newcomer', body), status, message);
  });

  it('a __proto__ key is an unknown field (422), not a prototype change', async () => {
    const body = `{"__proto__":{"polluted":true},${JSON.stringify(validTenant).slice(1)}`;
    await expectRefused('putTenant', put('newcomer', body), 422, /__proto__|unrecognized/i);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('malformed JSON → 400', async () => {
    await expectRefused('putTenant', put('newcomer', '{"displayName":'), 400, /not valid JSON/);
  });

  it('a body over 256 KiB → 413', async () => {
    await expectRefused('putTenant', put('newcomer', { ...validTenant, displayName: 'x'.repeat(300 * 1024) }), 413, /at most 262144 bytes/);
  });

  it('100,000 levels of nesting → 400, no stack overflow', async () => {
    const depth = 100_000;
    await expectRefused('putTenant', put('newcomer', `${'['.repeat(depth)}${']'.repeat(depth)}`), 400, /nested more than 64 levels/);
    const deepObject = `{"displayName":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}}`;
    await expectRefused('putTenant', put('newcomer', deepObject), 400, /nested more than 64 levels/);
    // Brackets inside strings do not count.
    await expectRefused('putTenant', put('newcomer', { displayName: '['.repeat(1000) }), 422, /microsoft365/);
  });

  it('overlong UTF-8 (C0 AE for ".") → 400 not valid UTF-8', async () => {
    const bytes = Buffer.concat([Buffer.from('{"displayName":"'), Buffer.from([0xc0, 0xae]), Buffer.from('"}')]);
    await expectRefused('putTenant', put('newcomer', new Uint8Array(bytes)), 400, /not valid UTF-8/);
  });

  it('a byte order mark is ignored (the body is then judged as JSON: 422 here, not 400)', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify({ displayName: 'no rest' }))]);
    await expectRefused('putTenant', put('newcomer', new Uint8Array(bytes)), 422, /microsoft365/);
  });

  it.each([
    ['text/plain', 415, /must be JSON/],
    ['application/x-www-form-urlencoded', 415, /must be JSON/],
    ['multipart/form-data; boundary=x', 415, /must be JSON/],
    ['application/jsonp', 415, /must be JSON/],
    ['application/json; charset=utf-16', 415, /UTF-8/],
  ])('Content-Type %s → %i', async (contentType, status, message) => {
    await expectRefused(
      'putTenant',
      { params: { id: 'newcomer' }, body: JSON.stringify(validTenant), headers: { 'content-type': contentType } },
      status,
      message,
    );
  });

  it('no Content-Type at all → 415', async () => {
    await expectRefused('putTenant', { params: { id: 'newcomer' }, body: JSON.stringify(validTenant), headers: {} }, 415, /must be JSON/);
  });

  it('an unknown query parameter → 400', async () => {
    await expectRefused('putTenant', { ...put('newcomer', validTenant), query: 'force=true' }, 400, /unknown query parameter "force"/);
  });

  it('nothing was created by any of it', async () => {
    expect(await services.tenants.get('newcomer')).toBeNull();
  });
});

describe('If-Match on PUT and DELETE', () => {
  it.each([
    ['garbage (unquoted)', 'garbage'],
    ['empty', ''],
    ['an open quote', '"abc'],
    ['W/ without a tag', 'W/'],
    ['* inside a list', '*, "a"'],
  ])('PUT with a malformed If-Match (%s) → 400', async (_label, ifMatch) => {
    await expectRefused('putTenant', put('victim', validTenant, { 'if-match': ifMatch }), 400, /If-Match/);
  });

  it('PUT with a well-formed but stale If-Match ("garbage") → 412, and the tenant is unchanged', async () => {
    const before = await services.tenants.get('victim');
    await expectRefused(
      'putTenant',
      put('victim', { ...validTenant, displayName: 'Hijacked' }, { 'if-match': '"garbage"' }),
      412,
      /If-Match does not match/,
    );
    expect((await services.tenants.get('victim'))?.etag).toBe(before?.etag);
  });

  it('PUT with If-Match for a tenant that does not exist → 412', async () => {
    await expectRefused('putTenant', put('ghost', validTenant, { 'if-match': '*' }), 412, /does not exist/);
  });

  it('DELETE with a malformed If-Match → 400; with a stale one → 412; the tenant stays', async () => {
    await expectRefused('deleteTenant', { params: { id: 'victim' }, headers: { 'if-match': 'garbage' } }, 400, /If-Match/);
    await expectRefused('deleteTenant', { params: { id: 'victim' }, headers: { 'if-match': 'W/"stale"' } }, 412, /If-Match does not match/);
    expect(await services.tenants.get('victim')).not.toBeNull();
  });

  it('PUT with If-Match: * replaces an existing tenant; with its current ETag (weak or not) too', async () => {
    expect((await call('putTenant', put('victim', validTenant, { 'if-match': '*' }))).status).toBe(200);
    const etag = (await services.tenants.get('victim'))!.etag;
    expect((await call('putTenant', put('victim', validTenant, { 'if-match': `"x", ${etag}` }))).status).toBe(200);
    const next = (await services.tenants.get('victim'))!.etag;
    expect((await call('putTenant', put('victim', validTenant, { 'if-match': next.replace(/^W\//, '') }))).status).toBe(200);
  });
});

describe('query parameters: wrong types, duplicates, unknown names', () => {
  it.each([
    ['listRuns', 'limit=1&limit=100', /limit is given more than once/],
    ['listRuns', 'limit=-1', /limit must be an integer/],
    ['listRuns', 'limit=1e2', /limit must be an integer/],
    ['listRuns', 'limit=0x10', /limit must be an integer/],
    ['listRuns', 'limit=101', /limit must be an integer/],
    ['listRuns', 'limit=%20%205', /limit must be an integer/],
    ['listRuns', 'top=5', /unknown query parameter "top"/],
    ['syncTenant', 'mode=full&mode=delta', /mode is given more than once/],
    ['syncTenant', 'dryRun=true&dryRun=false', /dryRun is given more than once/],
    ['syncTenant', 'dryrun=true', /unknown query parameter "dryrun"/],
    ['syncTenant', 'mode=FULL', /mode must be full or delta/],
    ['syncTenant', 'dryRun=yes', /dryRun must be true or false/],
    ['syncTenant', 'feature=../users', /feature must be one of/],
    ['syncTenant', "feature=users' or '1", /feature must be one of/],
    ['listRunChanges', 'continuationToken=%3Cscript%3E', /continuationToken is not valid/],
    ['listRunChanges', 'outcome=<script>', /unknown outcome/],
    ['listRunChanges', 'limit=1&limit=2', /limit is given more than once/],
    ['listRunChanges', `q=${'x'.repeat(5000)}`, /q must be at most/],
    ['listRunChanges', '$filter=PartitionKey%20ne%20%27%27', /unknown query parameter "\$filter"/],
    ['getRun', 'expand=all', /unknown query parameter/],
    ['listSubscriptions', 'clientState=1', /unknown query parameter/],
    ['maintainSubscriptions', 'now=1', /unknown query parameter/],
  ] as const)('%s ?%s → 400', async (route, query, message) => {
    await expectRefused(route, { params: { id: 'victim', runId: RUN }, query }, 400, message);
  });
});

describe('tenants and runs that do not exist → 404, nothing queued', () => {
  it.each([
    ['syncTenant', { params: { id: 'ghost' } }],
    ['syncTenant', { params: { id: 'ghost' }, query: 'dryRun=true' }],
    ['maintainSubscriptions', { params: { id: 'ghost' } }],
    ['listRuns', { params: { id: 'ghost' } }],
    ['getRun', { params: { id: 'victim', runId: RUN } }],
    ['listRunChanges', { params: { id: 'victim', runId: RUN } }],
    ['listSubscriptions', { params: { id: 'ghost' } }],
    ['getTenant', { params: { id: 'ghost' } }],
    ['deleteTenant', { params: { id: 'ghost' } }],
  ] as const)('%s %j', async (route, init) => {
    await expectRefused(route, init, 404, /does not exist/);
  });
});

describe('concurrency: one writer wins, the others get 409/412, never 5xx', () => {
  it('10 parallel PUTs of one new tenant: one 201, the others 409 (or 200: a replace after it), never 5xx', async () => {
    const before = services.queue.stats().enqueued;
    const replies = await Promise.all(Array.from({ length: 10 }, () => call('putTenant', put('race-new', validTenant))));
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.every((s) => s === 201 || s === 200 || s === 409)).toBe(true);
    for (const reply of replies.filter((r) => r.status === 409)) expect(reply.body.error?.message).toMatch(/already exists/);
    // One subscription-maintenance job per stored version, none for the refused ones.
    expect(services.queue.stats().enqueued - before).toBe(statuses.filter((s) => s < 300).length);
  });

  it('10 parallel replaces with the same If-Match: one 200, nine 412', async () => {
    const etag = (await services.tenants.get('race-old'))!.etag;
    const replies = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        call('putTenant', put('race-old', { ...validTenant, displayName: `writer ${i}` }, { 'if-match': etag })),
      ),
    );
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses).toEqual([200, ...Array<number>(9).fill(412)]);
    for (const reply of replies.filter((r) => r.status === 412)) expect(reply.body.error?.message).toMatch(/changed/);
  });

  it('5 parallel deletes: one 204, the others 404 or 412, never 5xx', async () => {
    const replies = await Promise.all(Array.from({ length: 5 }, () => call('deleteTenant', { params: { id: 'race-del' } })));
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 204)).toHaveLength(1);
    expect(statuses.every((s) => s === 204 || s === 404 || s === 412)).toBe(true);
  });
});

describe('secrets stay out of answers', () => {
  it('GET /tenants and GET /tenants/{id} show no secret value (any token, password or secret reads "***")', async () => {
    const list = await call('listTenants');
    const one = await call('getTenant', { params: { id: 'victim' } });
    for (const body of [list.body, one.body]) {
      const secrets = [...JSON.stringify(body).matchAll(/"(token|password|secret|clientSecret)":"([^"]*)"/gi)].map((m) => m[2]);
      expect(secrets.every((value) => value === '***')).toBe(true);
    }
  });
});

describe('POST /tenants/{id}/subscriptions/maintain ×20', () => {
  it('queues one job per tenant and minute, and answers 202 with that job id every time', async () => {
    const intoWindow = Date.now() % 60_000;
    if (intoWindow > 55_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoWindow + 50));
    const before = services.queue.stats().enqueued;
    const replies = await Promise.all(Array.from({ length: 20 }, () => call('maintainSubscriptions', { params: { id: 'victim' } })));
    expect(replies.every((r) => r.status === 202)).toBe(true);
    const jobIds = new Set(replies.map((r) => r.body.jobId));
    expect(jobIds.size).toBe(1);
    expect([...jobIds][0]).toMatch(/^maintain:victim:manual-/);
    expect(services.queue.stats().enqueued - before).toBe(1);
  });
});
