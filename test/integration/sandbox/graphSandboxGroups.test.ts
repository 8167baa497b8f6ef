import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GraphSandbox, type SandboxGroup, type SandboxUser } from '../../../sandbox/graph';
import { graphControlCall } from '../../support/graphControlCall';

type Json = Record<string, unknown>;

interface DeltaBody {
  value: Json[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

let graph: GraphSandbox;
const PAGE = 3;
const MEMBERS_PER_PAGE = 4;

beforeAll(async () => {
  graph = await GraphSandbox.start({ pageSize: PAGE, groupMembersPerPage: MEMBERS_PER_PAGE });
});
afterAll(() => graph.stop());
beforeEach(() => {
  graph.enforceAdvancedQueries = true;
});

const uid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const user = (n: number): SandboxUser => ({
  id: uid(n),
  displayName: `User ${n}`,
  userPrincipalName: `u${n}@contoso.com`,
  businessPhones: [],
  accountEnabled: true,
  userType: 'Member',
});
const users = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => user(from + i));

const request = (url: string, headers: Record<string, string> = {}) =>
  fetch(url.startsWith('http') ? url : `${graph.baseUrl}${url}`, { headers: { authorization: `Bearer ${graph.token}`, ...headers } });
const advanced = (url: string) => request(url, { consistencylevel: 'eventual' });

async function getJson<T>(url: string): Promise<T> {
  const res = await request(url);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as T;
}

/** Follows nextLinks to the end of a groups round; returns its pages' values and the deltaLink. */
async function round(start: string): Promise<{ pages: Json[][]; deltaLink: string }> {
  const pages: Json[][] = [];
  let next: string | undefined = start;
  let last: DeltaBody | undefined;
  while (next) {
    last = await getJson<DeltaBody>(next);
    pages.push(last.value);
    next = last['@odata.nextLink'];
    if (next) expect(next).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\.0\/groups\/delta\?\$skiptoken=[\w-]+$/);
  }
  expect(last!['@odata.deltaLink']).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\.0\/groups\/delta\?\$deltatoken=[\w-]+$/);
  return { pages, deltaLink: last!['@odata.deltaLink']! };
}

const SELECT = '/v1.0/groups/delta?$select=id,displayName,groupTypes,securityEnabled,mailEnabled,members';
const asUser = (n: number) => ({ '@odata.type': '#microsoft.graph.user', id: uid(n) });
const asGroup = (id: string) => ({ '@odata.type': '#microsoft.graph.group', id });
const left = (entry: Json) => ({ ...entry, '@removed': { reason: 'deleted' } });
const security = (id: string, displayName: string) => ({ id, displayName, groupTypes: [], securityEnabled: true, mailEnabled: false });
const unified = (id: string, displayName: string) => ({
  id,
  displayName,
  groupTypes: ['Unified'],
  securityEnabled: false,
  mailEnabled: true,
});

/** A: security, users 1..10; B: Microsoft 365, [A, user 1]; C: security, empty; D: Microsoft 365, [user 12]. */
function seedAbcd(): void {
  const groups: SandboxGroup[] = [
    { id: 'A', displayName: 'Alpha', memberIds: users(1, 10).map((u) => u.id) },
    { ...unified('B', 'Beta'), memberIds: ['A', uid(1)] },
    { id: 'C', displayName: 'Gamma', memberIds: [] },
    { ...unified('D', 'Delta'), memberIds: [uid(12)] },
  ];
  graph.seed(users(1, 12), groups);
}

