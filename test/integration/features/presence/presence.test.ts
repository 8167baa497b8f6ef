import { describe, expect, it } from 'vitest';
import { processPollJob } from '../../../../shared/app/processPollJob';
import { ensurePolling } from '../../../../shared/app/pollingChain';
import { requestSync } from '../../../../shared/app/requestSync';
import { type PollJob } from '../../../../shared/app/jobs/SyncJob';
import { Logger } from '../../../../shared/core/logging/Logger';
import { PresenceOptionsSchema } from '../../../../shared/features/presence/presenceOptions';
import { type TeamsActivity, type TeamsAvailability } from '../../../../shared/graph/TeamsPresence';
import { adminCaller } from '../../../support/adminCall';
import { numberedGuid, numberedUser } from '../../../support/numberedUser';
import { syncedSandboxTenant } from '../../../support/syncedSandboxTenant';
import { useSandboxes } from '../../../support/useSandboxes';
import { RecordingQueue } from '../../../support/recordingQueue';

const sandboxes = useSandboxes();
let seq = 0;
let userSeq = 0;
/** Slots where batch 0 re-asserts (30 s polls, 10 min re-assertion: every 20th slot); the cycles below avoid them until they want one. */
const REASSERT_EVERY = 20;
const BASE_SLOT = 100_000 * REASSERT_EVERY;

async function setup(count: number, users: Record<string, unknown> = {}, presence: Record<string, unknown> = {}) {
  const tenantId = `presence${++seq}`;
  const ns = Array.from({ length: count }, () => 900 + ++userSeq);
  for (const n of ns) if (!users.adoptByEmail) sandboxes.graph.addUser(numberedUser(n, 'Pr'));
  const services = await syncedSandboxTenant(
    sandboxes,
    tenantId,
    { scope: { mode: 'INCLUDE', users: ns.map(numberedGuid) }, ...users },
    (config) => ({
      ...config,
      presence: PresenceOptionsSchema.parse({ enabled: true, ...presence }),
    }),
  );
  const queue = new RecordingQueue();
  const deps: Parameters<typeof processPollJob>[0] & typeof services = { ...services, queue } as never;
  const pbxIdOf = async (n: number) => (await services.links.get(tenantId, numberedGuid(n)))!.pbxUserId!;

  /** One whole cycle: the cycle job, then every batch it queued. Returns what the cycle queued. */
  const cycle = async (slot: number) => {
    const start: PollJob = {
      kind: 'poll',
      feature: 'presence',
      jobId: `c${slot}`,
      tenantId,
      lane: 'realtime',
      trigger: 'scheduled',
      requestedAt: new Date().toISOString(),
      slot,
    };
    await processPollJob(deps, start, Logger.silent());
    const queued = queue.take();
    for (const { job } of queued) if (job.kind === 'poll' && job.batch) await processPollJob(deps, job, Logger.silent());
    return queued;
  };
  const teams = (n: number, availability: TeamsAvailability, activity: TeamsActivity) =>
    sandboxes.graph.setPresence(numberedGuid(n), availability, activity);
  const pbx = async (n: number) => sandboxes.pbx.presenceOf(await pbxIdOf(n));
  const history = async (n: number) => (await services.presenceHistory.listForUser(tenantId, numberedGuid(n), 20)).map((e) => e.reason);
  return { services, tenantId, ns, cycle, teams, pbx, pbxIdOf, history, queue, deps };
}

