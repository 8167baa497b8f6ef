/** Table reads of unknown ids per second the whole process may start (refilled continuously). */
export const READS_PER_SECOND = 50;
/** Reads the budget holds when idle (a cold instance meeting many subscriptions at once). */
export const READ_BURST = 100;
/** Table reads of unknown ids in flight at once, whatever their rate. */
export const MAX_READS_IN_FLIGHT = 16;

export interface ReadBudgetOptions {
  perSecond?: number;
  burst?: number;
  maxInFlight?: number;
  now?: () => number;
}

/**
 * The process-wide cap on table reads for subscription ids memory cannot answer — the only reads anyone on
 * the internet can make the anonymous webhook do. A token bucket bounds their rate and a counter their
 * concurrency. It never waits: without a token or a free slot the caller is told no at once (the item is
 * dropped as `overloaded` and the batch answered 503 — Graph delivers again, a forger gets nothing), so a
 * flood can neither queue up memory nor delay anything. Known subscriptions are cached and never ask.
 */
export class ReadBudget {
  private readonly perMs: number;
  private readonly burst: number;
  private readonly maxInFlight: number;
  private readonly now: () => number;
  private tokens: number;
  private refilledAt: number;
  private running = 0;

  constructor(options: ReadBudgetOptions = {}) {
    this.perMs = (options.perSecond ?? READS_PER_SECOND) / 1000;
    this.burst = Math.max(1, options.burst ?? READ_BURST);
    this.maxInFlight = Math.max(1, options.maxInFlight ?? MAX_READS_IN_FLIGHT);
    this.now = options.now ?? Date.now;
    this.tokens = this.burst;
    this.refilledAt = this.now();
  }

  /** How many reads would be granted right now (without taking any). */
  available(): number {
    this.refill();
    return Math.max(0, Math.min(Math.floor(this.tokens), this.maxInFlight - this.running));
  }

  /** A slot for one read (call the returned function once when the read settles), or undefined: none now. */
  tryAcquire(): (() => void) | undefined {
    this.refill();
    if (this.tokens < 1 || this.running >= this.maxInFlight) return undefined;
    this.tokens -= 1;
    this.running += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running -= 1;
    };
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + (now - this.refilledAt) * this.perMs);
    this.refilledAt = now;
  }

  get inFlight(): number {
    return this.running;
  }
}