describe('GraphSandbox groups delta', () => {
  it('pages an initial round with at most pageSize objects and membersPerPage member entries, repeating a large group', async () => {
    seedAbcd();
    const { pages } = await round(SELECT);
    const a = security('A', 'Alpha');
    expect(pages).toEqual([
      [{ ...a, 'members@delta': [1, 2, 3, 4].map(asUser) }],
      [{ ...a, 'members@delta': [5, 6, 7, 8].map(asUser) }],
      [
        { ...a, 'members@delta': [9, 10].map(asUser) },
        { ...unified('B', 'Beta'), 'members@delta': [asGroup('A'), asUser(1)] },
        security('C', 'Gamma'),
      ],
      [{ ...unified('D', 'Delta'), 'members@delta': [asUser(12)] }],
    ]);
  });

  it('reports only member changes, renames, nesting, soft and hard deletes and restores in later rounds', async () => {
    seedAbcd();
    const first = await round(SELECT);

    graph.addGroupMember('A', uid(11));
    graph.removeGroupMember('A', uid(2));
    graph.updateGroup('C', { displayName: 'Gamma 2' });
    graph.addGroupMember('C', 'B');
    const second = await round(first.deltaLink);
    expect(second.pages).toEqual([
      [
        { ...security('A', 'Alpha'), 'members@delta': [asUser(11), left(asUser(2))] },
        { ...security('C', 'Gamma 2'), 'members@delta': [asGroup('B')] },
      ],
    ]);

    graph.softDeleteGroup('D');
    graph.hardDeleteGroup('C');
    const third = await round(second.deltaLink);
    expect(third.pages).toEqual([
      [
        { id: 'D', '@removed': { reason: 'changed' } },
        { id: 'C', '@removed': { reason: 'deleted' } },
      ],
    ]);
    expect((await request('/v1.0/groups/D')).status).toBe(404);
    expect((await request('/v1.0/groups/C')).status).toBe(404);

    // A restored group comes back with every member, as the client dropped them with the group.
    graph.restoreGroup('D');
    const fourth = await round(third.deltaLink);
    expect(fourth.pages).toEqual([[{ ...unified('D', 'Delta'), 'members@delta': [asUser(12)] }]]);

    const fifth = await round(fourth.deltaLink);
    expect(fifth.pages).toEqual([[]]);
  });

  it('replaces a member list as the difference, types a removed member only when it knows it, and skips short-lived groups', async () => {
    seedAbcd();
    const first = await round(SELECT);
    graph.setGroupMembers('D', [uid(12), uid(3), 'unknown-id']);
    graph.setGroupMembers('D', [uid(3)]);
    graph.addGroup({ id: 'E', displayName: 'Ephemeral', memberIds: [] });
    graph.hardDeleteGroup('E');
    const second = await round(first.deltaLink);
    expect(second.pages).toEqual([
      // In the order of each member's latest change; an id the tenant does not know has no @odata.type.
      [
        {
          ...unified('D', 'Delta'),
          'members@delta': [asUser(3), { id: 'unknown-id', '@removed': { reason: 'deleted' } }, left(asUser(12))],
        },
      ],
    ]);
  });

  it('tracks only the selected properties: without members, membership changes do not surface', async () => {
    seedAbcd();
    const first = await round('/v1.0/groups/delta?$select=displayName');
    expect(first.pages.flat()).toEqual([
      { id: 'A', displayName: 'Alpha' },
      { id: 'B', displayName: 'Beta' },
      { id: 'C', displayName: 'Gamma' },
      { id: 'D', displayName: 'Delta' },
    ]);
    graph.addGroupMember('C', uid(5));
    graph.updateGroup('A', { mailEnabled: true });
    graph.updateGroup('B', { displayName: 'Beta 2' });
    expect((await round(first.deltaLink)).pages).toEqual([[{ id: 'B', displayName: 'Beta 2' }]]);
  });

  it('returns the default properties without members@delta when there is no $select, also on the microsoft.graph.delta path', async () => {
    graph.seed(users(1, 2), [{ id: 'G', displayName: 'G', memberIds: [uid(2)] }]);
    const body = await getJson<DeltaBody>('/v1.0/groups/microsoft.graph.delta');
    expect(body.value).toEqual([security('G', 'G')]);
    expect(body['@odata.deltaLink']).toMatch(/\/v1\.0\/groups\/delta\?\$deltatoken=/);
  });

  it('answers $deltatoken=latest with no data and a deltaLink that sees only later changes', async () => {
    seedAbcd();
    const latest = await getJson<DeltaBody>(`${SELECT}&$deltatoken=latest`);
    expect(latest.value).toEqual([]);
    expect(latest['@odata.nextLink']).toBeUndefined();
    graph.addGroupMember('C', uid(4));
    expect((await round(latest['@odata.deltaLink']!)).pages).toEqual([[{ ...security('C', 'Gamma'), 'members@delta': [asUser(4)] }]]);
  });

  it('expires issued group tokens with 400 syncStateNotFound or 410 + Location, and refuses unknown tokens', async () => {
    seedAbcd();
    const first = await getJson<DeltaBody>(SELECT);
    const skip = first['@odata.nextLink']!;
    const { deltaLink } = await round(SELECT);

    graph.faults.expireDeltaTokens('syncStateNotFound');
    for (const link of [skip, deltaLink]) {
      const res = await request(link);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('syncStateNotFound');
    }
    const fresh = await round(SELECT);

    graph.faults.expireDeltaTokens('gone');
    const gone = await request(fresh.deltaLink);
    expect(gone.status).toBe(410);
    expect(gone.headers.get('location')).toBe(
      `${graph.baseUrl}/v1.0/groups/delta?$select=${encodeURIComponent('id,displayName,groupTypes,securityEnabled,mailEnabled,members')}`,
    );

    const unknown = await request('/v1.0/groups/delta?$deltatoken=forged');
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('syncStateNotFound');
  });
});

