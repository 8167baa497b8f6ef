import { EnqueueOptions } from '../queue/JobQueue';
import { SyncJob } from '../queue/SyncJob';
import { RunTrigger, emptyCounts } from '../store/RunStore';
import { newRunId } from '../store/newRunId';
import { Services } from './Services';

/**
 * Records a queued run and enqueues its job; the caller gets the run id at once. The run id doubles as
 * the job and message id, so a retried request never queues a second job for the same run.
 */
export async function requestSync(
  services: Services,
  request: { tenantId: string; mode: 'full' | 'delta'; trigger: RunTrigger; now?: Date },
  enqueueOptions: EnqueueOptions = {},
): Promise<{ runId: string; job: SyncJob }> {
  const now = request.now ?? new Date();
  const runId = newRunId(now);
  const job: SyncJob = { jobId: runId, tenantId: request.tenantId, resource: 'users', mode: request.mode, trigger: request.trigger, runId, requestedAt: now.toISOString() };
  await services.runs.create({
    tenantId: request.tenantId,
    runId,
    status: 'queued',
    trigger: request.trigger,
    mode: request.mode,
    dryRun: false,
    queuedAt: job.requestedAt,
    counts: emptyCounts(),
    skippedByReason: {},
    issues: [],
    graphRequests: 0,
    pbxRequests: 0,
    pages: 0,
    notes: [],
  });
  await services.queue.enqueue(job, { messageId: runId, ...enqueueOptions });
  return { runId, job };
}