describe('Teams presence → PBX status over the sandboxes', () => {
  it('Teams DoNotDisturb → DND → Available → available, one Graph call per cycle, writes only on change', async () => {
    const t = await setup(2);
    const [a, b] = t.ns as [number, number];
    t.teams(a, 'DoNotDisturb', 'Presenting');
    t.teams(b, 'Offline', 'OffWork');
    const graphBefore = sandboxes.graph.presenceStats().calls;
    await t.cycle(BASE_SLOT + 1);
    expect(sandboxes.graph.presenceStats().calls - graphBefore).toBe(1);
    expect((await t.pbx(a)).presence).toBe('DO_NOT_DISTURB');
    // Offline leaves the PBX as it is.
    expect((await t.pbx(b)).presence).toBe('ONLINE');
    expect((await t.pbx(b)).writes).toBe(0);

    // Nothing changed in Teams: one Graph call, no PBX request at all.
    const pbxBefore = sandboxes.pbx.stats.requests;
    await t.cycle(BASE_SLOT + 2);
    expect(sandboxes.pbx.stats.requests).toBe(pbxBefore);

    t.teams(a, 'Available', 'Available');
    await t.cycle(BASE_SLOT + 3);
    expect((await t.pbx(a)).presence).toBe('ONLINE');
    expect((await t.pbx(a)).writes).toBe(2);
    expect(await t.history(a)).toEqual(['set', 'set']);

    const status = await adminCaller(() => t.services)('getUserPresence', {
      method: 'GET',
      params: { id: t.tenantId, userId: numberedGuid(a) },
    });
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({
      teams: { availability: 'Available', activity: 'Available' },
      applied: { source: 'teams', target: 'available', mode: 'status' },
      limitedBy: null,
      history: [
        { reason: 'set', detail: 'Teams Available / Available → available', written: { status: 'available' } },
        {
          reason: 'set',
          detail: 'Teams DoNotDisturb / Presenting → doNotDisturb',
          written: { status: 'doNotDisturb' },
          from: { status: 'available' },
        },
      ],
    });
  });

  it('keeps itself going on the real queue: started by a configuration write, a cycle per period, each queuing the next', async () => {
    const t = await setup(1, {}, { enabled: false, pollSeconds: 10, reassertMinutes: 1 });
    const [a] = t.ns as [number];
    t.teams(a, 'DoNotDisturb', 'DoNotDisturb');
    const tenant = (await t.services.tenants.get(t.tenantId))!;
    // The admin API's PUT over the running in-process queue (the worker's dispatch), as in production.
    const put = await adminCaller(() => t.services)('putTenant', {
      method: 'PUT',
      params: { id: t.tenantId },
      body: { ...tenant.config, presence: { ...tenant.config.presence, enabled: true } },
    });
    expect(put.status).toBe(200);
    const until = async (what: () => Promise<boolean>, ms: number) => {
      for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 200))) if (await what()) return;
      throw new Error('timed out');
    };
    await until(async () => (await t.pbx(a)).presence === 'DO_NOT_DISTURB', 25_000);
    const first = (await t.services.pollCycles.get(t.tenantId, 'presence'))!;
    t.teams(a, 'Available', 'Available');
    await until(async () => (await t.pbx(a)).presence === 'ONLINE', 25_000);
    // A later cycle's record counts its batch once the batch has run; the next cycle may already have
    // started (its batch not yet run) when the PBX shows ONLINE, so wait for a finished one.
    await until(async () => {
      const later = (await t.services.pollCycles.get(t.tenantId, 'presence'))!;
      return later.slot > first.slot && later.stats.graphCalls === 1;
    }, 25_000);
    expect((await t.services.pollCycles.get(t.tenantId, 'presence'))!.stats).toMatchObject({ users: 1, batches: 1 });
    // Off again: the cycle already queued ends the chain when it fires, and no cycle starts after it.
    const on = (await t.services.tenants.get(t.tenantId))!;
    await t.services.tenants.replace(t.tenantId, { ...on.config, presence: { ...on.config.presence, enabled: false } }, on.etag);
    await new Promise((r) => setTimeout(r, 1_000)); // a cycle that began just before the write finishes first
    const stopped = (await t.services.pollCycles.get(t.tenantId, 'presence'))!.slot;
    await new Promise((r) => setTimeout(r, 10_500));
    expect((await t.services.pollCycles.get(t.tenantId, 'presence'))!.slot).toBe(stopped);
  }, 90_000);

  it('forgets the record of a user who is no longer synced', async () => {
    const t = await setup(2);
    const [a, b] = t.ns as [number, number];
    t.teams(a, 'Away', 'Away');
    t.teams(b, 'Away', 'Away');
    await t.cycle(BASE_SLOT + 1);
    expect(await t.services.presenceStates.get(t.tenantId, numberedGuid(b))).toBeDefined();
    await t.services.links.delete(t.tenantId, numberedGuid(b));
    await t.cycle(BASE_SLOT + 2);
    expect(await t.services.presenceStates.get(t.tenantId, numberedGuid(b))).toBeUndefined();
    expect(await t.services.presenceStates.get(t.tenantId, numberedGuid(a))).toBeDefined();
    // Nobody synced any more: one empty batch, no Graph call, and the last record goes too.
    await t.services.links.delete(t.tenantId, numberedGuid(a));
    const calls = sandboxes.graph.presenceStats().calls;
    await t.cycle(BASE_SLOT + 3);
    expect(sandboxes.graph.presenceStats().calls).toBe(calls);
    expect(await t.services.presenceStates.listRange(t.tenantId, undefined, undefined)).toEqual([]);
  });

  it('leaves a business trip set by hand on the PBX untouched, and records why', async () => {
    const t = await setup(1);
    const [a] = t.ns as [number];
    sandboxes.pbx.setPresenceByHand(await t.pbxIdOf(a), 'BUSINESS_TRIP', 'Berlin until Friday');
    t.teams(a, 'Busy', 'InACall');
    await t.cycle(BASE_SLOT + 1);
    expect(await t.pbx(a)).toMatchObject({ presence: 'BUSINESS_TRIP', presence_note: 'Berlin until Friday', enable_dnd: false, writes: 0 });
    expect(await t.history(a)).toEqual(['heldByPbx']);
    expect((await t.services.presenceStates.get(t.tenantId, numberedGuid(a)))?.heldBy).toBe('businessTrip');
    // A re-assertion reads it again and still leaves it.
    await t.cycle(BASE_SLOT + REASSERT_EVERY);
    expect((await t.pbx(a)).writes).toBe(0);
  });

  it('gives a user the connector cannot act as the DND switch only, and reports it in the status API and the run', async () => {
    const n = 900 + ++userSeq;
    const user = numberedUser(n, 'Pr');
    sandboxes.pbx.addUser({ name: `adopted${n}`, extension_number: String(47000 + n), email: user.mail!, display_name: user.displayName! });
    sandboxes.graph.addUser(user);
    userSeq -= 1; // setup numbers the same user
    const t = await setup(1, { adoptByEmail: true });
    t.teams(n, 'DoNotDisturb', 'DoNotDisturb');
    await t.cycle(BASE_SLOT + 1);
    expect(await t.pbx(n)).toMatchObject({ enable_dnd: true, presence: 'ONLINE' });

    const tenantView = await adminCaller(() => t.services)('getPresenceStatus', { method: 'GET', params: { id: t.tenantId } });
    expect(tenantView.body).toMatchObject({
      polling: 'on',
      limited: { counts: { adopted: 1 }, users: [{ objectId: numberedGuid(n), reason: 'adopted' }] },
    });
    expect(tenantView.body.lastCycle).toMatchObject({
      users: 1,
      batches: 1,
      batchesDone: 1,
      graphCalls: 1,
      pbxWrites: 1,
      limited: 1,
      failed: 0,
    });

    // Teams available: the DND the connector switched on goes off again; the status itself stays out of reach.
    t.teams(n, 'Available', 'Available');
    await t.cycle(BASE_SLOT + 2);
    expect(await t.pbx(n)).toMatchObject({ enable_dnd: false, presence: 'ONLINE' });

    // "Sync now" for presence: a run that names the limitation.
    const { runId } = await requestSync(t.services, { tenantId: t.tenantId, feature: 'presence', mode: 'full', trigger: 'manual' });
    await t.services.queue.idle();
    const run = (await t.services.runs.get(t.tenantId, runId))!;
    expect(run.status).toBe('succeeded');
    expect(run.skippedByReason).toEqual({ 'presenceLimited:adopted': 1 });
    expect(run.issues[0]).toMatchObject({ objectId: numberedGuid(n), code: 'presenceLimited:adopted' });
  });

  it('heals a PBX write that was lost when it re-asserts', async () => {
    const t = await setup(1);
    const [a] = t.ns as [number];
    sandboxes.pbx.faults.losePresenceWrites(1);
    t.teams(a, 'Busy', 'InAMeeting');
    await t.cycle(BASE_SLOT + 1);
    expect((await t.pbx(a)).presence).toBe('ONLINE'); // the PBX answered 200 but kept nothing
    await t.cycle(BASE_SLOT + 2);
    expect((await t.pbx(a)).presence).toBe('ONLINE'); // an ordinary cycle sees no change in Teams
    await t.cycle(BASE_SLOT + REASSERT_EVERY);
    expect((await t.pbx(a)).presence).toBe('DO_NOT_DISTURB');
    expect(await t.history(a)).toEqual(['reasserted', 'set']);
  });

  it('runs as a chain: each cycle queues the next at its slot; a duplicate cycle does nothing', async () => {
    const t = await setup(1);
    const period = 30_000;
    const slot = Math.floor(Date.now() / period) + 10;
    t.deps.clock = () => new Date(slot * period + 250);
    const queued = await t.cycle(slot);
    expect(
      queued.map(({ job, options }) => ({ id: options.messageId, kind: job.kind, at: options.scheduledEnqueueTime?.getTime() })),
    ).toEqual([
      { id: `poll:${t.tenantId}:presence:${slot + 1}`, kind: 'poll', at: (slot + 1) * period },
      // The only batch starts with the cycle: at once.
      { id: `poll:${t.tenantId}:presence:${slot}:0`, kind: 'poll', at: undefined },
    ]);
    // The same slot again (a second chain, a redelivery): nothing is queued, nothing polled.
    expect(await t.cycle(slot)).toEqual([]);
    // A cycle that runs late skips the slots it missed instead of catching up.
    t.deps.clock = () => new Date((slot + 7) * period + 10);
    const late = await t.cycle(slot + 1);
    expect(late[0]!.options.messageId).toBe(`poll:${t.tenantId}:presence:${slot + 8}`);
  });

  it('stops polling for a disabled tenant and for presence turned off, and starts again when turned on', async () => {
    const t = await setup(1);
    const [a] = t.ns as [number];
    t.teams(a, 'DoNotDisturb', 'DoNotDisturb');
    let tenant = (await t.services.tenants.get(t.tenantId))!;
    await t.services.tenants.replace(t.tenantId, { ...tenant.config, enabled: false }, tenant.etag);
    const calls = sandboxes.graph.presenceStats().calls;
    expect(await t.cycle(BASE_SLOT + 1)).toEqual([]);
    expect(sandboxes.graph.presenceStats().calls).toBe(calls);
    expect((await t.pbx(a)).presence).toBe('ONLINE');
    tenant = (await t.services.tenants.get(t.tenantId))!;
    expect(await ensurePolling(t.deps, tenant, 'scheduled', new Date())).toEqual([]);

    await t.services.tenants.replace(
      t.tenantId,
      { ...tenant.config, enabled: true, presence: { ...tenant.config.presence, enabled: false } },
      tenant.etag,
    );
    expect(await t.cycle(BASE_SLOT + 2)).toEqual([]);

    // Turned on again through the admin API: the first cycle is queued at once, for the next slot.
    tenant = (await t.services.tenants.get(t.tenantId))!;
    const put = await adminCaller(() => t.deps)('putTenant', {
      method: 'PUT',
      params: { id: t.tenantId },
      body: { ...tenant.config, presence: { ...tenant.config.presence, enabled: true } },
    });
    expect(put.status).toBe(200);
    const started = t.queue.take().filter(({ job }) => job.kind === 'poll');
    expect(started).toHaveLength(1);
    const now = Date.now();
    expect(started[0]!.options.scheduledEnqueueTime!.getTime()).toBeGreaterThan(now - 1000);
    expect(started[0]!.options.scheduledEnqueueTime!.getTime()).toBeLessThanOrEqual(now + 30_000);
  });

  it('answers the status routes with 400 and 404 for what it cannot serve', async () => {
    const t = await setup(1);
    const call = adminCaller(() => t.services);
    expect((await call('getUserPresence', { method: 'GET', params: { id: t.tenantId, userId: 'not-a-guid' } })).status).toBe(400);
    expect((await call('getUserPresence', { method: 'GET', params: { id: t.tenantId, userId: numberedGuid(1) } })).status).toBe(404);
    expect(
      (await call('getUserPresence', { method: 'GET', params: { id: t.tenantId, userId: numberedGuid(t.ns[0]!) }, query: 'limit=0' }))
        .status,
    ).toBe(400);
    expect((await call('getPresenceStatus', { method: 'GET', params: { id: 'nosuchtenant' } })).status).toBe(404);
    expect((await call('getPresenceStatus', { method: 'GET', params: { id: t.tenantId }, query: 'x=1' })).status).toBe(400);
  });
});
