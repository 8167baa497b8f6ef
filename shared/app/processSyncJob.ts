import { AppError, isAppError } from '../core/errors/AppError';
import { ensureError } from '../core/errors/ensureError';
import { isRetryable } from '../core/errors/isRetryable';
import { type FeatureSyncJob } from './jobs/SyncJob';
import { type RunStore, type SyncRun } from '../engine/RunStore';
import { RunProgressTracker } from '../engine/RunProgressTracker';
import { queuedRun } from '../engine/queuedRun';
import { newRunId } from '../engine/newRunId';
import { type Services, type TenantConnectors } from './Services';
import { type FeatureContextDeps, featureContext } from './featureContext';
import { withWriterLease } from './withWriterLease';
import { featureTimers } from './featureTimers';
import { type Logger } from '../core/logging/Logger';
import { RunChangeRecorder } from '../engine/RunChangeRecorder';
import { LinkEventLog } from '../engine/LinkEventLog';
import { type DispatchLinkEventsDeps, dispatchLinkEvents } from './dispatchLinkEvents';
import { SpanKind, type Span } from '@opentelemetry/api';
import { SpanAttribute, recordSpanFailure, withSpan } from '../platform/telemetry/tracing';
import { jobSpanAttributes } from '../platform/telemetry/jobTraceContext';

/** What running a sync job uses: the stores a run is recorded in, the lease, the adapters, the feature's context. */
export type ProcessSyncJobDeps = Pick<Services, 'features' | 'tenants' | 'runs' | 'runChanges' | 'leases' | 'connectorsFor' | 'queue'> &
  FeatureContextDeps &
  DispatchLinkEventsDeps;

/**
 * Runs one feature's sync job (the registry names the feature) and records it as a run. A retryable failure is rethrown so the queue redelivers the
 * job (the checkpoint did not move, so nothing is lost); a final one (bad credentials, missing permission,
 * bad configuration) is recorded on the run and not retried.
 */
export async function processSyncJob(services: ProcessSyncJobDeps, job: FeatureSyncJob, jobLog: Logger): Promise<SyncRun | undefined> {
  return withSpan('sync run', { kind: SpanKind.CONSUMER, attributes: jobSpanAttributes(job) }, (span) =>
    runSyncJob(services, job, jobLog, span),
  );
}

