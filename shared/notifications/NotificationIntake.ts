import { type ChangeNotification, ChangeNotificationSchema, GUID_PATTERN } from '../graph/ChangeNotification';
import { Logger } from '../core/logging/Logger';
import { type JobQueue } from '../platform/queue/JobQueue';
import { debounceWindowStart } from '../app/jobs/debounceWindow';
import { type FeatureSyncJob, type SubscriptionJob } from '../app/jobs/SyncJob';
import { type SubscriptionRecord } from '../subscriptions/SubscriptionStore';
import { type LookupOutcome, type SubscriptionLookup } from './CachedSubscriptionLookup';
import { DROP_REASONS, type DropReason, type NotificationStats, emptyNotificationStats } from './NotificationStats';
import { checkNotification } from './checkNotification';
import { type FeatureManifest, type Lane } from '../features/FeatureManifest';
import { type FeatureRegistry } from '../features/FeatureRegistry';
import { type FeatureTimer } from '../features/Feature';
import { featureTimers } from '../app/featureTimers';

/**
 * Why a batch is answered 503 (Graph delivers it again; what was accepted is queued either way, and a
 * repeat collapses into the same debounced jobs):
 * - `lookupFailed`: a table read failed or timed out — a real item may be among them;
 * - `overloaded`: the process-wide read budget refused a lookup — the same;
 * - `readLimit`: the batch proved to come from Graph (an item passed its clientState) yet had more unknown
 *   ids than one request may read; its next delivery finds the ones read now in the cache and reads the
 *   next ones. A batch with no authenticated item gets 202 instead: nothing in it was ours.
 */
export type RetryReason = 'lookupFailed' | 'overloaded' | 'readLimit';

export interface IntakeResult {
  accepted: number;
  dropped: Partial<Record<DropReason, number>>;
  /** Jobs this call put on the queue (a burst collapses into the window's one job). */
  jobsEnqueued: number;
  /** Set when the batch should be answered 503 so Graph delivers it again. */
  retry?: RetryReason;
}

/** What turns "this tenant's feature changed" into a delta job (collapsing repeats); the shared delta requests. */
export interface DeltaRequester {
  request(tenantId: string, feature: { name: string; lane: Lane }, trigger: FeatureSyncJob['trigger']): Promise<boolean>;
}

/** At most this many per-batch drop lines a second; the others are counted, and said in the next line. */
export const DROP_LINES_PER_SECOND = 5;
/** How much of a dropped item's subscription id the drop line shows. */
const MAX_LOGGED_ID = 100;

type Acted = { deltas: Map<string, DeltaRequest>; subscriptionJobs: Map<string, SubscriptionJob>; timers: Map<string, UserTimer> };
/** A notification on a per-user subscription: a timer about that user, for its feature. */
type UserTimer = { tenantId: string; feature: FeatureManifest; timer: FeatureTimer };
type DeltaRequest = { tenantId: string; feature: FeatureManifest; trigger: 'notification' | 'lifecycle' };

/**
 * What both webhook endpoints do with a batch: check each item against our subscription table, drop (and
 * count) the ones that are not ours, and turn the rest into jobs. Change notifications and `missed` become
 * their tenant and resource's delta demand (one pending job at most); `reauthorizationRequired` and `subscriptionRemoved`
 * become subscription jobs in the tenant's session. Nothing here calls Graph or the PBX.
 *
 * Anyone can post here, so nothing one item does can fail or hold up another: items are checked by shape
 * first (a malformed one never reaches the table), items whose subscription memory already knows are queued
 * at once while the others are looked up, and lookups are bounded (`CachedSubscriptionLookup`).
 */
export class NotificationIntake {
  readonly stats: NotificationStats = emptyNotificationStats();
  private dropLines = { second: 0, written: 0, suppressed: 0 };

  constructor(
    private readonly deps: {
      lookup: SubscriptionLookup;
      features: FeatureRegistry;
      queue: JobQueue;
      deltas: DeltaRequester;
      debounceMs: number;
      now?: () => Date;
    },
  ) {}

