import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TenantConfigSchema } from '../../../../shared/config/TenantConfig';
import { GraphDirectoryReader } from '../../../../shared/graph/GraphDirectoryReader';
import { createGraphClient } from '../../../../shared/graph/createGraphClient';
import { GraphSandbox, generateUsers } from '../../../../sandbox/graph';

let graph: GraphSandbox;

beforeAll(async () => {
  graph = await GraphSandbox.start();
});
afterAll(() => graph?.stop());

const countAt = (headers: Record<string, string>) => fetch(`${graph.baseUrl}/v1.0/users/$count`, { headers });
const withToken = (extra: Record<string, string> = {}) => ({ authorization: `Bearer ${graph.token}`, ...extra });

describe('sandbox Graph: GET /v1.0/users/$count', () => {
  it('answers the live users as text/plain, with ConsistencyLevel: eventual', async () => {
    const users = generateUsers(23, { seed: 3 });
    graph.seed(users);
    const res = await countAt(withToken({ consistencylevel: 'eventual' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(await res.text()).toBe('23');
    // A deleted user is no longer counted (it is in the deleted items, not in /users).
    graph.softDeleteUser(users[0]!.id);
    expect(await (await countAt(withToken({ consistencylevel: 'eventual' }))).text()).toBe('22');
    expect(graph.stats.byRoute['GET /users/$count']).toBe(2);
  });

  it('refuses a count without ConsistencyLevel: eventual with 400, as Graph does', async () => {
    graph.seed(generateUsers(2));
    for (const headers of [withToken(), withToken({ consistencylevel: 'session' })]) {
      const res = await countAt(headers);
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('Request_BadRequest');
      expect(body.error.message).toContain('$count');
    }
  });

  it('needs the token and takes injected faults like every Graph route', async () => {
    const unauthenticated = await countAt({ consistencylevel: 'eventual' });
    expect(unauthenticated.status).toBe(401);
    graph.faults.throttleNext(1, 3);
    const throttled = await countAt(withToken({ consistencylevel: 'eventual' }));
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('3');
  });

  it("the connector's reader counts through the Graph client", async () => {
    graph.seed(generateUsers(41, { seed: 9 }));
    const microsoft365 = TenantConfigSchema.shape.microsoft365.parse({
      directoryId: '00000000-0000-4000-8000-000000000001',
      applicationId: '00000000-0000-4000-8000-000000000002',
      auth: { kind: 'sandbox', graphBaseUrl: graph.baseUrl },
    });
    const connection = await createGraphClient({ microsoft365, credentialSecret: graph.token });
    const reader = new GraphDirectoryReader(connection.client, connection.versionRoot, connection.requestCount);
    await expect(reader.countUsers()).resolves.toBe(41);
  });
});