describe('GraphSandbox group reads', () => {
  it('serves a live group by id with $select; deleted and unknown groups are 404', async () => {
    seedAbcd();
    expect(await getJson<Json>('/v1.0/groups/B?$select=id,displayName,groupTypes')).toEqual({
      '@odata.context': `${graph.baseUrl}/v1.0/$metadata#groups/$entity`,
      id: 'B',
      displayName: 'Beta',
      groupTypes: ['Unified'],
    });
    expect(await getJson<Json>('/v1.0/groups/C')).toEqual({
      '@odata.context': `${graph.baseUrl}/v1.0/$metadata#groups/$entity`,
      ...security('C', 'Gamma'),
    });
    graph.softDeleteGroup('B');
    const gone = await request('/v1.0/groups/B');
    expect(gone.status).toBe(404);
    expect(((await gone.json()) as { error: { code: string } }).error.code).toBe('Request_ResourceNotFound');
    expect((await request('/v1.0/groups/nope')).status).toBe(404);
    expect(() => graph.softDeleteGroup('C')).toThrow(/not a Microsoft 365 group/);
    expect(graph.getGroup('B')).toBeUndefined();
    expect(graph.listGroups().map((g) => g.id)).toEqual(['A', 'C', 'D']);
  });

  it('lists direct user members (nested groups skipped) and transitive ones; a deleted nested group contributes nothing', async () => {
    seedAbcd();
    const direct = await getJson<{ value: Json[] }>('/v1.0/groups/B/members/microsoft.graph.user?$select=id&$top=999');
    expect(direct.value).toEqual([asUser(1)]);
    const transitive = await (await advanced('/v1.0/groups/B/transitiveMembers/microsoft.graph.user?$count=true&$select=id')).json();
    expect((transitive as { value: Json[] }).value).toEqual([1, ...[2, 3, 4, 5, 6, 7, 8, 9, 10]].map(asUser));
    graph.hardDeleteGroup('A');
    const after = await (await advanced('/v1.0/groups/B/transitiveMembers/microsoft.graph.user?$count=true&$select=id')).json();
    expect((after as { value: Json[] }).value).toEqual([asUser(1)]);
    expect((await request('/v1.0/groups/A/members/microsoft.graph.user')).status).toBe(404);
  });

  it('lists ancestor groups through transitiveMemberOf, paged and cycle-safe, as an advanced query', async () => {
    // L ⊂ M ⊂ T ⊂ M (a cycle), and L ⊂ S directly.
    graph.seed(users(1, 1), [
      { id: 'L', displayName: 'Leaf', memberIds: [uid(1)] },
      { id: 'M', displayName: 'Middle', memberIds: ['L', 'T'] },
      { id: 'T', displayName: 'Top', memberIds: ['M'] },
      { id: 'S', displayName: 'Side', memberIds: ['L'] },
    ]);
    const path = '/v1.0/groups/L/transitiveMemberOf/microsoft.graph.group';
    const seen: Json[] = [];
    let next: string | undefined = `${path}?$count=true&$select=id&$top=2`;
    let pages = 0;
    while (next) {
      const res = await advanced(next);
      expect(res.status, await res.clone().text()).toBe(200);
      const page = (await res.json()) as { '@odata.context': string; value: Json[]; '@odata.nextLink'?: string };
      expect(page['@odata.context']).toBe(`${graph.baseUrl}/v1.0/$metadata#groups(id)`);
      seen.push(...page.value);
      next = page['@odata.nextLink'];
      if (next) expect(next).toContain('$count=true');
      pages += 1;
    }
    expect(pages).toBe(2);
    expect(seen).toEqual([asGroup('M'), asGroup('S'), asGroup('T')]);

    for (const res of [await request(`${path}?$count=true`), await advanced(path)]) {
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('Request_UnsupportedQuery');
      expect(body.error.message).toContain('OData cast on transitiveMemberOf');
    }
    graph.enforceAdvancedQueries = false;
    expect((await getJson<{ value: Json[] }>(path)).value.map((g) => g.id)).toEqual(['M', 'S', 'T']);

    graph.hardDeleteGroup('M');
    expect((await getJson<{ value: Json[] }>(path)).value.map((g) => g.id)).toEqual(['S']);
    expect((await getJson<{ value: Json[] }>('/v1.0/groups/T/transitiveMemberOf/microsoft.graph.group')).value).toEqual([]);
    expect((await request('/v1.0/groups/M/transitiveMemberOf/microsoft.graph.group')).status).toBe(404);
  });
});

