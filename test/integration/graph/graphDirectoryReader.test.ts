import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TenantConfigSchema } from '../../../shared/config/TenantConfig';
import { AppError } from '../../../shared/errors/AppError';
import { DeltaStart } from '../../../shared/graph/DirectoryReader';
import { GraphDirectoryReader } from '../../../shared/graph/GraphDirectoryReader';
import { UsersDeltaPage } from '../../../shared/graph/GraphUser';
import { createGraphClient } from '../../../shared/graph/createGraphClient';
import { LocalSecretStore } from '../../../shared/secrets/LocalSecretStore';
import { GraphSandbox, generateUsers } from '../../sandbox/graph';

let graph: GraphSandbox;
let reader: GraphDirectoryReader;

beforeAll(async () => {
  graph = await GraphSandbox.start({ pageSize: 200 });
  const m365 = TenantConfigSchema.shape.microsoft365.parse({ directoryId: '00000000-0000-4000-8000-000000000001', applicationId: '00000000-0000-4000-8000-000000000002', auth: { kind: 'sandbox', token: graph.token, graphBaseUrl: graph.baseUrl } });
  const connection = await createGraphClient({ microsoft365: m365, secrets: new LocalSecretStore('/dev/null/unused') });
  reader = new GraphDirectoryReader(connection.client, connection.versionRoot, connection.requestCount);
});
afterAll(() => graph.stop());

async function round(start: DeltaStart): Promise<{ pages: UsersDeltaPage[]; deltaLink: string }> {
  const pages: UsersDeltaPage[] = [];
  for await (const page of reader.usersDelta(start)) pages.push(page);
  return { pages, deltaLink: pages.at(-1)!.deltaLink! };
}

describe('GraphDirectoryReader over the sandbox Graph', () => {
  it('reads a full round page by page with the selected properties, then only changes', async () => {
    const users = generateUsers(1050, { seed: 5 });
    graph.seed(users);
    const first = await round({ kind: 'initial' });
    expect(first.pages).toHaveLength(6);
    expect(first.pages.flatMap((p) => p.users)).toHaveLength(1050);
    const sample = first.pages[0]!.users[0]!;
    expect(sample).toHaveProperty('accountEnabled');
    expect(sample).toHaveProperty('userType');

    graph.updateUser(users[0]!.id, { department: 'Changed' });
    graph.updateUser(users[1]!.id, { officeLocation: 'not selected' } as never);
    graph.softDeleteUser(users[2]!.id);
    graph.hardDeleteUser(users[3]!.id);
    const second = await round({ kind: 'link', url: first.deltaLink });
    expect(second.pages.flatMap((p) => p.users).map((u) => [u.id, u.department])).toEqual([[users[0]!.id, 'Changed']]);
    expect(second.pages.flatMap((p) => p.removed)).toEqual(
      expect.arrayContaining([
        { id: users[2]!.id, reason: 'changed' },
        { id: users[3]!.id, reason: 'deleted' },
      ]),
    );
    const third = await round({ kind: 'link', url: second.deltaLink });
    expect(third.pages.flatMap((p) => [...p.users, ...p.removed])).toHaveLength(0);
  });

  it('retries 429 (honouring Retry-After) and 503, counting every request', async () => {
    graph.seed(generateUsers(10));
    const before = reader.requestCount();
    graph.faults.throttleNext(1, 1);
    graph.faults.failNext(1, 503);
    const started = Date.now();
    const result = await round({ kind: 'initial' });
    expect(result.pages.flatMap((p) => p.users)).toHaveLength(10);
    expect(reader.requestCount() - before).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
  });

  it.each(['syncStateNotFound', 'gone'] as const)('reports an expired token (%s) as DELTA_TOKEN_EXPIRED', async (kind) => {
    graph.seed(generateUsers(5));
    const { deltaLink } = await round({ kind: 'initial' });
    graph.faults.expireDeltaTokens(kind);
    await expect(round({ kind: 'link', url: deltaLink })).rejects.toSatisfy((e: unknown) => e instanceof AppError && e.code === 'DELTA_TOKEN_EXPIRED');
  });

  it('lists transitive group members and reads users by id (null when gone)', async () => {
    const users = generateUsers(3);
    graph.seed(users, [
      { id: 'g-outer', displayName: 'Outer', memberIds: [users[0]!.id, 'g-inner'] },
      { id: 'g-inner', displayName: 'Inner', memberIds: [users[1]!.id] },
    ]);
    expect((await reader.listGroupMemberUserIds('g-outer')).sort()).toEqual([users[0]!.id, users[1]!.id].sort());
    await expect(reader.listGroupMemberUserIds('missing')).rejects.toSatisfy((e: unknown) => e instanceof AppError && e.code === 'NOT_FOUND');
    expect((await reader.getUser(users[2]!.id))?.userPrincipalName).toBe(users[2]!.userPrincipalName);
    graph.hardDeleteUser(users[2]!.id);
    expect(await reader.getUser(users[2]!.id)).toBeNull();
  });
});
