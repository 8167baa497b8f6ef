import { isAppError } from '../core/errors/AppError';
import { ensureError } from '../core/errors/ensureError';
import { type Logger } from '../core/logging/Logger';
import { linkedUsersOf } from '../engine/LinkedUsers';
import { type PollCycleState, type PollCycleStats } from '../engine/PollCycleStore';
import { type PollBatchOutcome } from '../features/FeaturePolling';
import { type PollJob } from './jobs/SyncJob';
import { type ActivePolling, activePollingOf, enqueuePollCycle, pollSlotOf } from './pollingChain';
import { type Services } from './Services';
import { type TenantRecord } from './TenantStore';
import { type FeatureContextDeps, featureContext } from './featureContext';
import { withWriterLease } from './withWriterLease';
import { featureTimers } from './featureTimers';

/** What poll jobs use. */
export type PollJobDeps = Pick<Services, 'tenants' | 'features' | 'queue' | 'leases' | 'connectorsFor' | 'pollCycles'> &
  FeatureContextDeps & {
    /** The clock (tests move it); default: the system clock. */
    clock?: (() => Date) | undefined;
  };

const NO_STATS: PollCycleStats = {
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
 * One poll job. A cycle job (no batch) queues the next cycle first — so the chain outlives whatever fails after
 * — then lists the synced users and queues the batches the feature plans (spread across the cycle). A batch job
 * polls its users under the lane's writer lease. Neither is redelivered on failure: the next cycle is the
 * retry, and the failure shows in the cycle state. A tenant that is gone or disabled, or a feature turned off,
 * ends its chain.
 */
export async function processPollJob(deps: PollJobDeps, job: PollJob, jobLog: Logger): Promise<void> {
  const log = jobLog.with({ tenant: job.tenantId, job: job.jobId, feature: job.feature });
  const tenant = await deps.tenants.get(job.tenantId);
  const active = tenant ? activePollingOf(deps, tenant).find(({ feature }) => feature.manifest.name === job.feature) : undefined;
  if (!tenant || !active) {
    log.info('polling stopped: the tenant is gone or disabled, or the feature is off');
    return;
  }
  if (job.batch) await runBatch(deps, job, job.batch, tenant, active, log);
  else await startCycle(deps, job, tenant, active, log);
}

async function startCycle(deps: PollJobDeps, job: PollJob, tenant: TenantRecord, active: ActivePolling, log: Logger): Promise<void> {
  const now = (deps.clock ?? (() => new Date()))();
  const previous = await deps.pollCycles.get(tenant.id, job.feature);
  if (previous && previous.slot >= job.slot) {
    log.debug('poll cycle already started (a duplicate chain ends here)', { slot: job.slot, stored: previous.slot });
    return;
  }
  let state: PollCycleState;
  try {
    state = await deps.pollCycles.put({
      tenantId: tenant.id,
      feature: job.feature,
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
  await enqueuePollCycle(deps, tenant.id, active, Math.max(job.slot + 1, pollSlotOf(now, active.periodMs) + 1), 'scheduled', now);

  const users = await linkedUsersOf(deps.links, tenant.id).list();
  const batches = active.polling.planCycle(users, job.slot, active.options);
  await deps.pollCycles.put({ ...state, stats: { ...state.stats, users: users.length, batches: batches.length } });
  for (const planned of batches) {
    const jobId = `poll:${tenant.id}:${job.feature}:${job.slot}:${planned.index}`;
    const batch: NonNullable<PollJob['batch']> = {
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
      { ...job, jobId, requestedAt: now.toISOString(), batch },
      { messageId: jobId, ...(planned.startsAt > now ? { scheduledEnqueueTime: planned.startsAt } : {}) },
    );
  }
}

async function runBatch(
  deps: PollJobDeps,
  job: PollJob,
  batch: NonNullable<PollJob['batch']>,
  tenant: TenantRecord,
  active: ActivePolling,
  log: Logger,
): Promise<void> {
  const clock = deps.clock ?? (() => new Date());
  const state = await deps.pollCycles.get(tenant.id, job.feature);
  if (state && state.slot > job.slot + 1) {
    log.info('poll batch skipped: newer cycles poll these users', { slot: job.slot, current: state.slot });
    return;
  }
  let outcome: PollBatchOutcome | undefined;
  let failure: string | undefined;
  try {
    const lane = active.feature.manifest.lane;
    outcome = await withWriterLease(deps.leases, { tenantId: tenant.id, lane }, job.jobId, log, async () => {
      const connectors = await deps.connectorsFor(tenant, lane);
      const context = featureContext(deps, tenant, connectors, active.options, job.feature, log);
      context.timers = featureTimers(deps, tenant.id, active.feature.manifest, clock);
      context.clock = clock;
      return active.polling.pollBatch(context, {
        users: batch.users,
        after: batch.after,
        through: batch.through,
        reassert: batch.reassert,
        dryRun: false,
        now: clock(),
      });
    });
  } catch (err) {
    failure = ensureError(err).message;
    log.error('poll batch failed; the next cycle polls these users again', { slot: job.slot, batch: batch.index, error: failure });
  }
  if (outcome && (outcome.pbxWrites > 0 || outcome.failed.length > 0)) {
    log.info('poll batch applied', {
      slot: job.slot,
      batch: batch.index,
      changed: outcome.changed,
      pbxWrites: outcome.pbxWrites,
      failed: outcome.failed.length,
    });
  }
  await recordBatch(deps, tenant.id, job, outcome, failure, clock());
}

/** Adds a batch's counts to its cycle (while that cycle is still the stored one); retried on a concurrent write. */
async function recordBatch(
  deps: PollJobDeps,
  tenantId: string,
  job: PollJob,
  outcome: PollBatchOutcome | undefined,
  failure: string | undefined,
  now: Date,
): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const state = await deps.pollCycles.get(tenantId, job.feature);
    if (!state || state.slot !== job.slot) return;
    const stats: PollCycleStats = {
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
      await deps.pollCycles.put({ ...state, stats, lastError, finishedAt: done ? now.toISOString() : undefined });
      return;
    } catch (err) {
      if (!isAppError(err, 'PRECONDITION_FAILED')) throw err;
    }
  }
}
