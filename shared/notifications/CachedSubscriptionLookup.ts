import { type SubscriptionRecord, type SubscriptionStore } from '../subscriptions/SubscriptionStore';

export interface SubscriptionLookup {
  get(subscriptionId: string): Promise<SubscriptionRecord | null>;
}

/**
 * The webhook's view of the subscription table: a found record is kept for `ttlMs`, so a burst costs one
 * point read per subscription. A miss is never cached: a subscription created a moment ago must be
 * recognised on its next notification, and a forged id only costs a read. Concurrent lookups of one id
 * share one read.
 */
export class CachedSubscriptionLookup implements SubscriptionLookup {
  private readonly hits = new Map<string, { record: SubscriptionRecord; until: number }>();
  private readonly reads = new Map<string, Promise<SubscriptionRecord | null>>();

  constructor(
    private readonly store: SubscriptionStore,
    private readonly options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {},
  ) {}

  async get(subscriptionId: string): Promise<SubscriptionRecord | null> {
    const now = (this.options.now ?? Date.now)();
    const hit = this.hits.get(subscriptionId);
    if (hit && hit.until > now) return hit.record;
    let read = this.reads.get(subscriptionId);
    if (!read) {
      read = this.store.get(subscriptionId).finally(() => this.reads.delete(subscriptionId));
      this.reads.set(subscriptionId, read);
    }
    const record = await read;
    if (record) this.remember(subscriptionId, record, now);
    else this.hits.delete(subscriptionId);
    return record;
  }

  /** Drops a cached record (the subscription was removed or replaced in this process). */
  forget(subscriptionId: string): void {
    this.hits.delete(subscriptionId);
  }

  private remember(subscriptionId: string, record: SubscriptionRecord, now: number): void {
    const maxEntries = this.options.maxEntries ?? 10_000;
    this.hits.delete(subscriptionId);
    if (this.hits.size >= maxEntries) this.hits.delete(this.hits.keys().next().value!);
    this.hits.set(subscriptionId, { record, until: now + (this.options.ttlMs ?? 5 * 60_000) });
  }
}
