import { type ChangeNotification, ChangeNotificationSchema } from '../graph/ChangeNotification';
import { Logger } from '../core/logging/Logger';
import { type JobQueue } from '../platform/queue/JobQueue';
import { debounceWindowStart } from '../app/jobs/debounceWindow';
import { type SubscriptionJob } from '../app/jobs/SyncJob';
import { type SubscriptionRecord } from '../subscriptions/SubscriptionStore';
import { type SubscriptionLookup } from './CachedSubscriptionLookup';
import { type DebouncedDeltaEnqueuer } from './DebouncedDeltaEnqueuer';
import { type DropReason, type NotificationStats, emptyNotificationStats } from './NotificationStats';
import { checkNotification } from './checkNotification';
import { type FeatureManifest } from '../features/FeatureManifest';
import { type FeatureRegistry } from '../features/FeatureRegistry';

export interface IntakeResult {
  accepted: number;
  dropped: Partial<Record<DropReason, number>>;
  /** Jobs this call put on the queue (a burst collapses into the window's one job). */
  jobsEnqueued: number;
}

/**
 * What both webhook endpoints do with a batch: check each item against our subscription table, drop (and
 * count) the ones that are not ours, and turn the rest into jobs. Change notifications and `missed` become
 * the debounced delta job of their tenant and resource; `reauthorizationRequired` and `subscriptionRemoved`
 * become subscription jobs in the tenant's session. Nothing here calls Graph or the PBX.
 */
export class NotificationIntake {
  readonly stats: NotificationStats = emptyNotificationStats();

  constructor(
    private readonly deps: {
      lookup: SubscriptionLookup;
      features: FeatureRegistry;
      queue: JobQueue;
      deltas: DebouncedDeltaEnqueuer;
      debounceMs: number;
      now?: () => Date;
    },
  ) {}

  /**
   * Items are validated one by one: a malformed item is dropped as `invalid` without losing the valid
   * ones beside it. Rejects (the caller answers 5xx so Graph retries) only when a job could not be enqueued.
   */
  async accept(items: unknown[], log: Logger = Logger.silent()): Promise<IntakeResult> {
    this.stats.received += items.length;
    const result: IntakeResult = { accepted: 0, dropped: {}, jobsEnqueued: 0 };
    // Drops are logged once per batch, not per item: anyone can post forged batches to this endpoint.
    let firstDropped: string | undefined;
    const drop = (reason: DropReason, subscriptionId: string) => {
      result.dropped[reason] = (result.dropped[reason] ?? 0) + 1;
      this.stats.dropped[reason] += 1;
      firstDropped ??= subscriptionId;
    };
    const valid: ChangeNotification[] = [];
    for (const item of items) {
      const parsed = ChangeNotificationSchema.safeParse(item);
      if (parsed.success) valid.push(parsed.data);
      else drop('invalid', subscriptionIdOf(item));
    }
    const checked = await Promise.all(valid.map(async (item) => ({ item, check: await checkNotification(item, this.deps.lookup) })));
    const deltas = new Map<string, { tenantId: string; feature: FeatureManifest; trigger: 'notification' | 'lifecycle' }>();
    const wantDelta = (record: SubscriptionRecord, trigger: 'notification' | 'lifecycle') => {
      const key = `${record.tenantId}/${record.resource}`;
      // A subscription of a feature this process does not run (any more) has nothing to ask for.
      if (!this.deps.features.has(record.resource)) return;
      const feature = this.deps.features.get(record.resource).manifest;
      if (!deltas.has(key) || trigger === 'lifecycle') deltas.set(key, { tenantId: record.tenantId, feature, trigger });
    };
    const subscriptionJobs = new Map<string, SubscriptionJob>();
    for (const { item, check } of checked) {
      if (!check.ok) {
        drop(check.reason, item.subscriptionId);
        continue;
      }
      result.accepted += 1;
      const { record } = check;
      if (!item.lifecycleEvent) {
        wantDelta(record, 'notification');
        continue;
      }
      this.stats.lifecycleEvents += 1;
      if (item.lifecycleEvent === 'missed') wantDelta(record, 'lifecycle');
      else {
        const job = this.subscriptionJob(record, item.lifecycleEvent === 'subscriptionRemoved' ? 'recreate' : 'reauthorize');
        subscriptionJobs.set(job.jobId, job);
      }
    }
    this.stats.accepted += result.accepted;
    if (firstDropped !== undefined) {
      log.warn('dropped notifications that are not ours or not valid', { ...result.dropped, firstSubscription: firstDropped });
    }
    // Subscription jobs first: in the tenant's session, a recreate then runs before the catch-up delta.
    for (const job of subscriptionJobs.values()) {
      await this.deps.queue.enqueue(job, { messageId: job.jobId });
      result.jobsEnqueued += 1;
    }
    const sent = await Promise.all([...deltas.values()].map((d) => this.deps.deltas.request(d.tenantId, d.feature, d.trigger)));
    result.jobsEnqueued += sent.filter(Boolean).length;
    this.stats.jobsEnqueued += result.jobsEnqueued;
    return result;
  }

  /**
   * One job per subscription, action and debounce window: Graph may repeat a lifecycle event, and a
   * repeat inside the queue's duplicate-detection window is dropped by message id.
   */
  private subscriptionJob(record: SubscriptionRecord, action: 'recreate' | 'reauthorize'): SubscriptionJob {
    const now = (this.deps.now ?? (() => new Date()))();
    const jobId = `${action}:${record.subscriptionId}:${debounceWindowStart(now, this.deps.debounceMs)}`.slice(0, 128);
    return {
      jobId,
      tenantId: record.tenantId,
      kind: 'subscriptions',
      lane: 'directory',
      action,
      subscriptionId: record.subscriptionId,
      trigger: 'lifecycle',
      requestedAt: now.toISOString(),
    };
  }
}

/** For the log line of an item that is not a notification: its subscription id, if it names one. */
function subscriptionIdOf(item: unknown): string {
  const id = typeof item === 'object' && item !== null ? (item as { subscriptionId?: unknown }).subscriptionId : undefined;
  return typeof id === 'string' ? id : '(none)';
}
