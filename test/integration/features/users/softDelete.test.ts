import { beforeEach, describe, expect, it } from 'vitest';
import { processSyncJob } from '../../../../shared/app/processSyncJob';
import { type Services } from '../../../../shared/app/Services';
import { featureSyncJob } from '../../../../shared/app/jobs/featureSyncJob';
import { Logger } from '../../../../shared/core/logging/Logger';
import { newRunId } from '../../../../shared/engine/newRunId';
import { type SyncRun } from '../../../../shared/engine/RunStore';
import { usersManifest } from '../../../../shared/features/users/usersManifest';
import { numberedGuid, numberedUser } from '../../../support/numberedUser';
import { useSandboxes } from '../../../support/useSandboxes';
import { createSandboxTenant } from '../../../support/sandboxTenant';

let services: Services;
let tenantSeq = 0;
let tenantId: string;

const sandboxes = useSandboxes({ pageSize: 50 });
beforeEach(() => sandboxes.graph.stats.reset());

const N = 5;
const ids = Array.from({ length: N }, (_, i) => numberedGuid(3_100 + i));

/** A fresh tenant (own tables) over N plain users, synced once (full). */
async function syncedTenant(options: Record<string, unknown> = {}): Promise<void> {
  sandboxes.graph.seed(ids.map((_, i) => numberedUser(3_100 + i, 'Soft')));
  tenantId = `soft${++tenantSeq}`;
  services = (await createSandboxTenant(sandboxes, tenantId, options)).services;
  const first = await sync('full');
  expect(first.counts.created).toBe(N);
}

async function sync(mode: 'full' | 'delta', override?: Partial<Services>): Promise<SyncRun> {
  const runId = newRunId();
  await processSyncJob(
    { ...services, ...override },
    featureSyncJob(usersManifest, { tenantId, runId, mode, trigger: 'manual' }),
    Logger.silent(),
  );
  const run = (await services.runs.get(tenantId, runId))!;
  expect(run.status).toBe('succeeded');
  return run;
}

/** The user's link and the PBX extension it points at. */
async function extensionOf(id: string) {
  const link = await services.links.get(tenantId, id);
  const ext = link?.pbxUserId ? sandboxes.pbx.getUser(link.pbxUserId) : undefined;
  return { link, ext, pbxUserId: link?.pbxUserId, number: ext?.extension_number };
}

const deletedItemsReads = () =>
  (sandboxes.graph.stats.byRoute['GET /directory/deletedItems/microsoft.graph.user'] ?? 0) +
  (sandboxes.graph.stats.byRoute['GET /directory/deletedItems/{id}'] ?? 0);

