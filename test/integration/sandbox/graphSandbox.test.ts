import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GraphSandbox, type SandboxUser, demoCompany, generateUsers } from '../../../sandbox/graph';

interface DeltaBody {
  value: Array<Record<string, unknown>>;
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

let graph: GraphSandbox;
const PAGE = 7;

beforeAll(async () => {
  graph = await GraphSandbox.start({ pageSize: PAGE });
});
afterAll(() => graph.stop());
beforeEach(() => graph.stats.reset());

const get = (url: string, token: string | null = graph.token) =>
  fetch(url.startsWith('http') ? url : `${graph.baseUrl}${url}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

/** A GET with the advanced query header (`ConsistencyLevel: eventual`). */
const advancedGet = (url: string) =>
  fetch(url.startsWith('http') ? url : `${graph.baseUrl}${url}`, {
    headers: { authorization: `Bearer ${graph.token}`, consistencylevel: 'eventual' },
  });

async function getJson<T>(url: string): Promise<T> {
  const res = await get(url);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as T;
}

/** Follows nextLinks to the end of a round; returns its pages and the deltaLink. */
async function round(start: string): Promise<{ pages: DeltaBody[]; items: Array<Record<string, unknown>>; deltaLink: string }> {
  const pages: DeltaBody[] = [];
  let next: string | undefined = start;
  while (next) {
    const page: DeltaBody = await getJson<DeltaBody>(next);
    pages.push(page);
    next = page['@odata.nextLink'];
    if (!next) expect(page['@odata.deltaLink']).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\.0\/users\/delta\?\$deltatoken=/);
  }
  return { pages, items: pages.flatMap((p) => p.value), deltaLink: pages.at(-1)!['@odata.deltaLink']! };
}

const ids = (items: Array<Record<string, unknown>>) => items.map((i) => i.id as string).sort();
const SELECT = '/v1.0/users/delta?$select=id,displayName,department,accountEnabled';

describe('GraphSandbox wire behaviour', () => {
  it('rejects requests without the bearer token in Graph error shape', async () => {
    graph.seed(generateUsers(3));
    for (const token of [null, 'wrong']) {
      const res = await get('/v1.0/users/delta', token);
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/json');
      const body = (await res.json()) as { error: { code: string; message: string; innerError: Record<string, string> } };
      expect(body.error.code).toBe('InvalidAuthenticationToken');
      expect(body.error.innerError).toHaveProperty('request-id');
      expect(body.error.innerError).toHaveProperty('date');
    }
    expect(graph.stats.requests).toBe(2);
    expect(graph.stats.byRoute['GET /users/delta']).toBe(2);
  });

  it('pages an initial round (pageSize per page) and ends with a deltaLink, with no token parameters in view', async () => {
    const users = generateUsers(20, { seed: 3 });
    graph.seed(users);
    const { pages, items } = await round('/v1.0/users/microsoft.graph.delta');
    expect(pages.map((p) => p.value.length)).toEqual([7, 7, 6]);
    expect(pages.slice(0, -1).every((p) => p['@odata.nextLink']?.includes('$skiptoken=') && !p['@odata.deltaLink'])).toBe(true);
    expect(ids(items)).toEqual(users.map((u) => u.id).sort());
  });

  it('returns the default property set without $select and only id + selected properties with it', async () => {
    const user: SandboxUser = {
      id: '11111111-1111-4111-8111-111111111111',
      displayName: 'Zoë Østergård',
      givenName: 'Zoë',
      userPrincipalName: 'zoe@contoso.com',
      mail: null,
      businessPhones: ['+45 1234'],
      department: 'Sales',
      accountEnabled: false,
      userType: 'Member',
    };
    graph.seed([user]);
    const plain = await round('/v1.0/users/delta');
    // never-set properties (surname, jobTitle, mobilePhone) are omitted; null (mail) is kept; department needs $select
    expect(plain.items).toEqual([
      {
        id: user.id,
        displayName: 'Zoë Østergård',
        givenName: 'Zoë',
        userPrincipalName: 'zoe@contoso.com',
        mail: null,
        businessPhones: ['+45 1234'],
      },
    ]);
    const selected = await round(SELECT);
    expect(selected.items).toEqual([{ id: user.id, displayName: 'Zoë Østergård', department: 'Sales', accountEnabled: false }]);
  });

  it('returns only changed users from a deltaLink, with @removed shapes for soft and hard deletes', async () => {
    const users = generateUsers(30, { seed: 4 });
    graph.seed(users);
    const first = await round(SELECT);
    expect(first.items).toHaveLength(30);
    graph.updateUser(users[0]!.id, { department: 'Changed' });
    graph.softDeleteUser(users[1]!.id);
    graph.hardDeleteUser(users[2]!.id);
    const added: SandboxUser = {
      id: '22222222-2222-4222-8222-222222222222',
      userPrincipalName: 'new@contoso.com',
      businessPhones: [],
      accountEnabled: true,
      userType: 'Member',
      displayName: 'New',
    };
    graph.addUser(added);
    const second = await round(first.deltaLink);
    const byId = new Map(second.items.map((i) => [i.id, i]));
    expect(second.items).toHaveLength(4);
    expect(byId.get(users[0]!.id)).toMatchObject({ department: 'Changed' });
    expect(byId.get(users[1]!.id)).toEqual({ id: users[1]!.id, '@removed': { reason: 'changed' } });
    expect(byId.get(users[2]!.id)).toEqual({ id: users[2]!.id, '@removed': { reason: 'deleted' } });
    expect(byId.get(added.id)).toEqual({ id: added.id, displayName: 'New', accountEnabled: true });

    graph.restoreUser(users[1]!.id);
    const third = await round(second.deltaLink);
    expect(third.items).toEqual([expect.objectContaining({ id: users[1]!.id, accountEnabled: users[1]!.accountEnabled })]);
    expect(graph.getUser(users[2]!.id)).toBeUndefined();
    expect(graph.listUsers()).toHaveLength(30);

    const fourth = await round(third.deltaLink);
    expect(fourth.items).toEqual([]);
  });

  it('does not surface a user whose only change is to a property outside the round $select', async () => {
    const users = generateUsers(5, { seed: 5 });
    graph.seed(users);
    const first = await round(SELECT);
    graph.updateUser(users[0]!.id, { jobTitle: 'Not selected', mobilePhone: '+1 555' });
    graph.updateUser(users[1]!.id, { jobTitle: 'Not selected', displayName: 'Selected' });
    const second = await round(first.deltaLink);
    expect(ids(second.items)).toEqual([users[1]!.id]);
    expect(second.items[0]).toMatchObject({ displayName: 'Selected' });
    expect(second.items[0]).not.toHaveProperty('jobTitle');
  });

  it('snapshots a round when it starts: a change made while paging arrives in the next round, once per round', async () => {
    const users = generateUsers(20, { seed: 6 });
    graph.seed(users);
    const firstPage = await getJson<DeltaBody>(SELECT);
    const last = users.at(-1)!;
    graph.updateUser(last.id, { department: 'During paging' });
    const newcomer: SandboxUser = {
      id: '33333333-3333-4333-8333-333333333333',
      userPrincipalName: 'late@contoso.com',
      businessPhones: [],
      accountEnabled: true,
      userType: 'Member',
    };
    graph.addUser(newcomer);
    const rest = await round(firstPage['@odata.nextLink']!);
    const all = [...firstPage.value, ...rest.items];
    expect(ids(all)).toEqual(users.map((u) => u.id).sort());
    const next = await round(rest.deltaLink);
    expect(ids(next.items)).toEqual([last.id, newcomer.id].sort());
    expect(next.items.find((i) => i.id === last.id)).toMatchObject({ department: 'During paging' });
  });

  it('answers $deltatoken=latest with no data and a working deltaLink', async () => {
    const users = generateUsers(10, { seed: 7 });
    graph.seed(users);
    const latest = await getJson<DeltaBody>(`${SELECT}&$deltatoken=latest`);
    expect(latest.value).toEqual([]);
    graph.updateUser(users[3]!.id, { displayName: 'After latest' });
    const next = await round(latest['@odata.deltaLink']!);
    expect(next.items).toEqual([expect.objectContaining({ id: users[3]!.id, displayName: 'After latest' })]);
  });

  it('expires issued tokens with 400 syncStateNotFound; later tokens work', async () => {
    graph.seed(generateUsers(10, { seed: 8 }));
    const firstPage = await getJson<DeltaBody>(SELECT);
    const { deltaLink } = await round(SELECT);
    graph.faults.expireDeltaTokens('syncStateNotFound');
    for (const link of [deltaLink, firstPage['@odata.nextLink']!]) {
      const res = await get(link);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('syncStateNotFound');
    }
    const fresh = await round(SELECT);
    expect((await round(fresh.deltaLink)).items).toEqual([]);
  });

  it('expires issued tokens with 410 and a Location holding the initial query', async () => {
    graph.seed(generateUsers(3, { seed: 9 }));
    const { deltaLink } = await round(SELECT);
    graph.faults.expireDeltaTokens('gone');
    const res = await get(deltaLink);
    expect(res.status).toBe(410);
    const location = new URL(res.headers.get('location')!);
    expect(location.pathname).toBe('/v1.0/users/delta');
    expect(location.searchParams.get('$select')).toBe('id,displayName,department,accountEnabled');
    expect(location.searchParams.has('$deltatoken')).toBe(false);
    expect((await round(location.toString())).items).toHaveLength(3);
  });

  it('points a 410 for a round started without $select back to the bare delta URL', async () => {
    graph.seed(generateUsers(3, { seed: 13 }));
    const firstPage = await getJson<DeltaBody>('/v1.0/users/delta');
    expect(firstPage['@odata.nextLink']).toBeUndefined();
    graph.faults.expireDeltaTokens('gone');
    const res = await get(firstPage['@odata.deltaLink']!);
    expect(res.status).toBe(410);
    expect(res.headers.get('location')).toBe(`${graph.baseUrl}/v1.0/users/delta`);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBeTruthy();
  });

  it('answers an unknown or forged token with 400 syncStateNotFound', async () => {
    graph.seed(generateUsers(3, { seed: 14 }));
    for (const query of ['$deltatoken=forged', '$skiptoken=forged']) {
      const res = await get(`/v1.0/users/delta?${query}`);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('syncStateNotFound');
    }
    const { deltaLink } = await round(SELECT);
    graph.seed(generateUsers(3, { seed: 14 }));
    expect((await get(deltaLink)).status).toBe(400); // seed() starts a new tenant: old tokens mean nothing
  });

  it('finds only the changed users in a large tenant, also after many changes to the same users', async () => {
    const users = generateUsers(5000, { seed: 15 });
    graph.seed(users);
    const latest = await getJson<DeltaBody>(`${SELECT}&$deltatoken=latest`);
    // Many more log entries than users, so the change log compacts several times along the way.
    for (let i = 0; i < 3000; i += 1) graph.updateUser(users[i % 3]!.id, { department: `Dept ${i}` });
    graph.updateUser(users[4000]!.id, { displayName: 'Renamed' });
    graph.updateUser(users[4001]!.id, { jobTitle: 'Not selected' });
    const next = await round(latest['@odata.deltaLink']!);
    expect(next.pages).toHaveLength(1);
    expect(ids(next.items)).toEqual([users[0]!.id, users[1]!.id, users[2]!.id, users[4000]!.id].sort());
    expect(next.items.find((i) => i.id === users[2]!.id)).toMatchObject({ department: 'Dept 2999' });
    expect((await round(next.deltaLink)).items).toEqual([]);
  });

  it('throttles with 429 + Retry-After and fails with 503, changing nothing', async () => {
    graph.seed(generateUsers(3, { seed: 10 }));
    graph.faults.throttleNext(2, 7);
    graph.faults.failNext(1);
    for (let i = 0; i < 2; i += 1) {
      const res = await get(SELECT);
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('7');
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('TooManyRequests');
    }
    const failed = await get(SELECT);
    expect(failed.status).toBe(503);
    expect(failed.headers.get('retry-after')).toBe('1');
    expect(((await failed.json()) as { error: { code: string } }).error.code).toBe('serviceNotAvailable');
    expect((await round(SELECT)).items).toHaveLength(3);
    expect(graph.stats.requests).toBe(4);
  });

  it('serves users by userPrincipalName, case-insensitively, following a UPN change', async () => {
    const users = generateUsers(3, { seed: 16 });
    graph.seed(users);
    const upn = users[1]!.userPrincipalName;
    const byUpn = await getJson<Record<string, unknown>>(
      `/v1.0/users/${encodeURIComponent(upn.toUpperCase())}?$select=id,userPrincipalName`,
    );
    expect(byUpn).toMatchObject({ id: users[1]!.id, userPrincipalName: upn });
    graph.updateUser(users[1]!.id, { userPrincipalName: 'renamed@contoso.com' });
    expect((await get(`/v1.0/users/${encodeURIComponent(upn)}`)).status).toBe(404);
    expect(await getJson<Record<string, unknown>>('/v1.0/users/Renamed@contoso.com?$select=id')).toMatchObject({ id: users[1]!.id });
  });

  it('serves users by id with $select; soft-deleted and unknown users are 404', async () => {
    const users = generateUsers(3, { seed: 11 });
    graph.seed(users);
    const one = await getJson<Record<string, unknown>>(`/v1.0/users/${users[0]!.id}?$select=id,userType`);
    expect(one).toMatchObject({ id: users[0]!.id, userType: users[0]!.userType });
    expect(one).not.toHaveProperty('displayName');
    graph.softDeleteUser(users[0]!.id);
    for (const id of [users[0]!.id, 'nope']) {
      const res = await get(`/v1.0/users/${id}`);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('Request_ResourceNotFound');
    }
  });

  it('pages transitive group members through nested groups; direct members skip nested groups', async () => {
    const users = generateUsers(250, { seed: 12 });
    graph.seed(users, [
      { id: 'outer', displayName: 'Outer', memberIds: [...users.slice(0, 100).map((u) => u.id), 'inner'] },
      { id: 'inner', displayName: 'Inner', memberIds: [...users.slice(50, 250).map((u) => u.id), 'outer'] },
    ]);
    const seen: string[] = [];
    let next: string | undefined = '/v1.0/groups/outer/transitiveMembers/microsoft.graph.user?$select=id&$top=60&$count=true';
    let pages = 0;
    while (next) {
      const res = await advancedGet(next);
      expect(res.status).toBe(200);
      const page = (await res.json()) as { value: Array<{ '@odata.type': string; id: string }>; '@odata.nextLink'?: string };
      pages += 1;
      expect(page.value.length).toBeLessThanOrEqual(60);
      expect(page.value.every((m) => m['@odata.type'] === '#microsoft.graph.user')).toBe(true);
      seen.push(...page.value.map((m) => m.id));
      next = page['@odata.nextLink'];
    }
    expect(pages).toBe(5);
    expect(seen.sort()).toEqual(users.map((u) => u.id).sort());

    const direct = await getJson<{ value: Array<{ id: string }>; '@odata.nextLink'?: string }>(
      '/v1.0/groups/outer/members/microsoft.graph.user?$select=id',
    );
    expect(direct.value).toHaveLength(100);
    expect(direct['@odata.nextLink']).toBeUndefined();
    expect((await advancedGet('/v1.0/groups/missing/transitiveMembers/microsoft.graph.user?$count=true')).status).toBe(404);
    expect(graph.stats.byRoute['GET /groups/{id}/transitiveMembers/microsoft.graph.user']).toBe(6); // five pages plus the 404
  });

  it('refuses a cast on transitive members without ConsistencyLevel: eventual and $count=true, like a strict tenant (switchable)', async () => {
    graph.seed(generateUsers(3, { seed: 13 }), [{ id: 'g', displayName: 'G', memberIds: [] }]);
    const path = '/v1.0/groups/g/transitiveMembers/microsoft.graph.user?$select=id';
    for (const res of [await get(path), await get(`${path}&$count=true`), await advancedGet(path)]) {
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { code: string; message: string; innerError: Record<string, string> } };
      expect(body.error).toMatchObject({ code: 'Request_UnsupportedQuery', innerError: { 'request-id': expect.any(String) } });
      expect(body.error.message).toContain('ConsistencyLevel:eventual');
    }
    expect((await advancedGet(`${path}&$count=true`)).status).toBe(200);
    expect((await get('/v1.0/groups/g/members/microsoft.graph.user?$select=id')).status).toBe(200); // direct members: no cast rule
    graph.enforceAdvancedQueries = false;
    try {
      expect((await get(path)).status).toBe(200);
    } finally {
      graph.enforceAdvancedQueries = true;
    }
  });
});

describe('GraphSandbox control API', () => {
  it('creates, edits, deletes and restores users with validated bodies, without counting Graph requests', async () => {
    graph.seed([]);
    const post = (body: unknown) => fetch(`${graph.baseUrl}/_sandbox/users`, { method: 'POST', body: JSON.stringify(body) });
    expect((await post({ displayName: 'No UPN' })).status).toBe(400);
    expect((await fetch(`${graph.baseUrl}/_sandbox/users`, { method: 'POST', body: '{oops' })).status).toBe(400);
    const created = await post({ userPrincipalName: 'demo@contoso.com', displayName: 'Demo' });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect((await post({ id, userPrincipalName: 'again@contoso.com' })).status).toBe(409);
    const patch = (body: unknown, target = id) =>
      fetch(`${graph.baseUrl}/_sandbox/users/${target}`, { method: 'PATCH', body: JSON.stringify(body) });
    const badPatch = await patch({ accountEnabled: 'yes' });
    expect(badPatch.status).toBe(400);
    expect(((await badPatch.json()) as { error: { message: string } }).error.message).toContain('accountEnabled');
    expect((await patch({ department: 'Sales' })).status).toBe(200);
    expect((await patch({ department: 'Sales' }, 'unknown')).status).toBe(404);
    expect(graph.getUser(id)?.department).toBe('Sales');
    expect((await fetch(`${graph.baseUrl}/_sandbox/users/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect(graph.getUser(id)).toBeUndefined();
    expect((await fetch(`${graph.baseUrl}/_sandbox/users/${id}/restore`, { method: 'POST' })).status).toBe(200);
    expect((await fetch(`${graph.baseUrl}/_sandbox/users/${id}?hard=true`, { method: 'DELETE' })).status).toBe(204);
    expect((await fetch(`${graph.baseUrl}/_sandbox/users/${id}/restore`, { method: 'POST' })).status).toBe(404);
    const list = (await (await fetch(`${graph.baseUrl}/_sandbox/users`)).json()) as { value: unknown[] };
    expect(list.value).toEqual([]);
    expect(graph.stats.requests).toBe(0);
  });
});

