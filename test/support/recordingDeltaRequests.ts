import { defaultFeatureRegistry } from '../../shared/features/defaultFeatureRegistry';
import { CachedSubscriptionLookup } from '../../shared/notifications/CachedSubscriptionLookup';
import { NotificationIntake } from '../../shared/notifications/NotificationIntake';
import { graphWebhookHandler } from '../../shared/notifications/graphWebhookHandler';
import { InProcessJobQueue } from '../../shared/platform/queue/InProcessJobQueue';
import { type SubscriptionRecord } from '../../shared/subscriptions/SubscriptionStore';
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

/**
 * A webhook intake over a subscription table that is only `find` (no Azurite), the default features, an
 * in-process queue (not started) and recordingDeltaRequests: what the webhook handler tests drive.
 */
export function tableFreeIntake(find: (subscriptionId: string) => SubscriptionRecord | null) {
  const queue = new InProcessJobQueue();
  const intake = new NotificationIntake({
    lookup: new CachedSubscriptionLookup({
      get: async (id) => find(id),
      listForTenant: async () => [],
      save: async () => undefined,
      remove: async () => undefined,
    }),
    features: defaultFeatureRegistry(),
    queue,
    deltas: recordingDeltaRequests(queue),
    debounceMs: 2000,
  });
  return { intake, queue, handler: graphWebhookHandler(async () => intake) };
}