describe('GraphSandbox control API: groups', () => {
  it('creates, edits, changes members of, deletes and restores groups', async () => {
    graph.seed(users(1, 3));
    graph.stats.reset();
    const id = 'e0000000-0000-4000-8000-000000000001';
    const created = await graphControlCall(graph, 'POST', '/groups', {
      id,
      displayName: 'Team',
      groupTypes: ['Unified'],
      mailEnabled: true,
      memberIds: [uid(1)],
    });
    expect(created).toEqual({
      status: 201,
      body: { id, displayName: 'Team', groupTypes: ['Unified'], securityEnabled: true, mailEnabled: true, memberIds: [uid(1)] },
    });
    const generated = await graphControlCall(graph, 'POST', '/groups', { displayName: 'Plain' });
    expect(generated.status).toBe(201);
    expect(generated.body).toMatchObject({
      displayName: 'Plain',
      groupTypes: [],
      securityEnabled: true,
      mailEnabled: false,
      memberIds: [],
    });

    expect((await graphControlCall(graph, 'PATCH', `/groups/${id}`, { displayName: 'Team 2', securityEnabled: false })).body).toMatchObject(
      {
        displayName: 'Team 2',
        securityEnabled: false,
      },
    );
    expect((await graphControlCall(graph, 'POST', `/groups/${id}/members`, { id: uid(2) })).body).toMatchObject({
      memberIds: [uid(1), uid(2)],
    });
    expect((await graphControlCall(graph, 'POST', `/groups/${id}/members`, { id: uid(2) })).status).toBe(409);
    expect((await graphControlCall(graph, 'DELETE', `/groups/${id}/members/${uid(1)}`)).status).toBe(204);
    expect((await graphControlCall(graph, 'DELETE', `/groups/${id}/members/${uid(1)}`)).status).toBe(404);
    expect((await graphControlCall(graph, 'PUT', `/groups/${id}/members`, { memberIds: [uid(3), generated.body.id] })).body).toMatchObject({
      memberIds: [uid(3), generated.body.id],
    });
    expect((await graphControlCall(graph, 'GET', `/groups/${id}`)).body).toMatchObject({ displayName: 'Team 2' });
    expect(((await graphControlCall(graph, 'GET', '/groups')).body.value as Json[]).map((g) => g.id)).toEqual([id, generated.body.id]);

    expect((await graphControlCall(graph, 'DELETE', `/groups/${id}`)).status).toBe(204);
    expect((await graphControlCall(graph, 'GET', `/groups/${id}`)).status).toBe(404);
    expect((await graphControlCall(graph, 'POST', `/groups/${id}/restore`)).body).toMatchObject({
      id,
      memberIds: [uid(3), generated.body.id],
    });
    expect((await graphControlCall(graph, 'DELETE', `/groups/${id}?hard=true`)).status).toBe(204);
    expect((await graphControlCall(graph, 'POST', `/groups/${id}/restore`)).status).toBe(404);
    // A security group cannot be soft-deleted.
    expect((await graphControlCall(graph, 'DELETE', `/groups/${generated.body.id as string}`)).status).toBe(409);
    expect(graph.stats.byRoute['GET /groups/{id}']).toBeUndefined();
  });

  it('refuses bad bodies with 400 naming the problem, and wrong methods with 405', async () => {
    graph.seed([], [{ id: 'G', displayName: 'G', memberIds: [] }]);
    const cases: [string, string, unknown, string][] = [
      ['POST', '/groups', {}, 'displayName'],
      ['POST', '/groups', { displayName: 'X', id: 'not-a-uuid' }, 'id'],
      ['POST', '/groups', { displayName: 'X', groupTypes: ['Bogus'] }, 'groupTypes'],
      ['POST', '/groups', { displayName: 'X', colour: 'red' }, 'colour'],
      ['PATCH', '/groups/G', {}, 'name at least one property'],
      ['PATCH', '/groups/G', { mailEnabled: 'yes' }, 'mailEnabled'],
      ['POST', '/groups/G/members', { id: '' }, 'id'],
      ['PUT', '/groups/G/members', { memberIds: 'x' }, 'memberIds'],
    ];
    for (const [method, path, body, named] of cases) {
      const answer = await graphControlCall(graph, method, path, body);
      expect(answer.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
      expect(answer.body.error!.message).toContain(named);
    }
    expect((await graphControlCall(graph, 'PATCH', '/groups/missing', { displayName: 'Y' })).status).toBe(404);
    expect((await graphControlCall(graph, 'PUT', '/groups')).status).toBe(405);
    expect((await graphControlCall(graph, 'GET', '/groups/G/restore')).status).toBe(405);
    expect(graph.getGroup('G')).toEqual({ ...security('G', 'G'), memberIds: [] });
  });
});
