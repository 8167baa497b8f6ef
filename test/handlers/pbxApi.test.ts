import { HttpRequest, type HttpResponseInit, InvocationContext } from '@azure/functions';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { adminHandler, adminRoutes } from '../../shared/admin/adminRoutes';
import { type Services } from '../../shared/app/Services';
import { hashPbxKey } from '../../shared/pbxApi/pbxKeys';
import { rotatePbxKey } from '../../shared/pbxApi/rotatePbxKey';
import { pbxHandler, pbxRoutes } from '../../shared/pbxApi/pbxRoutes';
import { GraphSandbox, demoCompany } from '../../sandbox/graph';
import { PortSipSandbox } from '../../sandbox/portsip';
import { capturingLogger } from '../support/capturingLogger';
import { createSandboxTenant } from '../support/sandboxTenant';
import { createTestServices } from '../support/testServices';
import { tenantConfig } from '../integration/platform/tables/storeTestTables';

type Answer = { status: number; body: Record<string, any>; headers: Record<string, string> };

/** Everything any PBX or key route answered or logged, checked at the end for keys and hashes. */
const seen: string[] = [];
/** Keys the admin route issued (each may appear in its one 201 answer), and keys issued in code (nowhere). */
const issuedKeys: string[] = [];
const codeIssuedKeys: string[] = [];
const { logger, records } = capturingLogger();

let services: Services;
let enqueue: ReturnType<typeof vi.fn>;
let clock = new Date('2026-03-01T08:00:00.000Z');
/** Each sync request happens two minutes after the last unless a test says otherwise (the rate limit is 1/min). */
const later = (ms = 120_000) => (clock = new Date(clock.getTime() + ms));

function answerOf(response: HttpResponseInit): Answer {
  const answer = {
    status: response.status ?? 200,
    body: (response.jsonBody ?? {}) as Record<string, any>,
    headers: (response.headers ?? {}) as Record<string, string>,
  };
  seen.push(JSON.stringify(answer));
  return answer;
}

async function admin(name: string, init: { method: string; params: Record<string, string>; query?: string }): Promise<Answer> {
  const route = adminRoutes.find((r) => r.name === name)!;
  const request = new HttpRequest({
    method: init.method,
    url: `http://localhost:7071/api/x${init.query ? `?${init.query}` : ''}`,
    params: init.params,
  });
  // The admin routes log through the invocation: its lines are kept for the final check too.
  const context = new InvocationContext({
    functionName: name,
    invocationId: 'test',
    logHandler: (_level, ...args) => void seen.push(args.join(' ')),
  });
  return answerOf(await adminHandler(route, async () => services)(request, context));
}

async function issueKey(tenantId: string): Promise<{ key: string; keyId: string }> {
  const res = await admin('createPbxKey', { method: 'POST', params: { id: tenantId } });
  expect(res.status).toBe(201);
  issuedKeys.push(res.body.key);
  return { key: res.body.key, keyId: res.body.keyId };
}

interface PbxCall {
  method?: string;
  tenantId?: string;
  query?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  svc?: Services;
}

