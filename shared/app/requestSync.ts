import { type EnqueueOptions } from '../platform/queue/JobQueue';
import { type FeatureSyncJob } from './jobs/SyncJob';
import { type RunTrigger } from '../engine/RunStore';
import { queuedRun } from '../engine/queuedRun';
import { newRunId } from '../engine/newRunId';
import { type Services } from './Services';
import { featureSyncJob } from './jobs/featureSyncJob';

/** What requesting a run uses: the feature registry, the run table and the queue. */
export type RequestSyncDeps = Pick<Services, 'features' | 'runs' | 'queue'>;

/**
 * Records a queued run of one feature and enqueues its job; the caller gets the run id at once. The run id
 * doubles as the job and message id, so a retried request never queues a second job for the same run.
 */
export async function requestSync(
  deps: RequestSyncDeps,
  request: { tenantId: string; feature: string; mode: 'full' | 'delta'; trigger: RunTrigger; now?: Date },
  enqueueOptions: EnqueueOptions = {},
): Promise<{ runId: string; job: FeatureSyncJob }> {
  const feature = deps.features.get(request.feature);
  const now = request.now ?? new Date();
  const runId = newRunId(now);
  const job = featureSyncJob(feature.manifest, { tenantId: request.tenantId, runId, mode: request.mode, trigger: request.trigger, now });
  await deps.runs.create(
    queuedRun({
      tenantId: request.tenantId,
      runId,
      feature: job.feature,
      trigger: request.trigger,
      mode: request.mode,
      queuedAt: job.requestedAt,
    }),
  );
  await deps.queue.enqueue(job, { messageId: enqueueOptions.messageId ?? runId, ...enqueueOptions });
  return { runId, job };
}