  /**
   * Items are validated one by one: a malformed item is dropped as `invalid` without losing the valid
   * ones beside it. Rejects (the caller answers 5xx so Graph retries) only when a job could not be enqueued;
   * `retry` says when the batch should be delivered again for another reason.
   */
  async accept(items: unknown[], log: Logger = Logger.silent()): Promise<IntakeResult> {
    this.stats.received += items.length;
    const result: IntakeResult = { accepted: 0, dropped: {}, jobsEnqueued: 0 };
    let firstDropped: { id: string; reason: DropReason } | undefined;
    const drop = (reason: DropReason, subscriptionId: string) => {
      result.dropped[reason] = (result.dropped[reason] ?? 0) + 1;
      this.stats.dropped[reason] += 1;
      firstDropped ??= { id: subscriptionId, reason };
    };
    const fromMemory: [ChangeNotification, LookupOutcome][] = [];
    const toRead: ChangeNotification[] = [];
    // Each item is examined only as far as its fate needs, cheapest check first, because a forged batch
    // must cost next to nothing: the id's shape, then memory (an id remembered as unknown is dropped there),
    // then the full schema — for items memory knows, and for as many unknown ids as may still be read.
    const allowance = this.deps.lookup.readAllowance();
    const readable = Math.min(allowance.perRequest, allowance.budget);
    const overCap: DropReason = allowance.budget < allowance.perRequest ? 'overloaded' : 'readLimit';
    const toReadIds = new Set<string>();
    for (const item of items) {
      const id = wellShapedId(item);
      if (id === undefined) {
        drop('invalid', subscriptionIdOf(item));
        continue;
      }
      const known = this.deps.lookup.cached(id);
      if (typeof known === 'object' && known.kind === 'unknown') {
        drop('unknownSubscription', id);
        continue;
      }
      if (known === 'read' && !toReadIds.has(id) && toReadIds.size >= readable) {
        drop(overCap, id);
        continue;
      }
      const parsed = ChangeNotificationSchema.safeParse(item);
      if (!parsed.success) {
        drop('invalid', id);
        continue;
      }
      if (typeof known === 'object') fromMemory.push([parsed.data, known]);
      else {
        if (known === 'read') toReadIds.add(id);
        toRead.push(parsed.data);
      }
    }
    // What memory can answer (every real item, once its subscription is cached) is queued while the rest
    // is read; the handler is attached at once so a queue failure is never an unhandled rejection.
    const first = this.enqueue(this.act(fromMemory, result, drop));
    first.catch(() => undefined);
    const outcomes = toRead.length > 0 ? await this.deps.lookup.lookupMany(toRead.map((i) => i.subscriptionId)) : new Map();
    const second = this.act(
      toRead.map((item) => [item, outcomes.get(item.subscriptionId)] as [ChangeNotification, LookupOutcome | undefined]),
      result,
      drop,
    );
    result.jobsEnqueued += await first;
    result.jobsEnqueued += await this.enqueue(second);
    this.stats.accepted += result.accepted;
    this.stats.jobsEnqueued += result.jobsEnqueued;

    const retry = retryReason(result);
    if (retry) {
      result.retry = retry;
      this.stats.retriesAsked += 1;
    }
    if (firstDropped) this.logDrops(log, items.length, result, firstDropped);
    return result;
  }