describe('GraphSandbox control API: faults and stats', () => {
  const postFaults = (body: unknown) => fetch(`${graph.baseUrl}/_sandbox/faults`, { method: 'POST', body: JSON.stringify(body) });

  it('injects throttling, failures and token expiry; rejects bad fault bodies with a clear message', async () => {
    graph.seed(generateUsers(4, { seed: 17 }));
    const { deltaLink } = await round(SELECT);
    for (const bad of [
      {},
      { throttleNext: 0 },
      { failNext: 1, status: 200 },
      { retryAfterSeconds: 5 },
      { expireDeltaTokens: 'soon' },
      { unknown: 1 },
    ]) {
      const res = await postFaults(bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('BadRequest');
      expect(body.error.message.length).toBeGreaterThan(5);
    }
    const ok = await postFaults({
      throttleNext: 1,
      retryAfterSeconds: 3,
      failNext: 1,
      status: 502,
      expireDeltaTokens: 'syncStateNotFound',
    });
    expect(ok.status).toBe(200);
    const throttled = await get(SELECT);
    expect([throttled.status, throttled.headers.get('retry-after')]).toEqual([429, '3']);
    expect((await get(SELECT)).status).toBe(502);
    expect((await get(deltaLink)).status).toBe(400);
    expect((await get(SELECT)).status).toBe(200);

    const stats = (await (await fetch(`${graph.baseUrl}/_sandbox/stats`)).json()) as { requests: number; byRoute: Record<string, number> };
    expect(stats).toEqual({ requests: 5, byRoute: { 'GET /users/delta': 5 } }); // the first round, then four above
  });

  it('adds latency to Graph responses only', async () => {
    graph.seed([]);
    expect((await postFaults({ latencyMs: 150 })).status).toBe(200);
    const started = Date.now();
    await getJson<DeltaBody>(SELECT);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    graph.faults.setLatency(0);
    const quick = Date.now();
    await getJson<DeltaBody>(SELECT);
    expect(Date.now() - quick).toBeLessThan(140);
  });

  it('answers unknown control routes 404, wrong methods 405 and oversized bodies 413', async () => {
    expect((await fetch(`${graph.baseUrl}/_sandbox/nothing`)).status).toBe(404);
    expect((await fetch(`${graph.baseUrl}/_sandbox/users/x/restore`, { method: 'GET' })).status).toBe(405);
    const big = await fetch(`${graph.baseUrl}/_sandbox/users`, {
      method: 'POST',
      body: JSON.stringify({ userPrincipalName: 'a@b.c', displayName: 'x'.repeat(100_000) }),
    });
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: { code: string } }).error.code).toBe('RequestEntityTooLarge');
  });
});

