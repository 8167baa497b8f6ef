import { type EnqueueOptions } from '../platform/queue/JobQueue';
import { type UserSyncJob } from './jobs/SyncJob';
import { type RunTrigger } from '../engine/RunStore';
import { queuedRun } from '../engine/queuedRun';
import { newRunId } from '../engine/newRunId';
import { type Services } from './Services';

/**
 * Records a queued run and enqueues its job; the caller gets the run id at once. The run id doubles as
 * the job and message id, so a retried request never queues a second job for the same run.
 */
export async function requestSync(
  services: Services,
  request: { tenantId: string; mode: 'full' | 'delta'; trigger: RunTrigger; now?: Date },
  enqueueOptions: EnqueueOptions = {},
): Promise<{ runId: string; job: UserSyncJob }> {
  const now = request.now ?? new Date();
  const runId = newRunId(now);
  const job: UserSyncJob = {
    jobId: runId,
    tenantId: request.tenantId,
    resource: 'users',
    mode: request.mode,
    trigger: request.trigger,
    runId,
    requestedAt: now.toISOString(),
  };
  await services.runs.create(
    queuedRun({ tenantId: request.tenantId, runId, trigger: request.trigger, mode: request.mode, queuedAt: job.requestedAt }),
  );
  await services.queue.enqueue(job, { messageId: runId, ...enqueueOptions });
  return { runId, job };
}
