import { createHash } from 'node:crypto';
import { type FeatureManifest } from '../features/FeatureManifest';
import { type FeatureTimers } from '../features/Feature';
import { type TimerJob } from './jobs/SyncJob';
import { type Services } from './Services';

/**
 * A feature's timers as scheduled queue messages in its lane. The message id is a hash of tenant, feature,
 * subject, key and time: planning the same moment again (the next read of an unchanged calendar) queues nothing
 * more within the duplicate-detection window, and a timer that does slip through twice is dropped by its key.
 */
export function featureTimers(
  deps: Pick<Services, 'queue'>,
  tenantId: string,
  manifest: Pick<FeatureManifest, 'name' | 'lane'>,
  now: () => Date = () => new Date(),
): FeatureTimers {
  return {
    async schedule(timers) {
      for (const timer of timers) {
        const at = timer.at.toISOString();
        const digest = createHash('sha256')
          .update(JSON.stringify([tenantId, manifest.name, timer.subject, timer.key, at]))
          .digest('base64url');
        const jobId = `timer:${tenantId}:${manifest.name}:${digest.slice(0, 32)}`;
        const job: TimerJob = {
          kind: 'timer',
          jobId,
          tenantId,
          lane: manifest.lane,
          trigger: 'scheduled',
          requestedAt: now().toISOString(),
          feature: manifest.name,
          subject: timer.subject,
          key: timer.key,
          at,
        };
        await deps.queue.enqueue(job, { messageId: jobId, ...(timer.at > now() ? { scheduledEnqueueTime: timer.at } : {}) });
      }
    },
  };
}
