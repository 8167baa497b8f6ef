import { type FeatureSyncJob } from '../../shared/app/jobs/SyncJob';
import { type Lane } from '../../shared/features/FeatureManifest';
import { type JobQueue } from '../../shared/platform/queue/JobQueue';

/**
 * Delta requests for webhook tests that do not depend on how the app collapses them: the first request per
 * tenant and feature queues one delta job (message id `delta:<tenant>:<feature>`), later ones are covered by
 * it; a failed send is forgotten so the next request tries again.
 */
export function recordingDeltaRequests(queue: JobQueue) {
  const queued = new Set<string>();
  const requests: { tenantId: string; feature: string; trigger: FeatureSyncJob['trigger'] }[] = [];
  return {
    requests,
    async request(tenantId: string, feature: { name: string; lane: Lane }, trigger: FeatureSyncJob['trigger']): Promise<boolean> {
      requests.push({ tenantId, feature: feature.name, trigger });
      const messageId = `delta:${tenantId}:${feature.name}`;
      if (queued.has(messageId)) return false;
      queued.add(messageId);
      const job: FeatureSyncJob = {
        kind: 'sync',
        jobId: messageId,
        tenantId,
        feature: feature.name,
        lane: feature.lane,
        mode: 'delta',
        trigger,
        requestedAt: new Date().toISOString(),
      };
      try {
        await queue.enqueue(job, { messageId });
        return true;
      } catch (err) {
        queued.delete(messageId);
        throw err;
      }
    },
  };
}