async function pbx(name: 'pbxSync' | 'pbxStatus', init: PbxCall = {}): Promise<Answer> {
  const route = pbxRoutes.find((r) => r.name === name)!;
  const method = init.method ?? route.methods[0]!;
  const request = new HttpRequest({
    method,
    url: `http://localhost:7071/api/pbx/x/${name === 'pbxSync' ? 'sync' : 'status'}${init.query ? `?${init.query}` : ''}`,
    params: { tenantId: init.tenantId ?? 'alpha' },
    headers: init.headers ?? {},
    ...(init.body === undefined ? {} : { body: typeof init.body === 'string' ? { string: init.body } : { bytes: init.body } }),
  });
  const svc = init.svc ?? services;
  const handler = pbxHandler(route, async () => svc, { logger: () => logger, now: () => clock });
  return answerOf(await handler(request, new InvocationContext({ functionName: name, invocationId: 'test' })));
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

let alpha: { key: string; keyId: string };
let beta: { key: string; keyId: string };

beforeAll(async () => {
  services = await createTestServices();
  for (const id of ['alpha', 'beta', 'gamma', 'doomed']) await services.tenants.create(id, tenantConfig());
  alpha = await issueKey('alpha');
  beta = await issueKey('beta');
});

beforeEach(() => {
  enqueue = vi.fn(services.queue.enqueue.bind(services.queue));
  services.queue.enqueue = enqueue;
});

async function runCount(tenantId: string): Promise<number> {
  return (await services.runs.list(tenantId, 100)).length;
}

describe('admin routes for PBX keys', () => {
  it('issues a key once (201, no-store), lists ids without keys or hashes, revokes by id', async () => {
    const issued = await admin('createPbxKey', { method: 'POST', params: { id: 'gamma' } });
    issuedKeys.push(issued.body.key);
    expect(issued.status).toBe(201);
    expect(issued.headers['cache-control']).toBe('no-store');
    expect(issued.body.key).toMatch(/^pbxk_[A-Za-z0-9_-]{43}$/);
    expect(issued.body.keyId).toMatch(/^[0-9a-f]{16}$/);
    const listed = await admin('listPbxKeys', { method: 'GET', params: { id: 'gamma' } });
    expect(listed.status).toBe(200);
    expect(listed.body.value).toEqual([
      { keyId: issued.body.keyId, status: 'current', createdAt: issued.body.createdAt, lastUsedAt: null },
    ]);
    expect(JSON.stringify(listed)).not.toContain(issued.body.key);
    expect(JSON.stringify(listed)).not.toContain(hashPbxKey(issued.body.key));
    expect((await admin('revokePbxKey', { method: 'DELETE', params: { id: 'gamma', keyId: issued.body.keyId } })).status).toBe(204);
    expect((await admin('revokePbxKey', { method: 'DELETE', params: { id: 'gamma', keyId: issued.body.keyId } })).status).toBe(404);
  });

  it('refuses bad key ids (400), unknown tenants (404) and query parameters (400)', async () => {
    expect((await admin('revokePbxKey', { method: 'DELETE', params: { id: 'gamma', keyId: '../x' } })).status).toBe(400);
    expect((await admin('revokePbxKey', { method: 'DELETE', params: { id: 'gamma', keyId: 'ABCDEF0123456789' } })).status).toBe(400);
    expect((await admin('createPbxKey', { method: 'POST', params: { id: 'nobody' } })).status).toBe(404);
    expect((await admin('listPbxKeys', { method: 'GET', params: { id: 'nobody' } })).status).toBe(404);
    expect((await admin('createPbxKey', { method: 'POST', params: { id: 'Bad Id' } })).status).toBe(400);
    expect((await admin('createPbxKey', { method: 'POST', params: { id: 'gamma' }, query: 'count=5' })).status).toBe(400);
    expect(await services.pbxKeys.listForTenant('nobody')).toEqual([]);
  });
});

describe('PBX routes, authenticated', () => {
  it('queues a sync for the key’s own tenant: 202, the runs, one job, and the location of its status', async () => {
    later();
    const before = await runCount('alpha');
    const res = await pbx('pbxSync', { headers: bearer(alpha.key) });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'queued', mode: 'full', location: '/api/pbx/alpha/status' });
    expect(res.headers.location).toBe('/api/pbx/alpha/status');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(enqueue).toHaveBeenCalledTimes(1);
    expect(await runCount('alpha')).toBe(before + 1);
    expect((await services.runs.get('alpha', res.body.runId))?.trigger).toBe('pbx');
  });

  it('takes mode and feature like the admin "Sync now", by either header, with an empty or {} body', async () => {
    later();
    const delta = await pbx('pbxSync', { query: 'mode=delta&feature=users', headers: { 'x-api-key': alpha.key } });
    expect(delta.status).toBe(202);
    expect(delta.body.mode).toBe('delta');
    later();
    const empty = await pbx('pbxSync', { headers: { ...bearer(alpha.key), 'content-type': 'application/json' }, body: '{}' });
    expect(empty.status).toBe(202);
    expect(enqueue).toHaveBeenCalledTimes(2);
  });

  it('shows the status: newest runs and subscription health, no configuration, issues or secrets', async () => {
    const res = await pbx('pbxStatus', { headers: bearer(alpha.key), query: 'limit=2' });
    expect(res.status).toBe(200);
    expect(res.body.tenantId).toBe('alpha');
    expect(res.body.runs).toHaveLength(2);
    expect(Object.keys(res.body.runs[0]).sort()).toEqual(
      [
        'counts',
        'dryRun',
        'durationMs',
        'feature',
        'finishedAt',
        'issueCount',
        'itemsRead',
        'mode',
        'queuedAt',
        'runId',
        'startedAt',
        'status',
        'trigger',
      ].sort(),
    );
    expect(res.body.subscriptions).toEqual({ notificationsEnabled: false, health: 'off', count: 0, value: [] });
    const text = JSON.stringify(res.body);
    for (const forbidden of ['microsoft365', 'pbx.contoso', 'directoryId', 'issues', 'clientState', 'secret'])
      expect(text).not.toContain(forbidden);
  });

  it('records when a key was last used, to the hour', async () => {
    await pbx('pbxStatus', { headers: bearer(beta.key), tenantId: 'beta' });
    const listed = await admin('listPbxKeys', { method: 'GET', params: { id: 'beta' } });
    const hour = new Date(Math.floor(clock.getTime() / 3_600_000) * 3_600_000).toISOString();
    expect(listed.body.value[0].lastUsedAt).toBe(hour);
  });

  it('rate-limits syncs per key: 100 presses queue one run, the rest get 429 with Retry-After; a dry run has its own slot', async () => {
    later();
    const before = await runCount('beta');
    const answers: Answer[] = [];
    for (let i = 0; i < 100; i++) {
      answers.push(await pbx('pbxSync', { tenantId: 'beta', headers: bearer(beta.key) }));
      later(100);
    }
    expect(answers[0]!.status).toBe(202);
    expect(answers.slice(1).every((a) => a.status === 429)).toBe(true);
    expect(answers[1]!.headers['retry-after']).toBe('60');
    expect(Number(answers[99]!.headers['retry-after'])).toBeLessThanOrEqual(51);
    expect(answers[1]!.body.error.code).toBe('THROTTLED');
    expect(enqueue).toHaveBeenCalledTimes(1);
    expect(await runCount('beta')).toBe(before + 1);
    later(60_000);
    expect((await pbx('pbxSync', { tenantId: 'beta', headers: bearer(beta.key) })).status).toBe(202);
    expect(enqueue).toHaveBeenCalledTimes(2);
  });

  it('gives the slot back when the sync itself is refused (a disabled tenant), so nothing is queued and a retry is not throttled', async () => {
    await services.tenants.create('off', tenantConfig({ enabled: false }));
    const offKey = await issueKey('off');
    later();
    const first = await pbx('pbxSync', { tenantId: 'off', headers: bearer(offKey.key) });
    expect(first.status).toBe(409);
    const second = await pbx('pbxSync', { tenantId: 'off', headers: bearer(offKey.key) });
    expect(second.status).toBe(409);
    expect(enqueue).not.toHaveBeenCalled();
  });
});

