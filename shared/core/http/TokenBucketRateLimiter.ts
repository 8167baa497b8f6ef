import { AppError } from '../errors/AppError';

export interface TokenBucketRateLimiterOptions {
  /** Request starts allowed per minute (the server's limit). */
  perMinute: number;
  /** Requests allowed in flight at once. */
  maxConcurrency: number;
  /** Burst size in seconds' worth of the rate; default 1. */
  burstSeconds?: number;
  now?: () => number;
}

/**
 * Client-side pacing: request starts follow a token bucket refilled continuously at `perMinute` and holding
 * `burstSeconds` worth (so a steady client runs at the full rate, and an idle one may start with a short
 * burst), with at most `maxConcurrency` in flight. Waiters are served in arrival order. Over any minute a
 * client sees at most `perMinute` plus one burst; ⚠ if a server counted fixed one-minute windows, that
 * burst could be refused once, and the caller's 429 handling (pauseFor) covers it.
 */
export class TokenBucketRateLimiter {
  private readonly perMs: number;
  private readonly capacity: number;
  private readonly maxConcurrency: number;
  private readonly now: () => number;
  private readonly waiters: (() => void)[] = [];
  private tokens: number;
  private refilledAt: number;
  private pausedUntil = 0;
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(options: TokenBucketRateLimiterOptions) {
    if (!(options.perMinute > 0))
      throw new AppError('CONFIG', `rate limit must be a positive number of requests per minute (got ${options.perMinute})`);
    if (!(options.maxConcurrency >= 1)) throw new AppError('CONFIG', `max concurrency must be at least 1 (got ${options.maxConcurrency})`);
    this.perMs = options.perMinute / 60_000;
    this.capacity = Math.max(1, (options.perMinute / 60) * (options.burstSeconds ?? 1));
    this.maxConcurrency = Math.floor(options.maxConcurrency);
    this.now = options.now ?? Date.now;
    this.tokens = this.capacity;
    this.refilledAt = this.now();
  }

  /** Resolves when a request may start; pair every acquire with one release. */
  acquire(): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.drain();
    });
  }

  release(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.drain();
  }

  /** Holds every start for `ms` (the server said it is throttling us). */
  pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
  }

  private drain(): void {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.refilledAt) * this.perMs);
    this.refilledAt = now;
    if (now >= this.pausedUntil) {
      while (this.waiters.length > 0 && this.inFlight < this.maxConcurrency && this.tokens >= 1) {
        this.tokens -= 1;
        this.inFlight += 1;
        this.waiters.shift()!();
      }
    }
    // A release wakes us when concurrency is the limit; otherwise wait for the next token or the pause end.
    if (this.waiters.length === 0 || this.inFlight >= this.maxConcurrency || this.timer) return;
    const wait = Math.max(this.pausedUntil - now, (1 - this.tokens) / this.perMs, 1);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.drain();
    }, Math.ceil(wait));
  }
}