  /** Counts each item and collects the jobs the accepted ones ask for. */
  private act(
    checked: [ChangeNotification, LookupOutcome | undefined][],
    result: IntakeResult,
    drop: (reason: DropReason, subscriptionId: string) => void,
  ): Acted {
    const acted: Acted = { deltas: new Map(), subscriptionJobs: new Map(), timers: new Map() };
    const wantDelta = (record: SubscriptionRecord, trigger: 'notification' | 'lifecycle') => {
      const key = `${record.tenantId}/${record.resource}`;
      // A subscription of a feature this process does not run (any more) has nothing to ask for.
      if (!this.deps.features.has(record.resource)) return;
      const { manifest: feature, userSubscriptions } = this.deps.features.get(record.resource);
      if (record.subject && userSubscriptions) {
        // A per-user subscription (a mailbox's events) asks for its user's refresh, not a run over the tenant.
        const timer = userSubscriptions.timerFor(record.subject, this.now());
        acted.timers.set(`${key}/${timer.subject}/${timer.key}`, { tenantId: record.tenantId, feature, timer });
        return;
      }
      if (!acted.deltas.has(key) || trigger === 'lifecycle') acted.deltas.set(key, { tenantId: record.tenantId, feature, trigger });
    };
    for (const [item, outcome] of checked) {
      const check = checkNotification(item, outcome);
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
        acted.subscriptionJobs.set(job.jobId, job);
      }
    }
    return acted;
  }

  /** Queues the jobs; answers how many were new. */
  private async enqueue({ deltas, subscriptionJobs, timers }: Acted): Promise<number> {
    let jobs = 0;
    // Subscription jobs first: in the tenant's session, a recreate then runs before the catch-up delta.
    for (const job of subscriptionJobs.values()) {
      await this.deps.queue.enqueue(job, { messageId: job.jobId });
      jobs += 1;
    }
    for (const { tenantId, feature, timer } of timers.values()) {
      await featureTimers(this.deps, tenantId, feature, () => this.now()).schedule([timer]);
      jobs += 1;
    }
    const sent = await Promise.all([...deltas.values()].map((d) => this.deps.deltas.request(d.tenantId, d.feature, d.trigger)));
    return jobs + sent.filter(Boolean).length;
  }

  /**
   * One line per batch, never one per item, and at most DROP_LINES_PER_SECOND such lines a second
   * (a flood of forged batches must not become a flood of log lines); the next line written says how many
   * were left out. Values from outside are fields, escaped by the log formatter.
   */
  private logDrops(log: Logger, items: number, result: IntakeResult, first: { id: string; reason: DropReason }): void {
    const second = Math.floor((this.deps.now ?? (() => new Date()))().getTime() / 1000);
    if (second !== this.dropLines.second) this.dropLines = { second, written: 0, suppressed: this.dropLines.suppressed };
    if (this.dropLines.written >= DROP_LINES_PER_SECOND) {
      this.dropLines.suppressed += 1;
      this.stats.dropLinesSuppressed += 1;
      return;
    }
    this.dropLines.written += 1;
    const counts = Object.fromEntries(DROP_REASONS.filter((r) => result.dropped[r]).map((r) => [r, result.dropped[r]]));
    log.warn('dropped notifications that are not ours or not valid', {
      items,
      accepted: result.accepted,
      ...counts,
      firstDropped: first.id.slice(0, MAX_LOGGED_ID),
      firstReason: first.reason,
      ...(result.retry ? { retry: result.retry } : {}),
      ...(this.dropLines.suppressed > 0 ? { linesSuppressedBefore: this.dropLines.suppressed } : {}),
    });
    this.dropLines.suppressed = 0;
  }

  /**
   * One job per subscription, action and debounce window: Graph may repeat a lifecycle event, and a
   * repeat inside the queue's duplicate-detection window is dropped by message id.
   */
  private now(): Date {
    return (this.deps.now ?? (() => new Date()))();
  }

  private subscriptionJob(record: SubscriptionRecord, action: 'recreate' | 'reauthorize'): SubscriptionJob {
    const now = this.now();
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

  /**
   * Subscription upkeep created a subscription in this process: the webhook caches its record and forgets
   * having taken the id for unknown. Answers when a second catch-up delta is needed because another instance might drop the new
   * subscription's notifications as unknown until then (see UnknownSubscriptionCache), else undefined.
   */
  subscriptionSaved(record: SubscriptionRecord, createStartedAt: Date, savedAt: Date): Date | undefined {
    return this.deps.lookup.subscriptionSaved(record, createStartedAt, savedAt);
  }
}

function retryReason(result: IntakeResult): RetryReason | undefined {
  if (result.dropped.lookupFailed) return 'lookupFailed';
  if (result.dropped.overloaded) return 'overloaded';
  if (result.dropped.readLimit && result.accepted > 0) return 'readLimit';
  return undefined;
}

/** The item's subscription id when it has the shape of one (a GUID); the full schema comes later. */
function wellShapedId(item: unknown): string | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const id = (item as { subscriptionId?: unknown }).subscriptionId;
  return typeof id === 'string' && id.length === 36 && GUID_PATTERN.test(id) ? id : undefined;
}

/** For the log line of an item that is not a notification: its subscription id, if it names one. */
function subscriptionIdOf(item: unknown): string {
  const id = typeof item === 'object' && item !== null ? (item as { subscriptionId?: unknown }).subscriptionId : undefined;
  if (id === undefined) return '(none)';
  return typeof id === 'string' ? id : `(${typeof id})`;
}