describe('PBX routes, hostile input: the right 4xx, never 5xx, nothing queued', () => {
  const malformed = (name: string, headers: Record<string, string>) => ({ name, headers });
  const key = () => alpha.key;

  const unauthenticated: (() => { name: string; headers: Record<string, string> })[] = [
    () => malformed('no key', {}),
    () => malformed('Basic auth', { authorization: `Basic ${Buffer.from(`alpha:${key()}`).toString('base64')}` }),
    () => malformed('Bearer without a token', { authorization: 'Bearer' }),
    () => malformed('Bearer with spaces only', { authorization: 'Bearer    ' }),
    () => malformed('two tokens', { authorization: `Bearer ${key()} ${key()}` }),
    () => malformed('two Authorization values', { authorization: `Bearer ${key()}, Bearer ${key()}` }),
    () => malformed('token without the prefix', { authorization: `Bearer ${key().slice(5)}` }),
    () => malformed('wrong prefix', { authorization: `Bearer ${key().replace('pbxk_', 'pbxq_')}` }),
    () => malformed('one character short', { 'x-api-key': key().slice(0, -1) }),
    () => malformed('one character long', { 'x-api-key': `${key()}A` }),
    () => malformed('both headers', { authorization: `Bearer ${key()}`, 'x-api-key': key() }),
    () => malformed('both headers, one bad', { authorization: 'Bearer nope', 'x-api-key': key() }),
    () => malformed('huge header', { authorization: `Bearer ${'A'.repeat(64 * 1024)}` }),
    () => malformed('garbage', { 'x-api-key': '\u00ff\u00fe<script>alert(1)</script>' }),
    () => malformed('well-formed but unknown', { authorization: `Bearer pbxk_${'A'.repeat(43)}` }),
    () => malformed('key in the wrong header', { 'x-functions-key': key() }),
    () => malformed('hash instead of key', { authorization: `Bearer ${hashPbxKey(key())}` }),
  ];

  it.each(unauthenticated.map((make, i) => [i, make] as const))('case %i: refused with 401 and a challenge', async (_i, make) => {
    const { headers } = make();
    for (const name of ['pbxSync', 'pbxStatus'] as const) {
      later();
      const res = await pbx(name, { headers });
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="pbx"/);
      expect(res.body.error.code).toBe('UNAUTHORIZED');
    }
    expect(enqueue).not.toHaveBeenCalled();
  });

  it('a key in the query string is never read', async () => {
    const res = await pbx('pbxSync', { query: `apiKey=${encodeURIComponent(alpha.key)}` });
    expect(res.status).toBe(401);
    expect(enqueue).not.toHaveBeenCalled();
  });

  it('an invalid key gets the same 401 on an existing tenant, a missing one and a malformed id (tenant ids do not leak)', async () => {
    const unknown = bearer(`pbxk_${'B'.repeat(43)}`);
    const answers = [];
    for (const tenantId of ['alpha', 'no-such-tenant', '../alpha', 'ålpha'])
      answers.push(await pbx('pbxSync', { tenantId, headers: unknown }));
    for (const a of answers)
      expect({ status: a.status, body: a.body, challenge: a.headers['www-authenticate'] }).toEqual({
        status: 401,
        body: answers[0]!.body,
        challenge: 'Bearer realm="pbx", error="invalid_token"',
      });
    const none = [await pbx('pbxStatus', { tenantId: 'alpha' }), await pbx('pbxStatus', { tenantId: 'no-such-tenant' })];
    expect(none[0]!.body).toEqual(none[1]!.body);
    expect(enqueue).not.toHaveBeenCalled();
  });

  it('a valid key of tenant A on tenant B is 403, on a tenant that does not exist too', async () => {
    later();
    for (const tenantId of ['beta', 'no-such-tenant']) {
      for (const name of ['pbxSync', 'pbxStatus'] as const) {
        const res = await pbx(name, { tenantId, headers: bearer(alpha.key) });
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('FORBIDDEN');
        expect(res.headers['www-authenticate']).toBeUndefined();
      }
    }
    expect(enqueue).not.toHaveBeenCalled();
  });

  it.each([
    ['../alpha'],
    ['alpha%2Fsync'],
    ['alpha/sync'],
    ['ALPHA'],
    ['ålpha'],
    ['alpha\u0000'],
    [''],
    ['a'.repeat(64)],
    ['-alpha'],
    ['alpha '],
  ])('a malformed tenant id %j is 400 for a key holder (401 without a key)', async (tenantId) => {
    later();
    const res = await pbx('pbxSync', { tenantId, headers: bearer(alpha.key) });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/invalid tenant id/);
    expect(JSON.stringify(res.body)).not.toContain('\u0000');
    expect((await pbx('pbxSync', { tenantId })).status).toBe(401);
    expect(enqueue).not.toHaveBeenCalled();
  });

  it('a revoked key is 401; the previous key works after one rotation and not after two', async () => {
    const first = await issueKey('gamma');
    const second = await issueKey('gamma');
    later();
    expect((await pbx('pbxSync', { tenantId: 'gamma', headers: bearer(first.key) })).status).toBe(202);
    later();
    expect((await pbx('pbxStatus', { tenantId: 'gamma', headers: bearer(second.key) })).status).toBe(200);
    await issueKey('gamma');
    later();
    const after = await pbx('pbxSync', { tenantId: 'gamma', headers: bearer(first.key) });
    expect(after.status).toBe(401);
    expect((await pbx('pbxStatus', { tenantId: 'gamma', headers: bearer(second.key) })).status).toBe(200);
    expect((await admin('revokePbxKey', { method: 'DELETE', params: { id: 'gamma', keyId: second.keyId } })).status).toBe(204);
    expect((await pbx('pbxStatus', { tenantId: 'gamma', headers: bearer(second.key) })).status).toBe(401);
    expect(enqueue).toHaveBeenCalledTimes(1);
  });

  it('the key of a deleted tenant stops working (401)', async () => {
    const doomed = await issueKey('doomed');
    expect((await admin('deleteTenant', { method: 'DELETE', params: { id: 'doomed' } })).status).toBe(204);
    later();
    expect((await pbx('pbxSync', { tenantId: 'doomed', headers: bearer(doomed.key) })).status).toBe(401);
    expect(enqueue).not.toHaveBeenCalled();
  });

  it.each([
    ['GET', 'pbxSync'],
    ['PUT', 'pbxSync'],
    ['DELETE', 'pbxSync'],
    ['POST', 'pbxStatus'],
    ['PATCH', 'pbxStatus'],
  ] as const)('%s on %s is 405 with Allow, before anything else', async (method, name) => {
    const res = await pbx(name, { method, headers: bearer(alpha.key) });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe(name === 'pbxSync' ? 'POST' : 'GET');
    expect(enqueue).not.toHaveBeenCalled();
  });

  it.each([
    ['pbxSync', 'mode=sideways'],
    ['pbxSync', 'dryRun=maybe'],
    ['pbxSync', 'feature=nope'],
    ['pbxSync', 'mode=full&mode=delta'],
    ['pbxSync', 'dryrun=true'],
    ['pbxSync', 'mode=%00'],
    ['pbxStatus', 'limit=0'],
    ['pbxStatus', 'limit=21'],
    ['pbxStatus', 'limit=abc'],
    ['pbxStatus', 'limit=1e1'],
    ['pbxStatus', 'verbose=true'],
  ] as const)('%s?%s is 400', async (name, query) => {
    later();
    const res = await pbx(name, { query, headers: bearer(alpha.key) });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID');
    expect(enqueue).not.toHaveBeenCalled();
  });

  it.each([
    ['a body with options', 'application/json', '{"mode":"delta"}', 422],
    ['a JSON array', 'application/json', '[]', 422],
    ['JSON null', 'application/json', 'null', 422],
    ['malformed JSON', 'application/json', '{"mode":', 400],
    ['not UTF-8', 'application/json', new Uint8Array([0x7b, 0x22, 0xc0, 0xae, 0x22, 0x7d]), 400],
    ['a form', 'application/x-www-form-urlencoded', 'mode=delta', 415],
    ['no content type', '', 'x', 415],
    ['a large body', 'application/json', `{"pad":"${'x'.repeat(10_000)}"}`, 413],
  ])('%s is refused (%s → %i) and nothing is queued', async (_name, contentType, body, status) => {
    later();
    const headers = { ...bearer(alpha.key), ...(contentType ? { 'content-type': contentType } : {}) };
    const res = await pbx('pbxSync', { headers, body });
    expect(res.status).toBe(status);
    expect(enqueue).not.toHaveBeenCalled();
  });

  it('a refused request does not use up the rate limit', async () => {
    later();
    expect((await pbx('pbxSync', { query: 'mode=sideways', headers: bearer(alpha.key) })).status).toBe(400);
    expect((await pbx('pbxSync', { headers: bearer(alpha.key) })).status).toBe(202);
    expect(enqueue).toHaveBeenCalledTimes(1);
  });
});

