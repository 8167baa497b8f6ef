import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TenantConfigSchema } from '../../../shared/config/TenantConfig';
import { type GroupsDeltaStart } from '../../../shared/graph/DirectoryReader';
import { GraphDirectoryReader } from '../../../shared/graph/GraphDirectoryReader';
import { type GroupsDeltaPage } from '../../../shared/graph/GraphGroup';
import { createGraphClient } from '../../../shared/graph/createGraphClient';
import { GraphSandbox, generateUsers } from '../../../sandbox/graph';
import { appErrorOf } from '../../support/appErrorOf';

let graph: GraphSandbox;
let reader: GraphDirectoryReader;

beforeAll(async () => {
  graph = await GraphSandbox.start({ pageSize: 2, groupMembersPerPage: 3 });
  const microsoft365 = TenantConfigSchema.shape.microsoft365.parse({
    directoryId: '00000000-0000-4000-8000-000000000001',
    applicationId: '00000000-0000-4000-8000-000000000002',
    auth: { kind: 'sandbox', graphBaseUrl: graph.baseUrl },
  });
  // The sandbox kind's secret is its token.
  const connection = await createGraphClient({ microsoft365, credentialSecret: graph.token });
  reader = new GraphDirectoryReader(connection.client, connection.versionRoot, connection.requestCount);
});
afterAll(() => graph.stop());

async function round(start: GroupsDeltaStart): Promise<{ pages: GroupsDeltaPage[]; deltaLink: string; requests: number }> {
  const before = reader.requestCount();
  const seen = graph.stats.requests;
  const pages: GroupsDeltaPage[] = [];
  for await (const page of reader.groupsDelta(start)) pages.push(page);
  const requests = reader.requestCount() - before;
  expect(requests).toBe(graph.stats.requests - seen);
  return { pages, deltaLink: pages.at(-1)!.deltaLink!, requests };
}

const users = generateUsers(6, { seed: 21 });
const uid = (i: number) => users[i]!.id;