describe('generateUsers / demoCompany', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    expect(generateUsers(200, { seed: 42 })).toEqual(generateUsers(200, { seed: 42 }));
    expect(generateUsers(50, { seed: 1 })[0]!.id).not.toBe(generateUsers(50, { seed: 2 })[0]!.id);
  });

  // How fast it generates belongs to `npm run bench`, not to a timed test.
  it('produces the messy proportions and unique ids/extensions over 100,000 users', () => {
    const users = generateUsers(100_000, { domain: 'fabrikam.com' });
    const share = (pred: (u: SandboxUser) => boolean) => users.filter(pred).length / users.length;
    const near = (actual: number, expected: number) =>
      expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThan(expected * 0.35 + 0.005);
    near(
      share((u) => u.userType === 'Guest'),
      0.05,
    );
    near(
      share((u) => !u.accountEnabled),
      0.05,
    );
    near(
      share((u) => !u.givenName && !u.surname),
      0.02,
    );
    near(
      share((u) => u.mail === null),
      0.1 + 0.05 * 0.2,
    );
    near(
      share((u) => u.onPremisesExtensionAttributes?.extensionAttribute1 !== undefined),
      0.3,
    );
    near(
      share((u) => u.businessPhones.length === 0),
      0.4,
    );
    near(
      share((u) => u.employeeId !== undefined),
      0.2,
    );
    const mails = users.map((u) => u.mail?.toLowerCase()).filter((m): m is string => !!m);
    near(1 - new Set(mails).size / users.length - share((u) => !u.mail), 0.02);
    expect(new Set(users.map((u) => u.id)).size).toBe(users.length);
    expect(users.every((u) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(u.id))).toBe(true);
    const extensions = users.map((u) => u.onPremisesExtensionAttributes?.extensionAttribute1).filter((e): e is string => !!e);
    expect(new Set(extensions).size).toBe(extensions.length);
    const small = generateUsers(5000)
      .map((u) => u.onPremisesExtensionAttributes?.extensionAttribute1)
      .filter((e): e is string => !!e);
    expect(small.every((e) => /^\d{4}$/.test(e))).toBe(true);
    const guests = users.filter((u) => u.userType === 'Guest');
    expect(guests.every((g) => /^[a-z0-9.]+_[a-z0-9.]+#EXT#@fabrikam\.com$/.test(g.userPrincipalName))).toBe(true);
    expect(guests.some((g) => g.userPrincipalName.includes('_gmail.com#EXT#'))).toBe(true);
    near(guests.filter((g) => g.mail === null).length / guests.length, 0.2);
    expect(guests.filter((g) => g.mail).every((g) => g.userPrincipalName === `${g.mail!.replace('@', '_')}#EXT#@fabrikam.com`)).toBe(true);
    expect(new Set(users.map((u) => u.userPrincipalName.toLowerCase())).size).toBe(users.length);
    expect(users.some((u) => u.mail && u.mail !== u.mail.toLowerCase())).toBe(true);
    const formats = new Set(users.flatMap((u) => u.businessPhones).map((p) => p.replace(/\d/g, '9')));
    expect([...formats]).toEqual(expect.arrayContaining(['+9 999 999 9999', '(999) 999-9999']));
    expect(formats.size).toBeGreaterThanOrEqual(5);
    expect(users.some((u) => u.displayName === '王芳' && u.userPrincipalName.startsWith('fang.wang'))).toBe(true);
    expect(users.some((u) => /[^\p{ASCII}]/u.test(u.displayName ?? ''))).toBe(true);
    expect(users.some((u) => /[\u4e00-\u9fff]/.test(u.displayName ?? ''))).toBe(true);
    expect(users.some((u) => u.mobilePhone)).toBe(true);
  });

  it('demoCompany has ~25 users, fixed group ids, a guest, a disabled user and a nameless user', () => {
    const demo = demoCompany();
    expect(demo.users.length).toBeGreaterThanOrEqual(20);
    expect(demo.users.length).toBeLessThanOrEqual(30);
    expect(demo).toEqual(demoCompany());
    expect(demo.groups.map((g) => g.displayName).sort()).toEqual(['Engineering', 'Sales', 'Support']);
    expect(demo.users.some((u) => u.userType === 'Guest')).toBe(true);
    expect(demo.users.some((u) => !u.accountEnabled)).toBe(true);
    expect(demo.users.some((u) => !u.givenName && !u.surname)).toBe(true);
    const userIds = new Set(demo.users.map((u) => u.id));
    expect(demo.groups.every((g) => g.memberIds.length > 0 && g.memberIds.every((m) => userIds.has(m)))).toBe(true);
  });
});
