import { describe, expect, it } from 'vitest';
import { processSyncJob } from '../../../../shared/app/processSyncJob';
import { featureSyncJob } from '../../../../shared/app/jobs/featureSyncJob';
import { type Services } from '../../../../shared/app/Services';
import { Logger } from '../../../../shared/core/logging/Logger';
import { newRunId } from '../../../../shared/engine/newRunId';
import { type SyncRun } from '../../../../shared/engine/RunStore';
import { usersManifest } from '../../../../shared/features/users/usersManifest';
import { CONNECTOR_CALLER_ID_MARK } from '../../../../shared/pbx/portsip/outboundCallerIds';
import { numberedGuid, numberedUser } from '../../../support/numberedUser';
import { useSandboxes } from '../../../support/useSandboxes';
import { createSandboxTenant } from '../../../support/sandboxTenant';

let services: Services;
let tenantId: string;
let tenantSeq = 0;

const sandboxes = useSandboxes();

async function sync(mode: 'full' | 'delta' = 'delta'): Promise<SyncRun> {
  const runId = newRunId();
  await processSyncJob(services, featureSyncJob(usersManifest, { tenantId, runId, mode, trigger: 'manual' }), Logger.silent());
  return (await services.runs.get(tenantId, runId))!;
}

const pbxUserOf = (n: number) => sandboxes.pbx.listUsers().find((u) => u.ms365_binding === numberedGuid(n))!;
const callerIdsOf = (n: number) => sandboxes.pbx.outboundCallerIds(pbxUserOf(n).id);
const ours = (providerId: string, callerId: string): unknown =>
  expect.objectContaining({ provider_id: providerId, caller_id: callerId, description: CONNECTOR_CALLER_ID_MARK });

describe('office phone as outbound caller ID (sandbox Graph + sandbox PortSIP + Azurite)', () => {
  it("sets it on create, changes it with the office phone, removes it when cleared, and keeps an admin's own entry throughout", async () => {
    const trunk = sandboxes.pbx.addProvider({ name: `Trunk ${++tenantSeq}`, didNumbers: '14255550100-14255550199;12065550199' });
    const other = sandboxes.pbx.addProvider({ name: `Other ${tenantSeq}` });
    sandboxes.graph.seed([
      numberedUser(1, 'Ann', { businessPhones: ['(425) 555-0101'] }),
      numberedUser(2, 'Bob', { businessPhones: [] }),
      numberedUser(3, 'Cat', { businessPhones: ['call reception'] }),
    ]);
    tenantId = `cid${tenantSeq}`;
    ({ services } = await createSandboxTenant(sandboxes, tenantId, {
      outboundCallerId: { property: 'businessPhones', providerId: trunk, defaultCountry: 'US' },
    }));

    const first = await sync('full');
    expect(first.counts).toMatchObject({ created: 3, failed: 0 });
    expect(callerIdsOf(1)).toEqual([ours(trunk, '+14255550101')]);
    expect(callerIdsOf(1)?.[0]).toMatchObject({ preferred: true });
    expect(callerIdsOf(2)).toEqual([]); // no office phone: no caller ID
    expect(callerIdsOf(3)).toEqual([]); // unusable: skipped, the user itself created
    expect(first.issues).toEqual([
      expect.objectContaining({
        objectId: numberedGuid(3),
        code: 'outboundCallerIdInvalid',
        message: expect.stringContaining('"call reception"'),
      }),
    ]);

    // An admin adds their own caller ID to Ann by hand.
    const admins = { provider_id: other, caller_id: '+18005550123', preferred: false, description: 'Support hotline' };
    sandboxes.pbx.setOutboundCallerIds(pbxUserOf(1).id, [...callerIdsOf(1)!.map((e) => ({ ...(e as typeof admins) })), admins]);

    // Unchanged users cost nothing: no write, the admin's entry untouched.
    sandboxes.pbx.stats.reset();
    const quiet = await sync('full');
    expect(quiet.counts).toMatchObject({ unchanged: 3, updated: 0 });
    expect(sandboxes.pbx.stats.writes).toBe(0);

    // The office phone changes: ours follows, theirs stays.
    sandboxes.graph.updateUser(numberedGuid(1), { businessPhones: ['+1 206 555 0199'] });
    const changed = await sync();
    expect(changed.counts).toMatchObject({ updated: 1, failed: 0 });
    expect(callerIdsOf(1)).toEqual([ours(trunk, '+12065550199'), admins]);

    // Cleared: only ours goes.
    sandboxes.graph.updateUser(numberedGuid(1), { businessPhones: [] });
    const cleared = await sync();
    expect(cleared.counts).toMatchObject({ updated: 1, failed: 0 });
    expect(callerIdsOf(1)).toEqual([admins]);
    expect(pbxUserOf(1).work_phone).toBeNull();

    // And back: ours is added again beside theirs.
    sandboxes.graph.updateUser(numberedGuid(1), { businessPhones: ['425 555 0102'] });
    await sync();
    expect(callerIdsOf(1)).toEqual([admins, ours(trunk, '+14255550102')]);
  });

  it("a number that is not one of the trunk's DIDs fails that user with a clear message; the others sync", async () => {
    const trunk = sandboxes.pbx.addProvider({
      name: `Strict ${++tenantSeq}`,
      didNumbers: '14255550100-14255550199',
      callerIdMustBeDid: true,
    });
    sandboxes.graph.seed([
      numberedUser(11, 'Dan', { businessPhones: ['+1 425 555 0111'] }),
      numberedUser(12, 'Eve', { businessPhones: ['+1 206 555 0112'] }), // not a DID of the trunk
      numberedUser(13, 'Fay', { businessPhones: [] }),
    ]);
    tenantId = `cid${tenantSeq}`;
    ({ services } = await createSandboxTenant(sandboxes, tenantId, {
      outboundCallerId: { property: 'businessPhones', providerId: trunk, defaultCountry: 'US' },
    }));

    const run = await sync('full');
    expect(run.status).toBe('partial');
    expect(run.counts).toMatchObject({ created: 2, failed: 1 });
    expect(callerIdsOf(11)).toEqual([ours(trunk, '+14255550111')]);
    expect(run.issues).toEqual([
      expect.objectContaining({
        objectId: numberedGuid(12),
        code: 'outboundCallerIdRejected',
        message: expect.stringMatching(/refused \+12065550112 as outbound caller ID on provider .*one of that trunk's DIDs/),
      }),
    ]);

    // An update to a number outside the pool fails the same way, and leaves the extension's caller ID as it was.
    sandboxes.graph.updateUser(numberedGuid(11), { businessPhones: ['+1 206 555 0111'] });
    const update = await sync();
    expect(update.issues).toEqual(
      expect.arrayContaining([expect.objectContaining({ objectId: numberedGuid(11), code: 'outboundCallerIdRejected' })]),
    );
    expect(callerIdsOf(11)).toEqual([ours(trunk, '+14255550111')]);

    // Fixed in Entra: the failed user is retried and created.
    sandboxes.graph.updateUser(numberedGuid(12), { businessPhones: ['+1 425 555 0112'] });
    sandboxes.graph.updateUser(numberedGuid(11), { businessPhones: ['+1 425 555 0110'] });
    const fixed = await sync();
    expect(fixed.counts).toMatchObject({ failed: 0 });
    expect(callerIdsOf(12)).toEqual([ours(trunk, '+14255550112')]);
    expect(callerIdsOf(11)).toEqual([ours(trunk, '+14255550110')]);
  });
});