describe('GraphDirectoryReader groups over the sandbox Graph', () => {
  it('reads a groups round with the group properties and members@delta sliced over pages, then only the changes', async () => {
    graph.seed(users, [
      { id: 'G-big', displayName: 'Big', memberIds: [0, 1, 2, 3, 4].map(uid) },
      { id: 'G-m365', displayName: 'Team', groupTypes: ['Unified'], securityEnabled: false, mailEnabled: true, memberIds: ['G-big'] },
    ]);
    const first = await round({ kind: 'initial' });
    expect(first.requests).toBe(2);
    expect(first.pages.map((p) => p.groups.map((g) => [g.id, g.memberChanges.length]))).toEqual([
      [['G-big', 3]],
      [
        ['G-big', 2],
        ['G-m365', 1],
      ],
    ]);
    const big = { id: 'G-big', displayName: 'Big', groupTypes: [], securityEnabled: true, mailEnabled: false };
    expect(first.pages[0]!.groups[0]).toEqual({
      ...big,
      memberChanges: [0, 1, 2].map((i) => ({ id: uid(i), kind: 'user', removed: false })),
    });
    expect(first.pages[1]!.groups[1]).toEqual({
      id: 'G-m365',
      displayName: 'Team',
      groupTypes: ['Unified'],
      securityEnabled: false,
      mailEnabled: true,
      memberChanges: [{ id: 'G-big', kind: 'group', removed: false }],
    });

    graph.removeGroupMember('G-big', uid(0));
    graph.addGroupMember('G-big', uid(5));
    graph.softDeleteGroup('G-m365');
    const second = await round({ kind: 'link', url: first.deltaLink });
    expect(second.pages).toEqual([
      {
        groups: [
          {
            ...big,
            memberChanges: [
              { id: uid(0), kind: 'user', removed: true },
              { id: uid(5), kind: 'user', removed: false },
            ],
          },
        ],
        removed: [{ id: 'G-m365', reason: 'changed' }],
        deltaLink: expect.stringContaining('/v1.0/groups/delta?$deltatoken='),
      },
    ]);
  });

  it('reports an expired or foreign groups link as DELTA_TOKEN_EXPIRED', async () => {
    graph.seed(users, [{ id: 'G', displayName: 'G', memberIds: users.map((u) => u.id) }]);
    const pages = reader.groupsDelta({ kind: 'initial' })[Symbol.asyncIterator]();
    expect((await pages.next()).value.groups).toHaveLength(1);
    graph.faults.expireDeltaTokens('gone');
    expect(await appErrorOf(pages.next())).toMatchObject({ code: 'DELTA_TOKEN_EXPIRED', upstreamStatus: 410 });
    const before = reader.requestCount();
    const foreign = reader.groupsDelta({ kind: 'link', url: 'https://graph.microsoft.com/v1.0/groups/delta?$deltatoken=abc' });
    expect(await appErrorOf(foreign[Symbol.asyncIterator]().next())).toMatchObject({ code: 'DELTA_TOKEN_EXPIRED' });
    expect(reader.requestCount()).toBe(before);
  });

  it('reads one group with its type properties, null once deleted or unknown', async () => {
    graph.seed(users, [{ id: 'G-team', displayName: 'Team', groupTypes: ['Unified'], mailEnabled: true, memberIds: [] }]);
    expect(await reader.getGroup('G-team')).toEqual({
      id: 'G-team',
      displayName: 'Team',
      groupTypes: ['Unified'],
      securityEnabled: true,
      mailEnabled: true,
    });
    graph.softDeleteGroup('G-team');
    expect(await reader.getGroup('G-team')).toBeNull();
    expect(await reader.getGroup('never-there')).toBeNull();
  });

  it('lists direct or transitive user members across pages; NOT_FOUND for a missing group', async () => {
    const many = generateUsers(1200, { seed: 8 });
    const inner = many.slice(0, 1100).map((u) => u.id);
    graph.seed(many, [
      { id: 'g-outer', displayName: 'Outer', memberIds: [many[1150]!.id, 'g-inner'] },
      { id: 'g-inner', displayName: 'Inner', memberIds: inner },
    ]);
    expect(graph.enforceAdvancedQueries).toBe(true);
    expect(await reader.listGroupMemberUserIds('g-outer', 'direct')).toEqual([many[1150]!.id]);
    const seen = graph.stats.requests;
    expect((await reader.listGroupMemberUserIds('g-inner', 'direct')).sort()).toEqual([...inner].sort());
    expect(graph.stats.requests - seen).toBe(2);
    expect((await reader.listGroupMemberUserIds('g-outer')).sort()).toEqual([...inner, many[1150]!.id].sort());
    expect((await reader.listGroupMemberUserIds('g-outer', 'transitive')).sort()).toEqual([...inner, many[1150]!.id].sort());
    expect(await appErrorOf(reader.listGroupMemberUserIds('missing', 'direct'))).toMatchObject({ code: 'NOT_FOUND', upstreamStatus: 404 });
  });

  it('lists the groups a group is nested in as an advanced query, through cycles; NOT_FOUND for a missing group', async () => {
    graph.seed(users, [
      { id: 'leaf', displayName: 'Leaf', memberIds: [uid(0)] },
      { id: 'mid', displayName: 'Mid', memberIds: ['leaf', 'top'] },
      { id: 'top', displayName: 'Top', memberIds: ['mid'] },
    ]);
    expect(graph.enforceAdvancedQueries).toBe(true);
    expect((await reader.listGroupAncestorIds('leaf')).sort()).toEqual(['mid', 'top']);
    expect(await reader.listGroupAncestorIds('top')).toEqual(['mid']);
    graph.hardDeleteGroup('mid');
    expect(await reader.listGroupAncestorIds('leaf')).toEqual([]);
    expect(await appErrorOf(reader.listGroupAncestorIds('mid'))).toMatchObject({ code: 'NOT_FOUND', upstreamStatus: 404 });
  });

  it("lists a user's groups, nested ones included, as an advanced query; NOT_FOUND for a missing user", async () => {
    graph.seed(users, [
      { id: 'leaf', displayName: 'Leaf', memberIds: [uid(0)] },
      { id: 'mid', displayName: 'Mid', memberIds: ['leaf', uid(1)] },
      { id: 'top', displayName: 'Top', memberIds: ['mid'] },
      { id: 'other', displayName: 'Other', memberIds: [uid(2)] },
    ]);
    expect((await reader.listUserGroupIds(uid(0))).sort()).toEqual(['leaf', 'mid', 'top']);
    expect((await reader.listUserGroupIds(uid(1))).sort()).toEqual(['mid', 'top']);
    expect(await reader.listUserGroupIds(uid(3))).toEqual([]);
    graph.removeGroupMember('mid', 'leaf');
    expect(await reader.listUserGroupIds(uid(0))).toEqual(['leaf']);
    graph.hardDeleteUser(uid(0));
    expect(await appErrorOf(reader.listUserGroupIds(uid(0)))).toMatchObject({ code: 'NOT_FOUND', upstreamStatus: 404 });
    // Without the advanced query parameters a strict tenant refuses the cast: the reader always sends them.
    const raw = await fetch(`${graph.baseUrl}/v1.0/users/${uid(1)}/transitiveMemberOf/microsoft.graph.group`, {
      headers: { authorization: `Bearer ${graph.token}` },
    });
    expect(raw.status).toBe(400);
    expect(((await raw.json()) as { error: { code: string } }).error.code).toBe('Request_UnsupportedQuery');
  });

  it('starts a round from now: a deltaLink and no data, then only what changed after it', async () => {
    graph.seed(users, [{ id: 'g1', displayName: 'One', memberIds: [uid(0)] }]);
    const now = await round({ kind: 'latest' });
    expect(now.pages).toEqual([expect.objectContaining({ groups: [], removed: [] })]);
    expect(now.requests).toBe(1);
    graph.addGroupMember('g1', uid(1));
    const next = await round({ kind: 'link', url: now.deltaLink });
    expect(next.pages.flatMap((p) => p.groups)).toEqual([
      expect.objectContaining({ id: 'g1', memberChanges: [{ id: uid(1), kind: 'user', removed: false }] }),
    ]);
  });
});
