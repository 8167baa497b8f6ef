import { describe, expect, it } from 'vitest';
import { processJob } from '../../../shared/app/processJob';
import { processPollJob } from '../../../shared/app/processPollJob';
import { requestSync } from '../../../shared/app/requestSync';
import { type PollJob } from '../../../shared/app/jobs/SyncJob';
import { Logger } from '../../../shared/core/logging/Logger';
import { GroupSyncOptionsSchema } from '../../../shared/features/groups/groupsOptions';
import { PresenceOptionsSchema } from '../../../shared/features/presence/presenceOptions';
import { adminCaller } from '../../support/adminCall';
import { numberedGuid, numberedUser } from '../../support/numberedUser';
import { RecordingQueue } from '../../support/recordingQueue';
import { createSandboxTenant } from '../../support/sandboxTenant';
import { useSandboxes } from '../../support/useSandboxes';

/*
 * Pause, resume and disconnect end to end: the admin routes over the sandbox Graph and PortSIP (real HTTP) and
 * Azurite. Each test has its own tenant and users (INCLUDE scope); the sandboxes are shared by the file.
 */

const sandboxes = useSandboxes();
let tenantSeq = 0;
let userSeq = 0;
let groupSeq = 0;
const groupId = (n: number) => `20000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/**
 * A tenant with `count` Entra users synced (users run through the queue), groups turned on with one Entra group
 * of them when `withGroup`, and helpers. `adopt` users get an extension made by hand first (adoptByEmail).
 */
async function setup(options: { count: number; adopt?: number; withGroup?: boolean; presence?: boolean }) {
  const tenantId = `life${++tenantSeq}`;
  const ns = Array.from({ length: options.count }, () => 5000 + ++userSeq);
  for (const n of ns) sandboxes.graph.addUser(numberedUser(n, 'Life'));
  const adopted = ns.slice(0, options.adopt ?? 0);
  for (const n of adopted)
    sandboxes.pbx.addUser({
      name: `life.hand${n}`,
      extension_number: `7${n}`,
      email: `life${n}@contoso.com`,
      display_name: `By hand ${n}`,
    });
  const gid = groupId(++groupSeq);
  const groupName = `Lifecycle ${gid.slice(-4)}`;
  if (options.withGroup) sandboxes.graph.addGroup({ id: gid, displayName: groupName, memberIds: ns.map(numberedGuid) });
  const { services } = await createSandboxTenant(
    sandboxes,
    tenantId,
    { scope: { mode: 'INCLUDE', users: ns.map(numberedGuid) }, adoptByEmail: adopted.length > 0 },
    options.withGroup ? { groups: { enabled: false, scope: { mode: 'CHOSEN', groups: [gid] } } } : {},
  );
  services.queue.start(async (job) => {
    await processJob(services, job, Logger.silent());
  });
  const run = async (feature: string) => {
    const { runId } = await requestSync(services, { tenantId, feature, mode: 'full', trigger: 'manual' });
    await services.queue.idle({ withinMs: 2_000 });
    expect((await services.runs.get(tenantId, runId))?.status).toBe('succeeded');
  };
  await run('users');
  if (options.withGroup || options.presence) {
    const tenant = (await services.tenants.get(tenantId))!;
    await services.tenants.replace(
      tenantId,
      {
        ...tenant.config,
        ...(options.withGroup ? { groups: GroupSyncOptionsSchema.parse({ ...tenant.config.groups, enabled: true }) } : {}),
        ...(options.presence ? { presence: PresenceOptionsSchema.parse({ enabled: true }) } : {}),
      },
      tenant.etag,
    );
  }
  if (options.withGroup) await run('groups');
  const links = await services.links.listByTenant(tenantId);
  const pbxIdOf = (n: number) => links.find((l) => l.objectId === numberedGuid(n))!.pbxUserId!;
  const pbxGroupId = options.withGroup ? (await services.groupLinks.get(tenantId, gid))!.pbxGroupId! : undefined;
  const admin = adminCaller(() => services);
  const call = (name: string, body?: unknown, query?: string) =>
    admin(name, {
      method: 'POST',
      params: { id: tenantId, ...(name.endsWith('Feature') ? { feature: String((body as { feature?: string })?.feature) } : {}) },
      ...(body !== undefined ? { body: omitFeature(body) } : {}),
      ...(query ? { query } : {}),
    });
  return { services, tenantId, ns, adopted, pbxIdOf, pbxGroupId, groupName, run, admin, call };
}

const omitFeature = (body: unknown) => {
  const { feature: _feature, ...rest } = body as Record<string, unknown>;
  return rest;
};

describe('pause a feature over the sandboxes', () => {
  it('users, retain: extensions stay on the PBX, links go, the audit trail says who and what', async () => {
    const t = await setup({ count: 2 });
    const ids = t.ns.map(t.pbxIdOf);
    const preview = await t.call('pauseFeature', { feature: 'users', pbxRecords: 'retain' });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ dryRun: true, deleted: 0, handedOver: 2 });
    expect(await t.services.links.listByTenant(t.tenantId)).toHaveLength(2);

    const done = await t.call('pauseFeature', { feature: 'users', pbxRecords: 'retain', confirm: true });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ enabled: false, deleted: 0, handedOver: 2, failed: 0 });
    for (const id of ids) expect(sandboxes.pbx.getUser(id)).toBeDefined();
    expect(await t.services.links.listByTenant(t.tenantId)).toEqual([]);
    expect(await t.services.deltaStates.get(t.tenantId, 'users')).toBeNull();
    expect((await t.services.tenants.get(t.tenantId))!.config.users.enabled).toBe(false);
    const trail = await t.admin('listAudit', { method: 'GET', params: { id: t.tenantId } });
    expect(trail.body.value[0]).toMatchObject({
      action: 'feature.pause',
      actor: { kind: 'adminKey' },
      detail: { feature: 'users', pbxRecords: 'retain', handedOver: 2 },
    });
  });

  it('users, delete: created extensions are deleted, an adopted one is handed over; resume adopts it back by e-mail', async () => {
    const t = await setup({ count: 2, adopt: 1 });
    const [adoptedN, createdN] = t.ns as [number, number];
    const adoptedId = t.pbxIdOf(adoptedN);
    const createdId = t.pbxIdOf(createdN);
    expect((await t.services.links.get(t.tenantId, numberedGuid(adoptedN)))!.origin).toBe('adopted');
    const preview = await t.call('pauseFeature', { feature: 'users', pbxRecords: 'delete' });
    expect(preview.body).toMatchObject({ dryRun: true, deleted: 1, handedOver: 1 });

    const done = await t.call('pauseFeature', { feature: 'users', pbxRecords: 'delete', confirm: true });
    expect(done.body).toMatchObject({ deleted: 1, handedOver: 1, failed: 0 });
    expect(sandboxes.pbx.getUser(createdId)).toBeUndefined();
    expect(sandboxes.pbx.getUser(adoptedId)).toBeDefined();
    expect(await t.services.links.listByTenant(t.tenantId)).toEqual([]);

    const resumed = await t.call('resumeFeature', { feature: 'users' });
    expect(resumed.status).toBe(200);
    await t.services.queue.idle({ withinMs: 2_000 });
    const back = await t.services.links.get(t.tenantId, numberedGuid(adoptedN));
    expect(back).toMatchObject({ origin: 'adopted', pbxUserId: adoptedId });
    expect((await t.services.audit.list(t.tenantId, 5)).map((e) => e.action)).toEqual(['feature.resume', 'feature.pause']);
  });

  it('groups, retain then delete: the PBX group stays while handed over; deleted when asked', async () => {
    const kept = await setup({ count: 1, withGroup: true });
    const keptRes = await kept.call('pauseFeature', { feature: 'groups', pbxRecords: 'retain', confirm: true });
    expect(keptRes.body).toMatchObject({ deleted: 0, handedOver: 1 });
    expect(sandboxes.pbx.getGroup(kept.pbxGroupId!)).toBeDefined();
    expect(await kept.services.groupLinks.listByTenant(kept.tenantId)).toEqual([]);
    // The users feature is untouched.
    expect(await kept.services.links.listByTenant(kept.tenantId)).toHaveLength(1);

    const gone = await setup({ count: 1, withGroup: true });
    const goneRes = await gone.call('pauseFeature', { feature: 'groups', pbxRecords: 'delete', confirm: true });
    expect(goneRes.body).toMatchObject({ deleted: 1, handedOver: 0 });
    expect(sandboxes.pbx.getGroup(gone.pbxGroupId!)).toBeUndefined();
    expect(await gone.services.groupMembers.listByUser(gone.tenantId, numberedGuid(gone.ns[0]!))).toEqual([]);
  });
});

describe('disconnect a tenant over the sandboxes', () => {
  it('retain: the PBX keeps extensions and groups, a status the connector set is restored, the tenant is gone, its audit trail stays', async () => {
    const t = await setup({ count: 2, withGroup: true, presence: true });
    const [a] = t.ns as [number, number];
    // One presence cycle: Teams DND → the PBX shows DND, set by the connector.
    sandboxes.graph.setPresence(numberedGuid(a), 'DoNotDisturb', 'Presenting');
    const queue = new RecordingQueue();
    const deps = { ...t.services, queue } as never;
    const slot = 100_000 * 20 + 1;
    const start: PollJob = {
      kind: 'poll',
      feature: 'presence',
      jobId: `c${slot}`,
      tenantId: t.tenantId,
      lane: 'realtime',
      trigger: 'scheduled',
      requestedAt: new Date().toISOString(),
      slot,
    };
    await processPollJob(deps, start, Logger.silent());
    for (const { job } of queue.take()) if (job.kind === 'poll' && job.batch) await processPollJob(deps, job, Logger.silent());
    expect(sandboxes.pbx.presenceOf(t.pbxIdOf(a)).presence).toBe('DO_NOT_DISTURB');

    const preview = await t.call('disconnectTenant', { pbxRecords: 'retain' });
    expect(preview.status).toBe(200);
    const byFeature = Object.fromEntries(preview.body.results.map((r: { feature: string }) => [r.feature, r]));
    expect(byFeature).toMatchObject({ presence: { restored: 1 }, groups: { handedOver: 1 }, users: { handedOver: 2 } });
    expect(await t.services.tenants.get(t.tenantId)).not.toBeNull();

    const ids = t.ns.map(t.pbxIdOf);
    const done = await t.call('disconnectTenant', { pbxRecords: 'retain', confirm: true });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ disconnected: true });
    expect(sandboxes.pbx.presenceOf(ids[0]!).presence).toBe('ONLINE');
    for (const id of ids) expect(sandboxes.pbx.getUser(id)).toBeDefined();
    expect(sandboxes.pbx.getGroup(t.pbxGroupId!)).toBeDefined();
    expect(await t.services.tenants.get(t.tenantId)).toBeNull();
    expect(await t.services.links.listByTenant(t.tenantId)).toEqual([]);
    expect(await t.services.groupLinks.listByTenant(t.tenantId)).toEqual([]);
    expect(await t.services.presenceStates.listRange(t.tenantId, undefined, undefined)).toEqual([]);
    const [entry] = await t.services.audit.list(t.tenantId, 5);
    expect(entry).toMatchObject({ action: 'tenant.disconnect', detail: { pbxRecords: 'retain', completed: true } });
  });

  it('delete: the extensions and groups the connector created are gone from the PBX', async () => {
    const t = await setup({ count: 2, withGroup: true });
    const ids = t.ns.map(t.pbxIdOf);
    const done = await t.call('disconnectTenant', { pbxRecords: 'delete', confirm: true });
    expect(done.status).toBe(200);
    const byFeature = Object.fromEntries(done.body.results.map((r: { feature: string }) => [r.feature, r]));
    expect(byFeature).toMatchObject({ groups: { deleted: 1, failed: 0 }, users: { deleted: 2, failed: 0 } });
    for (const id of ids) expect(sandboxes.pbx.getUser(id)).toBeUndefined();
    expect(sandboxes.pbx.getGroup(t.pbxGroupId!)).toBeUndefined();
    expect(await t.services.tenants.get(t.tenantId)).toBeNull();
    expect((await t.services.audit.list(t.tenantId, 5))[0]).toMatchObject({ action: 'tenant.disconnect' });
  });
});
