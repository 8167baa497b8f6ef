import { type SubscriptionRecord, type SubscriptionStore } from '../subscriptions/SubscriptionStore';
import { ReadBudget } from './ReadBudget';
import { UnknownSubscriptionCache } from './UnknownSubscriptionCache';

/** What the webhook learned about one subscription id. */
export type LookupOutcome =
  | { kind: 'found'; record: SubscriptionRecord }
  /** Not in our table (read now, or remembered as unknown). */
  | { kind: 'unknown' }
  /** Not looked up: the request already used its share of table reads. */
  | { kind: 'readLimit' }
  /** Not looked up: the process-wide read budget had nothing left at that moment. */
  | { kind: 'overloaded' }
  /** The table read failed or timed out. */
  | { kind: 'failed' };

/**
 * What memory says about an id before any read: an outcome (a cached record, or an id remembered as unknown),
 * `refresh` (a known subscription whose record is due to be read again, outside every cap), or `read` (only a
 * capped table read can tell).
 */
export type CachedAnswer = LookupOutcome | 'refresh' | 'read';

export interface SubscriptionLookup {
  cached(subscriptionId: string): CachedAnswer;
  /** How many `read` ids one request may look up right now: its own cap, and what the process budget has left. */
  readAllowance(): { perRequest: number; budget: number };
  /** Every id's outcome, reading the table (within the caps) for what memory cannot tell. */
  lookupMany(subscriptionIds: readonly string[]): Promise<Map<string, LookupOutcome>>;
  /**
   * This process saved a new subscription: its record is cached (its first notifications cost no read, even
   * under a flood) and the id is no longer remembered as unknown. Answers the latest moment another instance
   * might still drop its notifications as unknown, when that is possible at all.
   */
  subscriptionSaved(record: SubscriptionRecord, createStartedAt: Date, savedAt: Date): Date | undefined;
}

/** Most table reads one request may cause (distinct ids memory cannot answer). */
export const MAX_READS_PER_REQUEST = 16;
/** How long one table read may take before its items count as `failed`. */
export const READ_TIMEOUT_MS = 1000;

export interface CachedSubscriptionLookupOptions {
  /** How long a found record is used without reading it again (default 5 min). */
  ttlMs?: number;
  /** Most records kept (default 10,000); the oldest go first. */
  maxEntries?: number;
  maxReadsPerRequest?: number;
  readTimeoutMs?: number;
  /** The process-wide cap on reads of ids memory cannot answer. */
  budget?: ReadBudget;
  /** The negative cache. */
  unknown?: UnknownSubscriptionCache;
  now?: () => number;
}

/**
 * The webhook's view of the subscription table, built so anonymous callers cannot turn it into work:
 *
 * - A found record is kept for `ttlMs` (5 min), so a burst costs one point read per subscription. When it
 *   expires it is read again outside every cap below (only ids that were real get there) and, should that
 *   read fail, the last record is used: a table outage does not stop known subscriptions.
 * - Ids confirmed unknown are answered from the bounded negative cache (`UnknownSubscriptionCache`).
 * - Anything else costs a point read, and those are capped: `maxReadsPerRequest` (16) distinct ids per
 *   request, the process-wide `ReadBudget` (50/s, burst 100, 16 in flight), and `readTimeoutMs` (1 s) per
 *   read. A read that times out keeps its budget slot until it really ends (or 10 timeouts passed), so a
 *   hanging table cannot pile up reads. Concurrent lookups of one id share one read.
 */
export class CachedSubscriptionLookup implements SubscriptionLookup {
  private readonly hits = new Map<string, { record: SubscriptionRecord; until: number }>();
  private readonly reads = new Map<string, Promise<LookupOutcome>>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly maxReadsPerRequest: number;
  private readonly readTimeoutMs: number;
  private readonly budget: ReadBudget;
  readonly unknown: UnknownSubscriptionCache;
  private readonly now: () => number;

  constructor(
    private readonly store: SubscriptionStore,
    options: CachedSubscriptionLookupOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 5 * 60_000;
    this.maxEntries = Math.max(1, options.maxEntries ?? 10_000);
    this.maxReadsPerRequest = options.maxReadsPerRequest ?? MAX_READS_PER_REQUEST;
    this.readTimeoutMs = options.readTimeoutMs ?? READ_TIMEOUT_MS;
    this.now = options.now ?? Date.now;
    this.budget = options.budget ?? new ReadBudget({ now: this.now });
    this.unknown = options.unknown ?? new UnknownSubscriptionCache();
  }

