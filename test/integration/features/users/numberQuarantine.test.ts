import { describe, expect, it } from 'vitest';
import { processSyncJob } from '../../../../shared/app/processSyncJob';
import { type Services } from '../../../../shared/app/Services';
import { newRunId } from '../../../../shared/engine/newRunId';
import { type SyncRun } from '../../../../shared/engine/RunStore';
import { Logger } from '../../../../shared/core/logging/Logger';
import { featureSyncJob } from '../../../../shared/app/jobs/featureSyncJob';
import { usersManifest } from '../../../../shared/features/users/usersManifest';
import { createSandboxTenant } from '../../../support/sandboxTenant';
import { numberedGuid, numberedUser } from '../../../support/numberedUser';
import { useSandboxes } from '../../../support/useSandboxes';
import { adminCaller } from '../../../support/adminCall';

let services: Services;
let tenantId: string;
let tenantSeq = 0;
const admin = adminCaller(() => services);

const sandboxes = useSandboxes({ pageSize: 50 });

async function freshTenant(users: ReturnType<typeof numberedUser>[], options: Record<string, unknown>): Promise<void> {
  sandboxes.graph.seed(users, []);
  tenantId = `q${++tenantSeq}`;
  services = (await createSandboxTenant(sandboxes, tenantId, options)).services;
}

async function sync(mode: 'full' | 'delta' = 'delta'): Promise<SyncRun> {
  const runId = newRunId();
  await processSyncJob(services, featureSyncJob(usersManifest, { tenantId, runId, mode, trigger: 'manual' }), Logger.silent());
  const run = (await services.runs.get(tenantId, runId))!;
  expect(run.status).toBe('succeeded');
  return run;
}

const numberOf = async (n: number) => (await services.links.get(tenantId, numberedGuid(n)))?.extensionNumber;
/** The PBX extension holding a number (the sandbox PBX is shared by the tests: numbers are per domain). */
const holderOf = (number: string) => sandboxes.pbx.listUsers().find((u) => u.extension_number === number);

describe('number quarantine, end to end (sandbox Graph + sandbox PortSIP + Azurite + admin API)', () => {
  it('a hard delete quarantines the freed number: new users do not get it until an admin releases it', async () => {
    const start = '61000';
    await freshTenant([numberedUser(1, 'Ann'), numberedUser(2, 'Bob')], { numbering: { mode: 'fromStart', start } });
    await sync('full');
    expect([await numberOf(1), await numberOf(2)]).toEqual(['61000', '61001']);

    sandboxes.graph.hardDeleteUser(numberedGuid(1));
    expect((await sync()).counts).toMatchObject({ deleted: 1 });
    expect(holderOf('61000')).toBeUndefined(); // free on the PBX…

    const listed = await admin('listQuarantine', { method: 'GET', params: { id: tenantId } });
    expect(listed.status).toBe(200);
    expect(listed.body.value).toHaveLength(1);
    const row = listed.body.value[0];
    expect(row).toMatchObject({ number: '61000', objectId: numberedGuid(1), reason: 'user was permanently deleted' });
    const held = Date.parse(row.releaseAt) - Date.parse(row.quarantinedAt);
    expect(held).toBe(30 * 86_400_000); // the default quarantineDays

    sandboxes.graph.addUser(numberedUser(3, 'Cem'));
    expect((await sync()).counts).toMatchObject({ created: 1 });
    expect(await numberOf(3)).toBe('61002'); // …but kept from the next hire
    expect(holderOf('61000')).toBeUndefined();

    expect((await admin('releaseQuarantinedNumber', { method: 'DELETE', params: { id: tenantId, number: '61000' } })).status).toBe(204);
    expect((await admin('listQuarantine', { method: 'GET', params: { id: tenantId } })).body.value).toEqual([]);

    sandboxes.graph.addUser(numberedUser(4, 'Dee'));
    expect((await sync()).counts).toMatchObject({ created: 1 });
    expect(await numberOf(4)).toBe('61000');
    expect(holderOf('61000')?.ms365_binding).toBe(numberedGuid(4));
  });

  it('quarantineDays 0: the freed number is reused at once and nothing is kept', async () => {
    await freshTenant([numberedUser(11, 'Eve'), numberedUser(12, 'Fay')], {
      numbering: { mode: 'fromStart', start: '62000', quarantineDays: 0 },
    });
    await sync('full');
    expect(await numberOf(11)).toBe('62000');
    sandboxes.graph.hardDeleteUser(numberedGuid(11));
    expect((await sync()).counts).toMatchObject({ deleted: 1 });
    expect(await services.numberQuarantine.list(tenantId)).toEqual([]);
    sandboxes.graph.addUser(numberedUser(13, 'Gus'));
    await sync();
    expect(await numberOf(13)).toBe('62000');
  });

  it('fromProperty: a quarantined number is skipped as numberQuarantined for another user, and its own user gets it back', async () => {
    const withNumber = (n: number, name: string, ext: string) =>
      numberedUser(n, name, { onPremisesExtensionAttributes: { extensionAttribute1: ext } });
    await freshTenant([withNumber(21, 'Hal', '63000'), withNumber(22, 'Ida', '63001')], {
      numbering: { mode: 'fromProperty', property: 'extensionAttribute1' },
      onSoftDeleted: 'delete',
    });
    await sync('full');
    expect(await numberOf(21)).toBe('63000');
    sandboxes.graph.hardDeleteUser(numberedGuid(21));
    sandboxes.graph.softDeleteUser(numberedGuid(22)); // restorable, but this tenant deletes the extension at once
    expect((await sync()).counts).toMatchObject({ deleted: 2 });

    // Someone else whose property names 63000: skipped, and told when the number is released.
    sandboxes.graph.addUser(withNumber(23, 'Jon', '63000'));
    const run = await sync();
    expect(run.skippedByReason).toEqual({ numberQuarantined: 1 });
    const issue = run.issues.find((i) => i.objectId === numberedGuid(23))!;
    expect(issue.message).toMatch(/extension 63000 .* quarantined until 20\d\d-/);
    expect(holderOf('63000')).toBeUndefined();

    // The same Entra user (same object id) coming back gets its own number.
    sandboxes.graph.restoreUser(numberedGuid(22));
    expect((await sync()).counts).toMatchObject({ created: 1 });
    expect(await numberOf(22)).toBe('63001');

    // Released early: the next full reconcile creates the skipped user under it.
    expect((await admin('releaseQuarantinedNumber', { method: 'DELETE', params: { id: tenantId, number: '63000' } })).status).toBe(204);
    await sync('full');
    expect(await numberOf(23)).toBe('63000');
  });
});
