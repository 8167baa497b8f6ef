import { context } from '@opentelemetry/api';
import { type SyncJob } from './jobs/SyncJob';
import { processSyncJob } from './processSyncJob';
import { type PollJobDeps, processPollJob } from './processPollJob';
import { type TimerJobDeps, processTimerJob } from './processTimerJob';
import { type SubscriptionJobDeps, processSubscriptionJob } from './processSubscriptionJob';
import { type Logger } from '../core/logging/Logger';
import { jobTraceContext } from '../platform/telemetry/jobTraceContext';

/** What the sync worker's dispatch forwards: whatever a feature sync job uses, and what a subscription job uses. */
export type ProcessJobDeps = Parameters<typeof processSyncJob>[0] & SubscriptionJobDeps & PollJobDeps & TimerJobDeps;

/**
 * The sync worker's dispatch: a feature's sync to that feature (through the registry), upkeep to upkeep. The
 * job runs in the trace of the code that queued it (its traceparent), so one sync reads as one trace.
 */
export async function processJob(deps: ProcessJobDeps, job: SyncJob, logger: Logger): Promise<void> {
  await context.with(jobTraceContext(job), async () => {
    if (job.kind === 'sync') await processSyncJob(deps, job, logger);
    else if (job.kind === 'poll') await processPollJob(deps, job, logger);
    else if (job.kind === 'timer') await processTimerJob(deps, job, logger);
    else await processSubscriptionJob(deps, job, logger);
  });
}
