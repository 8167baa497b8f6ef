import { type JobQueue } from '../platform/queue/JobQueue';
import { debouncedDeltaMessage } from '../app/jobs/debounceWindow';
import { type FeatureSyncJob } from '../app/jobs/SyncJob';
import { type Lane } from '../features/FeatureManifest';
import { type SubscribedResource } from '../subscriptions/SubscriptionStore';

/**
 * Turns "something changed for this tenant and resource" into at most one delta job per debounce window.
 * The queue drops repeats by message id (Service Bus duplicate detection); this process also remembers the
 * windows it has already enqueued, so a burst of notifications costs one send, not one per notification.
 * A failed send is forgotten, so the next notification (or Graph's retry) tries again.
 */
export class DebouncedDeltaEnqueuer {
  private readonly sent = new Map<string, { send: Promise<void>; windowEnd: number }>();

  constructor(
    private readonly queue: JobQueue,
    private readonly windowMs: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** True when this call enqueued the window's job, false when an earlier call already had. */
  async request(tenantId: string, feature: { name: SubscribedResource; lane: Lane }, trigger: FeatureSyncJob['trigger']): Promise<boolean> {
    const now = this.now();
    const { messageId, scheduledEnqueueTime } = debouncedDeltaMessage(tenantId, feature.name, now, this.windowMs);
    const pending = this.sent.get(messageId);
    if (pending) {
      await pending.send;
      return false;
    }
    const job: FeatureSyncJob = {
      kind: 'sync',
      jobId: messageId,
      tenantId,
      feature: feature.name,
      lane: feature.lane,
      mode: 'delta',
      trigger,
      requestedAt: now.toISOString(),
    };
    const send = this.queue.enqueue(job, { messageId, scheduledEnqueueTime });
    this.sent.set(messageId, { send, windowEnd: scheduledEnqueueTime.getTime() });
    this.forgetOldWindows(now.getTime());
    try {
      await send;
      return true;
    } catch (err) {
      this.sent.delete(messageId);
      throw err;
    }
  }

  private forgetOldWindows(nowMs: number): void {
    if (this.sent.size < 1000) return;
    for (const [messageId, { windowEnd }] of this.sent) if (windowEnd < nowMs) this.sent.delete(messageId);
  }
}
