/**
 * PortSIP's REST limit (`access_limit`, requests per minute; reference/portsip.md §7) as a token bucket
 * refilled continuously, holding at most two seconds' worth so short bursts pass.
 */
export class TokenBucket {
  private tokens: number;
  private at: number;
  private readonly perMs: number;
  private readonly capacity: number;

  constructor(
    perMinute: number,
    private readonly now: () => number = Date.now,
  ) {
    this.perMs = perMinute / 60_000;
    this.capacity = Math.max(1, (perMinute / 60) * 2);
    this.tokens = this.capacity;
    this.at = now();
  }

  /** Takes one token: undefined when allowed, else the whole seconds until one is available (≥ 1). */
  take(): number | undefined {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.at) * this.perMs);
    this.at = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - this.tokens) / this.perMs / 1000));
  }
}