async function runSyncJob(services: ProcessSyncJobDeps, job: FeatureSyncJob, jobLog: Logger, span: Span): Promise<SyncRun | undefined> {
  let logger = jobLog.with({ tenant: job.tenantId, job: job.jobId, run: job.runId, feature: job.feature });
  const feature = services.features.get(job.feature);
  // The job a notification queued is no longer pending once it starts, before its round reads anything: a
  // change notified from now on queues the next one, which waits behind this job in the session (DeltaDemand).
  if (job.mode === 'delta') await services.deltaRequests.jobStarting(job);
  const tenant = await services.tenants.get(job.tenantId);
  if (!tenant) {
    logger.info('the tenant no longer exists; job dropped');
    return undefined;
  }
  const existing = job.runId ? await services.runs.get(job.tenantId, job.runId) : null;
  const startedAt = new Date();
  const run: SyncRun =
    existing ??
    queuedRun({
      tenantId: job.tenantId,
      runId: job.runId ?? newRunId(startedAt),
      feature: job.feature,
      trigger: job.trigger,
      mode: job.mode,
      queuedAt: job.requestedAt,
    });
  // A job queued without a run id (a notification's delta) gets one here; its lines carry it from now on.
  logger = logger.with({ run: run.runId });
  span.setAttribute(SpanAttribute.runId, run.runId);
  const options = tenant.config.enabled ? feature.optionsFor(tenant.config) : undefined;
  if (options === undefined) {
    await save(
      services,
      {
        ...run,
        status: 'succeeded',
        startedAt: startedAt.toISOString(),
        finishedAt: startedAt.toISOString(),
        notes: [`tenant or its ${job.feature} feature is disabled; nothing done`],
      },
      !existing,
    );
    return undefined;
  }
  // One writer per tenant and lane, whatever started this job: without the lease nothing is written, and
  // a queued job is delivered again later.
  const leaseKey = { tenantId: tenant.id, lane: feature.manifest.lane };
  const linkEvents = new LinkEventLog(tenant.id, job.feature);
  const outcome = await withWriterLease(services.leases, leaseKey, run.runId, logger, async () => {
    // A redelivered job starts over: what its failed attempt had done is not this attempt's progress.
    Object.assign(run, { status: 'running', startedAt: startedAt.toISOString(), error: undefined, progress: undefined });
    await save(services, run, !existing);
    const running: SyncRun = { ...run };
    const progress = new RunProgressTracker({ save: (now) => services.runs.save({ ...running, progress: now }), log: logger });

    let connectors: TenantConnectors | undefined;
    let counters = { graph: 0, pbx: 0 };
    try {
      connectors = await services.connectorsFor(tenant, feature.manifest.lane);
      const changes = new RunChangeRecorder(services.runChanges, { tenantId: tenant.id, runId: run.runId, dryRun: false });
      counters = { graph: connectors.directoryReader.requestCount(), pbx: connectors.pbx.requestCount() };
      const context = featureContext(services, tenant, connectors, options, job.feature, logger, changes, linkEvents);
      context.timers = featureTimers(services, tenant.id, feature.manifest);
      context.progress = progress;
      if (job.mode === 'full') await expectPreviousRunTotal(services.runs, run, progress, logger);
      const result = await feature.sync(context, { mode: job.mode, dryRun: false });
      // No progress save may land after the final one: it would turn the finished run back into a running one.
      await progress.stop();
      const finishedAt = new Date();
      const done: SyncRun = {
        ...run,
        status: result.counts.failed > 0 ? 'partial' : 'succeeded',
        mode: result.mode,
        finishedAt: finishedAt.toISOString(),
        durationMs: finishedAt.getTime() - startedAt.getTime(),
        counts: result.counts,
        skippedByReason: result.skippedByReason,
        outOfScopeByReason: result.outOfScopeByReason,
        itemsRead: result.itemsRead,
        issues: result.issues,
        notes: result.notes,
        pages: result.pages,
        graphRequests: result.graphRequests,
        pbxRequests: result.pbxRequests,
        progress: progress.snapshot(),
      };
      await services.runs.save(done);
      logger.info(`run ${done.status}`, { ...done.counts, durationMs: done.durationMs, pbxRequests: done.pbxRequests });
      return done;
    } catch (caught) {
      const err = ensureError(caught);
      const retry = isRetryable(caught) && !isAppError(caught, 'INVALID');
      await progress.stop();
      const finishedAt = new Date();
      await services.runs.save({
        ...run,
        status: 'failed',
        finishedAt: finishedAt.toISOString(),
        durationMs: finishedAt.getTime() - startedAt.getTime(),
        // What the run did before it failed still counts (it may have written to the PBX).
        ...(connectors
          ? {
              graphRequests: connectors.directoryReader.requestCount() - counters.graph,
              pbxRequests: connectors.pbx.requestCount() - counters.pbx,
            }
          : {}),
        error: retry ? `${err.message} (the job will be retried)` : err.message,
        progress: progress.snapshot(),
      });
      logger.error('run failed', { error: err.message, willRetry: retry });
      // A retried failure is recorded as it leaves the span; a final one is not rethrown, so record it here.
      if (!retry) recordSpanFailure(span, err);
      if (retry) throw caught instanceof AppError ? caught : err;
      return undefined;
    }
  }).finally(async () => {
    // Links written before a failure are as real as those of a finished run: other features hear of both.
    if (!linkEvents.isEmpty) await dispatchLinkEvents(services, tenant.config, linkEvents.snapshot(), logger);
  });
  return outcome;
}

/** Runs read to find the feature's last full run (enough in a busy tenant; an older one is a poor estimate anyway). */
const PREVIOUS_RUNS_READ = 50;

/**
 * A full run's first estimate of its total: what the feature's last finished full run read. A feature that
 * can count its source (users: Graph's count) replaces it. Progress must never fail a run: a failed read is logged.
 */
async function expectPreviousRunTotal(runs: RunStore, run: SyncRun, progress: RunProgressTracker, logger: Logger): Promise<void> {
  const feature = run.feature ?? 'users';
  try {
    const previous = (await runs.list(run.tenantId, PREVIOUS_RUNS_READ)).find(
      (r) =>
        r.runId !== run.runId &&
        (r.feature ?? 'users') === feature &&
        r.mode === 'full' &&
        !r.dryRun &&
        (r.status === 'succeeded' || r.status === 'partial') &&
        r.itemsRead > 0,
    );
    if (previous) progress.expectTotal(previous.itemsRead, 'previousRun');
  } catch (err) {
    logger.warn('reading the previous run for the progress estimate failed; the run goes on', { error: ensureError(err).message });
  }
}

async function save(services: Pick<Services, 'runs'>, run: SyncRun, isNew: boolean): Promise<void> {
  if (isNew) await services.runs.create(run);
  else await services.runs.save(run);
}