  cached(subscriptionId: string): CachedAnswer {
    const now = this.now();
    const hit = this.hits.get(subscriptionId);
    if (hit) return hit.until > now ? { kind: 'found', record: hit.record } : 'refresh';
    return this.unknown.isUnknown(subscriptionId, now) ? { kind: 'unknown' } : 'read';
  }

  readAllowance(): { perRequest: number; budget: number } {
    return { perRequest: this.maxReadsPerRequest, budget: this.budget.available() };
  }

  async lookupMany(subscriptionIds: readonly string[]): Promise<Map<string, LookupOutcome>> {
    const outcomes = new Map<string, LookupOutcome>();
    const pending: Promise<void>[] = [];
    const settle = (id: string, outcome: Promise<LookupOutcome>) => pending.push(outcome.then((o) => void outcomes.set(id, o)));
    let reads = 0;
    for (const id of new Set(subscriptionIds)) {
      const known = this.cached(id);
      if (typeof known === 'object') {
        outcomes.set(id, known);
        continue;
      }
      const shared = this.reads.get(id);
      if (shared) {
        settle(id, shared);
        continue;
      }
      const stale = this.hits.get(id);
      if (stale) {
        settle(id, this.read(id, stale.record));
        continue;
      }
      if (reads >= this.maxReadsPerRequest) {
        outcomes.set(id, { kind: 'readLimit' });
        continue;
      }
      const release = this.budget.tryAcquire();
      if (!release) {
        outcomes.set(id, { kind: 'overloaded' });
        continue;
      }
      reads += 1;
      settle(id, this.read(id, undefined, release));
    }
    await Promise.all(pending);
    return outcomes;
  }

  subscriptionSaved(record: SubscriptionRecord, createStartedAt: Date, savedAt: Date): Date | undefined {
    this.unknown.forget(record.subscriptionId);
    this.remember(record.subscriptionId, record);
    const until = this.unknown.unknownPossibleUntil(createStartedAt.getTime(), savedAt.getTime());
    return until === undefined ? undefined : new Date(until);
  }

  /** Drops a cached record (the subscription was removed or replaced in this process). */
  forget(subscriptionId: string): void {
    this.hits.delete(subscriptionId);
  }

  /** Cached records (for tests and the bench's memory check). */
  get size(): { records: number; unknown: number; readsInFlight: number } {
    return { records: this.hits.size, unknown: this.unknown.size, readsInFlight: this.reads.size };
  }

  /** One point read, bounded in time; `stale` is what to answer if a refresh of a known record fails. */
  private read(id: string, stale: SubscriptionRecord | undefined, release?: () => void): Promise<LookupOutcome> {
    const startedAt = this.now();
    const read = Promise.resolve().then(() => this.store.get(id));
    if (release) {
      // A read that never ends must not hold its slot for ever: it is given back after 10 timeouts at the latest.
      const hard = setTimeout(release, 10 * this.readTimeoutMs);
      hard.unref?.();
      const done = () => {
        clearTimeout(hard);
        release();
      };
      read.then(done, done);
    }
    const outcome = withTimeout(read, this.readTimeoutMs).then(
      (record): LookupOutcome => {
        if (record) {
          this.remember(id, record);
          this.unknown.forget(id);
          return { kind: 'found', record };
        }
        this.hits.delete(id);
        this.unknown.recordMiss(id, startedAt);
        return { kind: 'unknown' };
      },
      (): LookupOutcome => {
        if (!stale) return { kind: 'failed' };
        // The table is unwell: keep using the record we had, and ask again in a little while.
        this.hits.set(id, { record: stale, until: this.now() + Math.min(this.ttlMs, 10_000) });
        return { kind: 'found', record: stale };
      },
    );
    const shared = outcome.finally(() => this.reads.delete(id));
    this.reads.set(id, shared);
    return shared;
  }

  private remember(subscriptionId: string, record: SubscriptionRecord): void {
    this.hits.delete(subscriptionId);
    if (this.hits.size >= this.maxEntries) this.hits.delete(this.hits.keys().next().value!);
    this.hits.set(subscriptionId, { record, until: this.now() + this.ttlMs });
  }
}

/** `promise`, or a rejection after `ms` (the timer never holds the process open). */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    timer.unref?.();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
