import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphSandbox } from '../../../../sandbox/graph';
import { ThreeCxSandbox } from '../../../../sandbox/threecx';
import { processSyncJob } from '../../../../shared/app/processSyncJob';
import { featureSyncJob } from '../../../../shared/app/jobs/featureSyncJob';
import { Logger } from '../../../../shared/core/logging/Logger';
import { newRunId } from '../../../../shared/engine/newRunId';
import { type SyncRun } from '../../../../shared/engine/RunStore';
import { usersManifest } from '../../../../shared/features/users/usersManifest';
import { UserSyncOptionsSchema } from '../../../../shared/features/users/usersOptions';
import { sandboxTenantConfig, writeSandboxTenantSecrets } from '../../../../shared/platform/local/sandboxTenantConfig';
import { createTestServices } from '../../../support/testServices';
import { numberedGuid, numberedUser } from '../../../support/numberedUser';
import { adminCaller } from '../../../support/adminCall';

let graph: GraphSandbox;
let pbx: ThreeCxSandbox;
let services: Awaited<ReturnType<typeof createTestServices>>;
const tenantId = 'tcx';
const admin = adminCaller(() => services);

beforeAll(async () => {
  graph = await GraphSandbox.start();
  pbx = await ThreeCxSandbox.start({ extensionLength: 4 });
  services = await createTestServices();
  const endpoints = {
    graphBaseUrl: graph.baseUrl,
    graphToken: graph.token,
    pbxBaseUrl: pbx.baseUrl,
    pbxDomain: '',
    threeCxClientId: pbx.credentials.clientId,
  };
  await writeSandboxTenantSecrets(services.secrets, tenantId, endpoints, {
    username: pbx.credentials.clientId,
    password: pbx.credentials.clientSecret,
  });
  await services.tenants.create(
    tenantId,
    sandboxTenantConfig(endpoints, UserSyncOptionsSchema.parse({ numbering: { mode: 'fromStart', start: '2000' } })),
  );
});
afterAll(async () => {
  await graph.stop();
  await pbx.stop();
});

async function sync(mode: 'full' | 'delta'): Promise<SyncRun> {
  const runId = newRunId();
  await processSyncJob(services, featureSyncJob(usersManifest, { tenantId, runId, mode, trigger: 'manual' }), Logger.silent());
  const run = (await services.runs.get(tenantId, runId))!;
  expect(run.status, JSON.stringify(run.issues)).toBe('succeeded');
  return run;
}
const NAMES = ['', 'Ann', 'Bob', 'Cem'];
const extensionOf = (n: number) => pbx.users().find((u) => u.email === numberedUser(n, NAMES[n]!).mail);

describe('users → extensions on 3CX, end to end (sandbox Graph → connector → 3CX simulator)', () => {
  it('creates, renames, disables, deletes; a no-change re-sync writes nothing; faults are ridden out', async () => {
    const seeded = pbx.users().length;
    graph.seed([numberedUser(1, 'Ann'), numberedUser(2, 'Bob'), numberedUser(3, 'Cem')], []);
    const first = await sync('full');
    expect(first.counts).toMatchObject({ created: 3, failed: 0 });
    expect(pbx.users()).toHaveLength(seeded + 3);
    const ann = extensionOf(1)!;
    expect(ann).toMatchObject({ number: '2000', firstName: 'Ann', enabled: true });
    // The messy users already on the PBX are not the connector's: untouched.
    expect(pbx.userByNumber('100')).toBeDefined();

    pbx.stats.reset();
    const again = await sync('full');
    expect(again.counts).toMatchObject({ created: 0, updated: 0, deleted: 0 });
    expect(pbx.stats.writes).toBe(0);

    graph.updateUser(numberedGuid(1), { givenName: 'Anna', displayName: 'Anna Smith' });
    graph.updateUser(numberedGuid(2), { accountEnabled: false });
    graph.hardDeleteUser(numberedGuid(3));
    pbx.faults.throttleNext(1, 0);
    pbx.faults.failNext(1, 503);
    const changes = await sync('delta');
    expect(changes.counts).toMatchObject({ updated: 1, disabled: 1, deleted: 1, failed: 0 });
    expect(extensionOf(1)).toMatchObject({ number: '2000', firstName: 'Anna', displayName: 'Anna Smith' });
    expect(extensionOf(2)).toMatchObject({ enabled: false });
    expect(extensionOf(3)).toBeUndefined();
  });

  it('takes the client secret through the admin API and refuses a PortSIP-shaped body', async () => {
    const bad = await admin('putPbxSecret', { method: 'PUT', params: { id: tenantId }, body: { username: 'a', password: 'b' } });
    expect(bad.status).toBe(422);
    const good = await admin('putPbxSecret', {
      method: 'PUT',
      params: { id: tenantId },
      body: { clientSecret: pbx.credentials.clientSecret },
    });
    expect(good.status).toBe(204);
    const dry = await admin('syncTenant', { method: 'POST', params: { id: tenantId }, query: 'dryRun=true&feature=users' });
    expect(dry.status).toBe(200);
    expect(dry.body.counts).toMatchObject({ created: 0, failed: 0 });
  });
});

describe('features 3CX does not support', () => {
  it('refuses groups on a 3CX tenant when the configuration is written, naming the feature and the product', async () => {
    const config = (await services.tenants.get(tenantId))!.config;
    const answer = await admin('putTenant', {
      method: 'PUT',
      params: { id: tenantId },
      body: { ...config, groups: { enabled: true } },
    });
    expect(answer.status).toBe(422);
    expect(answer.body.error.details).toEqual([
      { path: 'groups.enabled', message: 'pbx.kind 3cx does not support groups in this connector: turn groups off' },
    ]);
    expect((await admin('putTenant', { method: 'PUT', params: { id: tenantId }, body: config })).status).toBe(200);
  });
});
