import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TenantConfigSchema } from '../../../shared/config/TenantConfig';
import { type DeltaStart } from '../../../shared/graph/DirectoryReader';
import { GraphDirectoryReader } from '../../../shared/graph/GraphDirectoryReader';
import { type UsersDeltaPage } from '../../../shared/graph/GraphUser';
import { createGraphClient } from '../../../shared/graph/createGraphClient';
import { GraphSandbox, generateUsers } from '../../../sandbox/graph';
import { appErrorOf } from '../../support/appErrorOf';

let graph: GraphSandbox;
let reader: GraphDirectoryReader;

async function readerFor(options: { token?: string; maxRetries?: number } = {}): Promise<GraphDirectoryReader> {
  const microsoft365 = TenantConfigSchema.shape.microsoft365.parse({
    directoryId: '00000000-0000-4000-8000-000000000001',
    applicationId: '00000000-0000-4000-8000-000000000002',
    auth: { kind: 'sandbox', graphBaseUrl: graph.baseUrl },
  });
  // The sandbox kind's secret is its token.
  const connection = await createGraphClient({
    microsoft365,
    credentialSecret: options.token ?? graph.token,
    ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
  });
  expect(connection.baseUrl).toBe(graph.baseUrl);
  return new GraphDirectoryReader(connection.client, connection.versionRoot, connection.requestCount);
}

beforeAll(async () => {
  graph = await GraphSandbox.start({ pageSize: 200 });
  reader = await readerFor();
});
afterAll(() => graph.stop());

async function round(start: DeltaStart, on: GraphDirectoryReader = reader): Promise<{ pages: UsersDeltaPage[]; deltaLink: string }> {
  const pages: UsersDeltaPage[] = [];
  for await (const page of on.usersDelta(start)) pages.push(page);
  return { pages, deltaLink: pages.at(-1)!.deltaLink! };
}

/** Requests the reader counted and the sandbox saw during `action`; they must agree. */
async function counted<T>(action: () => Promise<T>, on: GraphDirectoryReader = reader): Promise<{ result: T; requests: number }> {
  const before = on.requestCount();
  const seen = graph.stats.requests;
  const result = await action();
  const requests = on.requestCount() - before;
  expect(requests).toBe(graph.stats.requests - seen);
  return { result, requests };
}