describe('PBX dry run (sandbox Graph and PBX)', () => {
  let graph: GraphSandbox;
  let pbxSandbox: PortSipSandbox;
  let sandboxServices: Services;
  let sandboxKey: string;

  beforeAll(async () => {
    graph = await GraphSandbox.start({ pageSize: 50 });
    pbxSandbox = await PortSipSandbox.start({ rateLimitPerMinute: 600_000 });
    const { users, groups } = demoCompany();
    graph.seed(users, groups);
    sandboxServices = (await createSandboxTenant({ graph, pbx: pbxSandbox }, 'demo')).services;
    sandboxKey = (await rotatePbxKey(sandboxServices.pbxKeys, 'demo')).key;
    codeIssuedKeys.push(sandboxKey);
  });
  afterAll(async () => {
    await graph?.stop();
    await pbxSandbox?.stop();
  });

  it('previews like the admin dry run: 200 with counts, nothing written, nothing queued; a second one is rate-limited', async () => {
    const spy = vi.spyOn(sandboxServices.queue, 'enqueue');
    later();
    const res = await pbx('pbxSync', { svc: sandboxServices, tenantId: 'demo', query: 'dryRun=true', headers: bearer(sandboxKey) });
    expect(res.status).toBe(200);
    expect(res.body.dryRun).toBe(true);
    expect(res.body.counts.created).toBeGreaterThan(0);
    // Counts only: the per-user plan (names, addresses) is for operators.
    expect(res.body).not.toHaveProperty('plannedActions');
    expect(pbxSandbox.listUsers()).toHaveLength(0);
    expect(await sandboxServices.runs.list('demo', 10)).toEqual([]);
    const again = await pbx('pbxSync', { svc: sandboxServices, tenantId: 'demo', query: 'dryRun=true', headers: bearer(sandboxKey) });
    expect(again.status).toBe(429);
    // A real sync has its own slot.
    expect((await pbx('pbxSync', { svc: sandboxServices, tenantId: 'demo', headers: bearer(sandboxKey) })).status).toBe(202);
    expect(spy).toHaveBeenCalledTimes(1);
  });
});

afterAll(() => {
  const everything = [...seen, ...records.map((r) => JSON.stringify(r))].join('\n');
  expect(records.length).toBeGreaterThan(0);
  expect(seen.length).toBeGreaterThan(100);
  expect(seen.filter((s) => /^\{"status":5\d\d/.test(s))).toEqual([]);
  const logs = records.map((r) => JSON.stringify(r)).join('\n');
  for (const key of [...issuedKeys, ...codeIssuedKeys]) {
    // The answer that issued a key is the one place it ever appears; its hash appears nowhere.
    const secret = key.slice('pbxk_'.length);
    expect(seen.filter((s) => s.includes(secret))).toHaveLength(issuedKeys.includes(key) ? 1 : 0);
    expect(everything).not.toContain(hashPbxKey(key));
    expect(logs).not.toContain(secret);
  }
});
