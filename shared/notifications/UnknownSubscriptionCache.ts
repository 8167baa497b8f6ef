/** How long an id confirmed unknown is answered from memory, without a table read. */
export const UNKNOWN_TTL_MS = 60_000;
/** How long after an id's first miss a second miss may confirm it as unknown (see the class comment). */
export const UNKNOWN_CONFIRM_AFTER_MS = 10_000;
/** Most ids remembered (first misses and confirmed unknowns together); the oldest go first. */
export const UNKNOWN_MAX_ENTRIES = 10_000;

export interface UnknownSubscriptionCacheOptions {
  ttlMs?: number;
  confirmAfterMs?: number;
  maxEntries?: number;
}

/**
 * The negative cache: subscription ids our table does not hold, so a replayed forged id costs memory, not
 * a table read each time. Bounded in size (oldest first out) and in time (`ttlMs`).
 *
 * ⚠ The danger of a negative cache is an id that becomes real a moment later: a subscription that another
 * instance is creating right now. Graph can notify for a subscription before our create has saved its record
 * (the notification races our table write); an instance that then remembered the id as unknown would drop
 * every real notification of it until the entry expired. So an id is only remembered as unknown once two
 * table reads, started at least `confirmAfterMs` (10 s) apart, both found nothing. The first read of an id
 * cannot start before the create that made the id started, so an id can only be remembered as unknown if
 * its record was saved more than `confirmAfterMs` after the create started. Subscription upkeep
 * (`TenantSubscriptions.create`) measures exactly that: when a create took that long it queues a second
 * catch-up delta scheduled after `ttlMs`, when every such entry has expired; an in-process create also
 * removes the id here at once (`forget`). Normal creates (milliseconds) need neither.
 */
export class UnknownSubscriptionCache {
  private readonly entries = new Map<string, { firstMissAt: number; unknownUntil: number }>();
  readonly ttlMs: number;
  readonly confirmAfterMs: number;
  private readonly maxEntries: number;

  constructor(options: UnknownSubscriptionCacheOptions = {}) {
    this.ttlMs = options.ttlMs ?? UNKNOWN_TTL_MS;
    this.confirmAfterMs = options.confirmAfterMs ?? UNKNOWN_CONFIRM_AFTER_MS;
    this.maxEntries = Math.max(1, options.maxEntries ?? UNKNOWN_MAX_ENTRIES);
  }

  /** True while `subscriptionId` is confirmed unknown: answer from memory, no read. */
  isUnknown(subscriptionId: string, now: number): boolean {
    const entry = this.entries.get(subscriptionId);
    return entry !== undefined && entry.unknownUntil > now;
  }

  /** A table read of `subscriptionId` that started at `readStartedAt` found nothing. */
  recordMiss(subscriptionId: string, readStartedAt: number): void {
    const entry = this.entries.get(subscriptionId);
    if (!entry) {
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(subscriptionId, { firstMissAt: readStartedAt, unknownUntil: 0 });
      return;
    }
    if (readStartedAt - entry.firstMissAt >= this.confirmAfterMs) entry.unknownUntil = readStartedAt + this.ttlMs;
  }

  /** The id exists (found, or created by this process): never answer it as unknown. */
  forget(subscriptionId: string): void {
    this.entries.delete(subscriptionId);
  }

  /**
   * When a create that started at `createStartedAt` saved its record at `savedAt`, the latest moment an
   * instance might still drop the new id's notifications as unknown; undefined when none can (the save came
   * within half of `confirmAfterMs` of the create's start, leaving the other half for clock and scheduling
   * noise between instances).
   */
  unknownPossibleUntil(createStartedAt: number, savedAt: number): number | undefined {
    return savedAt - createStartedAt >= this.confirmAfterMs / 2 ? savedAt + this.ttlMs : undefined;
  }

  get size(): number {
    return this.entries.size;
  }
}