describe('GraphDirectoryReader over the sandbox Graph', () => {
  it('reads a full round page by page with every selected property, then only the changes', async () => {
    const users = generateUsers(1050, { seed: 5 });
    graph.seed(users);
    const { result: first, requests } = await counted(() => round({ kind: 'initial' }));
    expect(requests).toBe(6);
    expect(first.pages.map((p) => p.users.length)).toEqual([200, 200, 200, 200, 200, 50]);
    expect(first.pages.slice(0, -1).every((p) => p.nextLink && !p.deltaLink)).toBe(true);
    expect(first.pages.at(-1)!.nextLink).toBeUndefined();
    const read = first.pages.flatMap((p) => p.users);
    expect(new Set(read.map((u) => u.id))).toEqual(new Set(users.map((u) => u.id)));
    // Not in Graph's default set: they only arrive because $select names them.
    expect(read.every((u) => typeof u.accountEnabled === 'boolean' && (u.userType === 'Member' || u.userType === 'Guest'))).toBe(true);
    expect(read.filter((u) => u.accountEnabled === false).length).toBeGreaterThan(0);
    expect(read.filter((u) => u.userType === 'Guest').length).toBeGreaterThan(0);
    expect(read.some((u) => u.onPremisesExtensionAttributes?.extensionAttribute1)).toBe(true);
    expect(read.some((u) => u.employeeId)).toBe(true);

    const added = generateUsers(1, { seed: 99 })[0]!;
    graph.addUser(added);
    graph.updateUser(users[0]!.id, { department: 'Changed' });
    graph.updateUser(users[1]!.id, { officeLocation: 'not a selected property' } as never);
    graph.softDeleteUser(users[2]!.id);
    graph.hardDeleteUser(users[3]!.id);
    const second = await round({ kind: 'link', url: first.deltaLink });
    expect(
      second.pages
        .flatMap((p) => p.users)
        .map((u) => [u.id, u.department ?? null])
        .sort(),
    ).toEqual(
      [
        [users[0]!.id, 'Changed'],
        [added.id, added.department ?? null],
      ].sort(),
    );
    expect(second.pages.flatMap((p) => p.removed)).toEqual(
      expect.arrayContaining([
        { id: users[2]!.id, reason: 'changed' },
        { id: users[3]!.id, reason: 'deleted' },
      ]),
    );
    expect(second.pages.flatMap((p) => p.removed)).toHaveLength(2);

    const third = await round({ kind: 'link', url: second.deltaLink });
    expect(third.pages.flatMap((p) => [...p.users, ...p.removed])).toHaveLength(0);
  });

  it('retries 429 after its Retry-After and 503/504, counting every request', async () => {
    graph.seed(generateUsers(10));
    graph.faults.throttleNext(1, 1);
    graph.faults.failNext(1, 503);
    graph.faults.failNext(1, 504);
    const started = Date.now();
    const { result, requests } = await counted(() => round({ kind: 'initial' }));
    expect(result.pages.flatMap((p) => p.users)).toHaveLength(10);
    expect(requests).toBe(4);
    // Each fault answered Retry-After: 1.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
  });

  it('gives up after maxRetries with THROTTLED carrying Retry-After, and does not retry a 500', async () => {
    graph.seed(generateUsers(3));
    const impatient = await readerFor({ maxRetries: 1 });
    graph.faults.throttleNext(2, 0);
    const { result: throttled, requests } = await counted(() => appErrorOf(round({ kind: 'initial' }, impatient)), impatient);
    expect(requests).toBe(2);
    expect(throttled).toMatchObject({ code: 'THROTTLED', upstreamStatus: 429, upstreamCode: 'TooManyRequests', retryAfterMs: 0 });

    graph.faults.failNext(1, 500);
    const { result: broken, requests: once } = await counted(() => appErrorOf(round({ kind: 'initial' })));
    expect(once).toBe(1);
    expect(broken).toMatchObject({ code: 'TRANSIENT', upstreamStatus: 500 });
  });

  it.each([
    ['syncStateNotFound', 400, 'syncStateNotFound'],
    ['gone', 410, 'resyncRequired'],
  ] as const)('reports an expired delta token (%s) as DELTA_TOKEN_EXPIRED', async (kind, status, code) => {
    graph.seed(generateUsers(5));
    const { deltaLink } = await round({ kind: 'initial' });
    graph.faults.expireDeltaTokens(kind);
    expect(await appErrorOf(round({ kind: 'link', url: deltaLink }))).toMatchObject({
      code: 'DELTA_TOKEN_EXPIRED',
      upstreamStatus: status,
      upstreamCode: code,
    });
  });

  it('reports a round whose skip token expires mid-way as DELTA_TOKEN_EXPIRED, after yielding the pages it had', async () => {
    graph.seed(generateUsers(450));
    const pages = reader.usersDelta({ kind: 'initial' })[Symbol.asyncIterator]();
    expect((await pages.next()).value.users).toHaveLength(200);
    graph.faults.expireDeltaTokens('syncStateNotFound');
    expect(await appErrorOf(pages.next())).toMatchObject({ code: 'DELTA_TOKEN_EXPIRED' });
  });

  it('treats a saved link from another Graph endpoint as expired without sending it', async () => {
    const { requests, result } = await counted(() =>
      appErrorOf(round({ kind: 'link', url: 'https://graph.microsoft.com/v1.0/users/delta?$deltatoken=abc' })),
    );
    expect(result.code).toBe('DELTA_TOKEN_EXPIRED');
    expect(requests).toBe(0);
  });

  it('maps a rejected token to UNAUTHORIZED', async () => {
    const stranger = await readerFor({ token: 'not-the-sandbox-token' });
    expect(await appErrorOf(stranger.getUser('anyone'))).toMatchObject({ code: 'UNAUTHORIZED', upstreamStatus: 401 });
  });

  it('lists transitive user members across pages as an advanced query (the sandbox refuses it otherwise); NOT_FOUND for a missing group', async () => {
    const users = generateUsers(1200, { seed: 8 });
    const inner = users.slice(0, 1100).map((u) => u.id);
    graph.seed(users, [
      { id: 'g-outer', displayName: 'Outer', memberIds: [users[1150]!.id, 'g-inner'] },
      { id: 'g-inner', displayName: 'Inner', memberIds: inner },
    ]);
    // Strict like a tenant that enforces Graph's documented rule: without ConsistencyLevel + $count=true → 400.
    expect(graph.enforceAdvancedQueries).toBe(true);
    const plain = await fetch(`${graph.baseUrl}/v1.0/groups/g-outer/transitiveMembers/microsoft.graph.user?$select=id&$top=999`, {
      headers: { authorization: `Bearer ${graph.token}` },
    });
    expect(plain.status).toBe(400);
    expect(((await plain.json()) as { error: { code: string } }).error.code).toBe('Request_UnsupportedQuery');
    const { result: ids, requests } = await counted(() => reader.listGroupMemberUserIds('g-outer'));
    expect(requests).toBe(2);
    expect(ids.sort()).toEqual([...inner, users[1150]!.id].sort());
    expect(await appErrorOf(reader.listGroupMemberUserIds('missing'))).toMatchObject({ code: 'NOT_FOUND', upstreamStatus: 404 });
  });

  it('reads one user by id with the selected properties, null once deleted', async () => {
    const users = generateUsers(3);
    graph.seed(users);
    const user = await reader.getUser(users[2]!.id);
    expect(user).toMatchObject({
      id: users[2]!.id,
      userPrincipalName: users[2]!.userPrincipalName,
      accountEnabled: users[2]!.accountEnabled,
      userType: users[2]!.userType,
    });
    graph.softDeleteUser(users[1]!.id);
    graph.hardDeleteUser(users[2]!.id);
    expect(await reader.getUser(users[1]!.id)).toBeNull();
    expect(await reader.getUser(users[2]!.id)).toBeNull();
  });

  it('lists the deleted (restorable) users page by page, and answers per id; purged users are in neither', async () => {
    const users = generateUsers(1_200, { seed: 5 });
    graph.seed(users);
    const soft = users.slice(0, 1_001).map((u) => u.id);
    for (const id of soft) graph.softDeleteUser(id);
    graph.hardDeleteUser(users[1_000]!.id); // purged after the soft delete
    graph.hardDeleteUser(users[1_100]!.id); // deleted for good at once
    const { result: ids, requests } = await counted(() => reader.listDeletedUserIds());
    expect(requests).toBe(2); // $top=999: 1,000 deleted items are two pages
    expect(ids).toEqual(new Set(soft.slice(0, 1_000).map((id) => id.toLowerCase())));

    const one = await counted(() => reader.isDeletedUser(users[0]!.id));
    expect(one).toEqual({ result: true, requests: 1 });
    for (const id of [users[1_000]!.id, users[1_100]!.id, users[1_150]!.id, '00000000-0000-4000-8000-0000000fffff'])
      expect(await reader.isDeletedUser(id)).toBe(false);
  });
});
