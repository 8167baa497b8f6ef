import { AppError, isAppError } from '../core/errors/AppError';
import { ensureError } from '../core/errors/ensureError';
import { type Logger } from '../core/logging/Logger';
import { linkedUsersOf } from '../engine/LinkedUsers';
import { planPresenceBatches } from '../features/presence/planPresenceBatches';
import { type PresenceCycleState, type PresenceCycleStats } from '../engine/PresenceCycleStore';
import { type PresenceBatchOutcome, pollPresenceBatch } from '../features/presence/pollPresenceBatch';
import { type PresenceOptions } from '../features/presence/presenceOptions';
import { type PresenceJob } from './jobs/SyncJob';
import { enqueuePresenceCycle, presenceOptionsOf, presenceSlotOf } from './presenceChain';
import { type Services } from './Services';
import { type TenantRecord } from './TenantStore';
import { withWriterLease } from './withWriterLease';

/** What presence jobs use. */
export type PresenceJobDeps = Pick<
  Services,
  | 'tenants'
  | 'features'
  | 'queue'
  | 'leases'
  | 'connectorsFor'
  | 'links'
  | 'presenceStates'
  | 'presenceHistory'
  | 'presenceCycles'
  | 'syncConcurrency'
> & {
  /** The clock (tests move it); default: the system clock. */
  clock?: (() => Date) | undefined;
};

const NO_STATS: PresenceCycleStats = {
  users: 0,
  batches: 0,
  batchesDone: 0,
  graphCalls: 0,
  changed: 0,
  pbxWrites: 0,
  limited: 0,
  failed: 0,
  durationMs: 0,
};

/**
 * One presence job. A cycle job (no batch) queues the next cycle first — so the chain outlives whatever fails
 * after — then lists the synced users and queues their batches spread across the cycle. A batch job polls its
 * users under the realtime lane's writer lease. Neither is redelivered on failure: the next cycle is the
 * retry, and the failure shows in the cycle state. A tenant that is gone, disabled or has presence off stops
 * its chain.
 */
export async function processPresenceJob(deps: PresenceJobDeps, job: PresenceJob, jobLog: Logger): Promise<void> {
  const log = jobLog.with({ tenant: job.tenantId, job: job.jobId, feature: 'presence' });
  const tenant = await deps.tenants.get(job.tenantId);
  const options = tenant ? presenceOptionsOf(deps, tenant) : undefined;
  if (!tenant || !options) {
    log.info('presence polling stopped: the tenant is gone or disabled, or its presence feature is off');
    return;
  }
  if (job.batch) await runBatch(deps, job, job.batch, tenant, options, log);
  else await startCycle(deps, job, tenant, options, log);
}

async function startCycle(
  deps: PresenceJobDeps,
  job: PresenceJob,
  tenant: TenantRecord,
  options: PresenceOptions,
  log: Logger,
): Promise<void> {
  const now = (deps.clock ?? (() => new Date()))();
  const previous = await deps.presenceCycles.get(tenant.id);
  if (previous && previous.slot >= job.slot) {
    log.debug('presence cycle already started (a duplicate chain ends here)', { slot: job.slot, stored: previous.slot });
    return;
  }
  let state: PresenceCycleState;
  try {
    state = await deps.presenceCycles.put({
      tenantId: tenant.id,
      slot: job.slot,
      startedAt: now.toISOString(),
      stats: { ...NO_STATS },
      etag: previous?.etag,
    });
  } catch (err) {
    if (isAppError(err, 'PRECONDITION_FAILED')) return; // another job of this slot won
    throw err;
  }
  // A late cycle (the queue was busy or down) skips the slots it missed rather than catching up on them.
  const next = Math.max(job.slot + 1, presenceSlotOf(now, options) + 1);
  await enqueuePresenceCycle(deps, tenant.id, next, options, 'scheduled', now);

  const users = await linkedUsersOf(deps.links, tenant.id).list();
  if (users.length === 0) {
    await deps.presenceStates.deleteAllForTenant(tenant.id);
    await deps.presenceCycles.put({ ...state, finishedAt: now.toISOString() });
    return;
  }
  const batches = planPresenceBatches(users, job.slot, options);
  await deps.presenceCycles.put({ ...state, stats: { ...state.stats, users: users.length, batches: batches.length } });
  for (const planned of batches) {
    const jobId = `presence:${tenant.id}:${job.slot}:${planned.index}`;
    const batch: NonNullable<PresenceJob['batch']> = {
      index: planned.index,
      count: batches.length,
      ...(planned.after !== undefined ? { after: planned.after } : {}),
      ...(planned.through !== undefined ? { through: planned.through } : {}),
      reassert: planned.reassert,
      users: planned.users.map(({ objectId, pbxUserId, extensionNumber, pbxUserName, origin }) => ({
        objectId,
        pbxUserId,
        extensionNumber,
        pbxUserName,
        origin,
      })),
    };
    await deps.queue.enqueue(
      {
        kind: 'presence',
        jobId,
        tenantId: tenant.id,
        lane: 'realtime',
        trigger: job.trigger,
        requestedAt: now.toISOString(),
        slot: job.slot,
        batch,
      },
      { messageId: jobId, ...(planned.startsAt > now ? { scheduledEnqueueTime: planned.startsAt } : {}) },
    );
  }
}

