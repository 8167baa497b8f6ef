/**
 * Client-side pacing: at most `perMinute` request starts per minute (a bucket holding one second's worth,
 * refilled continuously) and at most `maxConcurrency` in flight. Waiters are served in arrival order.
 */
export class TokenBucketRateLimiter {
  private tokens: number;
  private lastRefill: number;
  private inFlight = 0;
  private readonly waiters: (() => void)[] = [];
  private timer?: NodeJS.Timeout;
  private readonly perMs: number;
  private readonly capacity: number;

  constructor(perMinute: number, private readonly maxConcurrency: number, private readonly now: () => number = () => Date.now()) {
    this.perMs = perMinute / 60_000;
    this.capacity = Math.max(1, perMinute / 60);
    this.tokens = this.capacity;
    this.lastRefill = this.now();
  }

  acquire(): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.drain();
    });
  }

  release(): void {
    this.inFlight -= 1;
    this.drain();
  }

  private drain(): void {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.lastRefill) * this.perMs);
    this.lastRefill = now;
    while (this.waiters.length > 0 && this.inFlight < this.maxConcurrency && this.tokens >= 1) {
      this.tokens -= 1;
      this.inFlight += 1;
      this.waiters.shift()!();
    }
    if (this.waiters.length > 0 && this.inFlight < this.maxConcurrency && !this.timer) {
      const wait = Math.max(1, Math.ceil((1 - this.tokens) / this.perMs));
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.drain();
      }, wait);
      this.timer.unref();
    }
  }
}
