import { describe, expect, it } from 'vitest';
import { TokenBucketRateLimiter } from '../../../shared/http/TokenBucketRateLimiter';
import { retryDelay } from '../../../shared/http/retryDelay';

describe('TokenBucketRateLimiter', () => {
  it('paces request starts to the configured rate after the one-second burst', async () => {
    const limiter = new TokenBucketRateLimiter(6000, 100); // 100/s, burst 100
    const started = Date.now();
    for (let i = 0; i < 150; i += 1) {
      await limiter.acquire();
      limiter.release();
    }
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(450); // 50 beyond the burst at 100/s
    expect(elapsed).toBeLessThan(1500);
  });

  it('never lets more than maxConcurrency run at once', async () => {
    const limiter = new TokenBucketRateLimiter(600_000, 3);
    let inFlight = 0;
    let max = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        await limiter.acquire();
        max = Math.max(max, ++inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight -= 1;
        limiter.release();
      }),
    );
    expect(max).toBe(3);
  });
});

describe('retryDelay', () => {
  it('honours Retry-After in seconds and as an HTTP date, capped', () => {
    expect(retryDelay(1, '2')).toBe(2000);
    expect(retryDelay(1, '120', { maxMs: 30_000 })).toBe(30_000);
    const inFive = new Date(Date.now() + 5000).toUTCString();
    expect(retryDelay(1, inFive)).toBeGreaterThan(3000);
  });

  it('backs off exponentially with jitter otherwise', () => {
    expect(retryDelay(1, null, { baseMs: 100, random: () => 0 })).toBe(50);
    expect(retryDelay(4, null, { baseMs: 100, random: () => 1 })).toBe(800);
  });
});