async function runBatch(
  deps: PresenceJobDeps,
  job: PresenceJob,
  batch: NonNullable<PresenceJob['batch']>,
  tenant: TenantRecord,
  options: PresenceOptions,
  log: Logger,
): Promise<void> {
  const clock = deps.clock ?? (() => new Date());
  const state = await deps.presenceCycles.get(tenant.id);
  if (state && state.slot > job.slot + 1) {
    log.info('presence batch skipped: newer cycles poll these users', { slot: job.slot, current: state.slot });
    return;
  }
  let outcome: PresenceBatchOutcome | undefined;
  let failure: string | undefined;
  try {
    outcome = await withWriterLease(deps.leases, { tenantId: tenant.id, lane: 'realtime' }, job.jobId, log, async () => {
      const connectors = await deps.connectorsFor(tenant, 'realtime');
      if (!connectors.pbxPresence) throw new AppError('CONFIG', `the ${connectors.pbxProfile.productName} adapter does not set presence`);
      return pollPresenceBatch(
        {
          tenantId: tenant.id,
          options,
          presenceReader: connectors.presenceReader,
          pbxPresence: connectors.pbxPresence,
          portalAccess: connectors.pbxPortalAccess,
          manageUserPasswords: tenant.config.users.manageUserPasswords,
          presenceStates: deps.presenceStates,
          presenceHistory: deps.presenceHistory,
          concurrency: Math.min(deps.syncConcurrency, tenant.config.pbx.maxConcurrency),
          log,
          now: clock,
        },
        { users: batch.users, after: batch.after, through: batch.through, reassert: batch.reassert, dryRun: false },
      );
    });
  } catch (err) {
    failure = ensureError(err).message;
    log.error('presence batch failed; the next cycle polls these users again', { slot: job.slot, batch: batch.index, error: failure });
  }
  if (outcome && (outcome.pbxWrites > 0 || outcome.failed.length > 0)) {
    log.info('presence batch applied', {
      slot: job.slot,
      batch: batch.index,
      changed: outcome.changed,
      pbxWrites: outcome.pbxWrites,
      failed: outcome.failed.length,
    });
  }
  await recordBatch(deps, tenant.id, job.slot, outcome, failure, clock());
}

/** Adds a batch's counts to its cycle (when that cycle is still the stored one); retried on a concurrent write. */
async function recordBatch(
  deps: PresenceJobDeps,
  tenantId: string,
  slot: number,
  outcome: PresenceBatchOutcome | undefined,
  failure: string | undefined,
  now: Date,
): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const state = await deps.presenceCycles.get(tenantId);
    if (!state || state.slot !== slot) return;
    const stats: PresenceCycleStats = {
      ...state.stats,
      batchesDone: state.stats.batchesDone + 1,
      graphCalls: state.stats.graphCalls + (outcome?.graphCalls ?? 0),
      changed: state.stats.changed + (outcome?.changed ?? 0),
      pbxWrites: state.stats.pbxWrites + (outcome?.pbxWrites ?? 0),
      limited: state.stats.limited + (outcome?.limited.length ?? 0),
      failed: state.stats.failed + (outcome?.failed.length ?? 0),
    };
    const done = stats.batchesDone >= stats.batches;
    if (done) stats.durationMs = Math.max(0, now.getTime() - Date.parse(state.startedAt));
    const lastError = failure ?? outcome?.failed[0]?.message ?? state.lastError;
    try {
      await deps.presenceCycles.put({ ...state, stats, lastError, finishedAt: done ? now.toISOString() : undefined });
      return;
    } catch (err) {
      if (!isAppError(err, 'PRECONDITION_FAILED')) throw err;
    }
  }
}