describe('soft delete is not hard delete (sandbox Graph + sandbox PortSIP + Azurite)', () => {
  it('soft delete disables the extension with its number; restore re-enables the same extension', async () => {
    await syncedTenant();
    const before = await extensionOf(ids[0]!);
    expect(before.ext?.enabled).toBe(true);

    sandboxes.graph.softDeleteUser(ids[0]!);
    const soft = await sync('delta');
    expect(soft.counts).toMatchObject({ disabled: 1, deleted: 0 });
    const disabled = await extensionOf(ids[0]!);
    expect(disabled.ext).toMatchObject({ enabled: false, extension_number: before.number });
    expect(disabled.pbxUserId).toBe(before.pbxUserId);

    // Restored through Graph's own route, as an admin would.
    const res = await fetch(`${sandboxes.graph.baseUrl}/v1.0/directory/deletedItems/${ids[0]}/restore`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sandboxes.graph.token}` },
    });
    expect(res.status).toBe(200);
    const restored = await sync('delta');
    expect(restored.counts).toMatchObject({ updated: 1, created: 0 });
    const after = await extensionOf(ids[0]!);
    expect(after.ext).toMatchObject({ enabled: true, extension_number: before.number });
    expect(after.pbxUserId).toBe(before.pbxUserId);
  });

  it('hard delete (delta `deleted`) deletes the extension', async () => {
    await syncedTenant();
    const before = await extensionOf(ids[1]!);
    sandboxes.graph.hardDeleteUser(ids[1]!);
    const run = await sync('delta');
    expect(run.counts).toMatchObject({ deleted: 1, disabled: 0 });
    expect(sandboxes.pbx.getUser(before.pbxUserId!)).toBeUndefined();
    expect(await services.links.get(tenantId, ids[1]!)).toBeNull();
  });

  it('a soft delete then a purge seen by delta: disabled first, deleted at the purge', async () => {
    await syncedTenant();
    const before = await extensionOf(ids[2]!);
    sandboxes.graph.softDeleteUser(ids[2]!);
    expect((await sync('delta')).counts.disabled).toBe(1);
    const purge = await fetch(`${sandboxes.graph.baseUrl}/v1.0/directory/deletedItems/${ids[2]}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${sandboxes.graph.token}` },
    });
    expect(purge.status).toBe(204);
    expect((await sync('delta')).counts.deleted).toBe(1);
    expect(sandboxes.pbx.getUser(before.pbxUserId!)).toBeUndefined();
  });

  it('a user purged while the connector was not listening: the full reconcile sweep applies the hard policy', async () => {
    await syncedTenant();
    const before = await extensionOf(ids[3]!);
    sandboxes.graph.softDeleteUser(ids[3]!);
    sandboxes.graph.hardDeleteUser(ids[3]!); // no delta run in between: the full round simply does not return it
    const run = await sync('full');
    expect(run.counts).toMatchObject({ deleted: 1, disabled: 0 });
    expect(sandboxes.pbx.getUser(before.pbxUserId!)).toBeUndefined();
    expect(deletedItemsReads()).toBe(1);
  });

  it('a soft-deleted user missing from a full round keeps its extension, disabled; a restore after it re-enables the same one', async () => {
    await syncedTenant({ onSoftDeleted: 'disable', onHardDeleted: 'delete' });
    const before = await extensionOf(ids[4]!);
    const pbxUsersBefore = sandboxes.pbx.listUsers().length;
    sandboxes.graph.softDeleteUser(ids[4]!);
    const run = await sync('full');
    expect(run.counts).toMatchObject({ disabled: 1, deleted: 0 });
    expect(deletedItemsReads()).toBe(1);
    const swept = await extensionOf(ids[4]!);
    expect(swept.ext).toMatchObject({ enabled: false, extension_number: before.number });
    expect(swept.pbxUserId).toBe(before.pbxUserId);

    // A second full reconcile finds it still restorable and already disabled: no write.
    const again = await sync('full');
    expect(again.counts).toMatchObject({ disabled: 0, deleted: 0 });

    sandboxes.graph.restoreUser(ids[4]!);
    const restored = await sync('delta');
    expect(restored.counts).toMatchObject({ updated: 1, created: 0 });
    const after = await extensionOf(ids[4]!);
    expect(after.ext).toMatchObject({ enabled: true, extension_number: before.number });
    expect(after.pbxUserId).toBe(before.pbxUserId);
    expect(sandboxes.pbx.listUsers().length).toBe(pbxUsersBefore); // no second extension
  });

  it('a pending user found gone when re-read by id: restorable → soft policy, purged → hard policy', async () => {
    await syncedTenant();
    const [softId, hardId] = [ids[0]!, ids[1]!];
    const before = { soft: await extensionOf(softId), hard: await extensionOf(hardId) };
    for (const id of [softId, hardId]) await services.pendingUsers.record(tenantId, id, 'pbxRejected', 'an earlier write failed');
    sandboxes.graph.softDeleteUser(softId);
    sandboxes.graph.hardDeleteUser(hardId);
    // A round that does not show the removals: only the by-id re-read of the pending users can find them gone.
    const tenant = (await services.tenants.get(tenantId))!;
    const real = await services.connectorsFor(tenant);
    const reader = real.directoryReader;
    const blind = {
      ...real,
      directoryReader: {
        // The real reader's methods, bound (it is a class), with usersDelta replaced below.
        ...(Object.fromEntries(
          (
            [
              'requestCount',
              'getUser',
              'listGroupMemberUserIds',
              'listDeletedUserIds',
              'isDeletedUser',
              'groupsDelta',
              'getGroup',
              'listGroupAncestorIds',
              'listUserGroupIds',
            ] as const
          ).map((name) => [name, reader[name].bind(reader)]),
        ) as Omit<typeof reader, 'usersDelta' | 'countUsers'>),
        async *usersDelta(start: Parameters<typeof reader.usersDelta>[0]) {
          for await (const page of reader.usersDelta(start)) yield { ...page, removed: [] };
        },
      },
    };
    const run = await sync('delta', { connectorsFor: async () => blind });
    expect(run.counts).toMatchObject({ disabled: 1, deleted: 1 });
    expect((await extensionOf(softId)).ext).toMatchObject({ enabled: false, extension_number: before.soft.number });
    expect(sandboxes.pbx.getUser(before.hard.pbxUserId!)).toBeUndefined();
    expect(sandboxes.graph.stats.byRoute['GET /directory/deletedItems/{id}']).toBe(2);
  });

  it('a full round that returns every linked user does not read the deleted items', async () => {
    await syncedTenant();
    sandboxes.graph.stats.reset();
    await sync('full');
    expect(deletedItemsReads()).toBe(0);
  });
});
