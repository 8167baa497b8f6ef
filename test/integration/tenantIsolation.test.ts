import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Services } from '../../shared/app/Services';
import { tenantSecretNames } from '../../shared/platform/secrets/tenantSecretNames';
import { GraphSandbox, demoCompany } from '../../sandbox/graph';
import { PortSipSandbox } from '../../sandbox/portsip';
import { tenantConfigFixture } from '../fixtures/tenantConfigs/tenantConfigFixture';
import { adminCaller } from '../support/adminCall';
import { createSandboxTenant } from '../support/sandboxTenant';

/** An HTTP listener of an attacker's choosing: records every request (with its body) and answers 200 {}. */
async function startListener(): Promise<{ url: string; requests: { path: string; body: string }[]; stop: () => Promise<void> }> {
  const requests: { path: string; body: string }[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      requests.push({ path: req.url ?? '', body });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

let graph: GraphSandbox;
let pbx: PortSipSandbox;
let services: Services;
let listener: Awaited<ReturnType<typeof startListener>>;
const call = adminCaller(() => services);

beforeAll(async () => {
  graph = await GraphSandbox.start();
  graph.seed(demoCompany().users, []);
  pbx = await PortSipSandbox.start();
  listener = await startListener();
  // Tenant "victim" on the sandboxes, with its secrets written.
  services = (await createSandboxTenant({ graph, pbx }, 'victim')).services;
});
afterAll(async () => {
  await listener?.stop();
  await graph?.stop();
  await pbx?.stop();
});

const victimConfig = async () => (await services.tenants.get('victim'))!.config;

describe("a tenant can only use its own secrets (finding 6: reading another tenant's PBX password)", () => {
  it('the attack from the finding: a tenant naming the victim’s secret and a listener gets NOT_READY, and the listener gets nothing', async () => {
    const victim = await victimConfig();
    // As sent before version 3 (a saved request body): it names the victim's secrets, and worse, old names.
    const steal = {
      schemaVersion: 2,
      displayName: 'Steal',
      microsoft365: {
        ...victim.microsoft365,
        auth: {
          kind: 'sandbox',
          token: 'guess',
          graphBaseUrl: victim.microsoft365.auth.kind === 'sandbox' ? victim.microsoft365.auth.graphBaseUrl : '',
        },
      },
      pbx: { kind: 'portsip', baseUrl: listener.url, domain: 'steal.example', credentialSecretName: tenantSecretNames('victim').pbx },
    };
    const created = await call('putTenant', { method: 'PUT', params: { id: 'steal' }, body: steal });
    expect(created.status).toBe(201);
    // The fields that named secrets are gone from what was stored (migrated to version 3).
    expect(JSON.stringify(created.body.config)).not.toContain('tenant-victim');
    expect(JSON.stringify(created.body.config)).not.toContain('credentialSecretName');

    const dryRun = await call('syncTenant', { method: 'POST', params: { id: 'steal' }, query: 'dryRun=true' });
    expect(dryRun.status).toBe(409);
    expect(dryRun.body.error.code).toBe('NOT_READY');
    expect(dryRun.body.error.message).toContain('tenant-steal-');
    expect(listener.requests).toEqual([]);

    // Even with its own Graph secret written, the PBX side stays NOT_READY: steal has no PBX credential.
    await call('putGraphSecret', { method: 'PUT', params: { id: 'steal' }, body: { token: graph.token } });
    const again = await call('syncTenant', { method: 'POST', params: { id: 'steal' }, query: 'dryRun=true' });
    expect(again.body.error).toMatchObject({
      code: 'NOT_READY',
      details: { secret: 'tenant-steal-pbx', write: 'PUT /api/tenants/steal/secrets/pbx' },
    });
    expect(again.body.error.message).toContain('write the PBX credential with PUT /api/tenants/steal/secrets/pbx');
    expect(listener.requests).toEqual([]);
  });

  it('a stored version-2 configuration naming another tenant’s secrets reads its own derived names, not those', async () => {
    // v2-certificate names "contoso-pbx-admin" and "contoso-graph"; planted as they were stored.
    await services.secrets.setSecret('contoso-pbx-admin', JSON.stringify({ username: 'contoso-admin', password: 'Contoso!Pw#1' }));
    const stored = tenantConfigFixture('v2-certificate');
    const res = await call('putTenant', { method: 'PUT', params: { id: 'migrated' }, body: stored });
    expect(res.status).toBe(201);
    const dryRun = await call('syncTenant', { method: 'POST', params: { id: 'migrated' }, query: 'dryRun=true' });
    expect(dryRun.body.error).toMatchObject({ code: 'NOT_READY', details: { secret: 'tenant-migrated-graph-cert' } });
    expect(JSON.stringify(dryRun.body)).not.toContain('contoso');
  });

  it("tenant A's secret routes write A's secrets only; B's stay as they were", async () => {
    await call('putTenant', { method: 'PUT', params: { id: 'tenant-a' }, body: { ...(await victimConfig()), displayName: 'A' } });
    const victimBefore = await services.secrets.getSecret(tenantSecretNames('victim').pbx);
    expect(
      (await call('putPbxSecret', { method: 'PUT', params: { id: 'tenant-a' }, body: { username: 'a', password: 'A-only#1' } })).status,
    ).toBe(204);
    expect((await call('putGraphSecret', { method: 'PUT', params: { id: 'tenant-a' }, body: { token: 'a-token' } })).status).toBe(204);
    expect(await services.secrets.getSecret(tenantSecretNames('victim').pbx)).toBe(victimBefore);
    expect(await services.secrets.getSecret(tenantSecretNames('victim').graph)).toBe(graph.token);
    expect(JSON.parse(await services.secrets.getSecret('tenant-tenant-a-pbx'))).toMatchObject({ username: 'a' });
    // A route's tenant is its path's id: nothing in the body or the query can name another tenant's secret.
    const named = await call('putPbxSecret', {
      method: 'PUT',
      params: { id: 'tenant-a' },
      body: { username: 'a', password: 'x', name: tenantSecretNames('victim').pbx },
    });
    expect(named.status).toBe(422);
    const query = await call('putPbxSecret', {
      method: 'PUT',
      params: { id: 'tenant-a' },
      query: 'tenant=victim',
      body: { username: 'a', password: 'x' },
    });
    expect(query.status).toBe(400);
    expect(await services.secrets.getSecret(tenantSecretNames('victim').pbx)).toBe(victimBefore);
  });

  it('a URL change on a tenant never sends its credential to the new origin: NOT_READY until it is written again', async () => {
    const victim = await victimConfig();
    // The victim syncs fine on its own PBX.
    expect((await call('syncTenant', { method: 'POST', params: { id: 'victim' }, query: 'dryRun=true' })).status).toBe(200);
    const moved = await call('putTenant', {
      method: 'PUT',
      params: { id: 'victim' },
      body: { ...victim, pbx: { ...victim.pbx, baseUrl: listener.url } },
    });
    expect(moved.status).toBe(200);
    const dryRun = await call('syncTenant', { method: 'POST', params: { id: 'victim' }, query: 'dryRun=true' });
    expect(dryRun.status).toBe(409);
    expect(dryRun.body.error.code).toBe('NOT_READY');
    expect(dryRun.body.error.message).toContain('the PBX URL changed');
    expect(dryRun.body.error.message).toContain('write the PBX credential again with PUT /api/tenants/victim/secrets/pbx');
    expect(listener.requests).toEqual([]);
    const listed = await call('listSecrets', { method: 'GET', params: { id: 'victim' } });
    expect(listed.body.value[0]).toMatchObject({ kind: 'pbx', matchesPbxUrl: false, origin: pbx.baseUrl });

    // Plain http to a host that is not this machine is refused outright.
    const plain = await call('putTenant', {
      method: 'PUT',
      params: { id: 'victim' },
      body: { ...victim, pbx: { ...victim.pbx, baseUrl: 'http://pbx.attacker.example:8887' } },
    });
    expect(plain.status).toBe(422);
    expect(JSON.stringify(plain.body)).toContain('pbx.baseUrl');

    // Back on its own PBX, the credential works again without being written.
    await call('putTenant', { method: 'PUT', params: { id: 'victim' }, body: victim });
    expect((await call('syncTenant', { method: 'POST', params: { id: 'victim' }, query: 'dryRun=true' })).status).toBe(200);
    expect(listener.requests).toEqual([]);
  });
});
