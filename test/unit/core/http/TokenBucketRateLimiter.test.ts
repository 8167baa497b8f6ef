import { afterEach, describe, expect, it, vi } from 'vitest';
import { TokenBucketRateLimiter } from '../../../../shared/core/http/TokenBucketRateLimiter';

afterEach(() => {
  vi.useRealTimers();
});

/** Starts `count` acquisitions that release at once, recording each start time (fake clock). */
function startAll(limiter: TokenBucketRateLimiter, count: number): number[] {
  const starts: number[] = [];
  for (let i = 0; i < count; i += 1) {
    void limiter.acquire().then(() => {
      starts.push(Date.now());
      limiter.release();
    });
  }
  return starts;
}

describe('TokenBucketRateLimiter', () => {
  it('allows a one-second burst, then exactly the configured rate (fake clock)', async () => {
    vi.useFakeTimers({ now: 0 });
    const limiter = new TokenBucketRateLimiter({ perMinute: 600, maxConcurrency: 1000 }); // 10/s, burst 10
    const starts = startAll(limiter, 200);
    await vi.advanceTimersByTimeAsync(0);
    expect(starts).toHaveLength(10);
    for (const second of [1, 5, 10, 19]) {
      await vi.advanceTimersByTimeAsync(second * 1000 - Date.now());
      expect(starts.length).toBe(10 + second * 10);
    }
  });

  it('never starts more than the burst plus the rate in any window, and keeps up with the rate', async () => {
    vi.useFakeTimers({ now: 0 });
    const perMinute = 10_000;
    const limiter = new TokenBucketRateLimiter({ perMinute, maxConcurrency: 64 });
    const starts = startAll(limiter, 3000);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(starts).toHaveLength(3000);
    const perMs = perMinute / 60_000;
    const burst = perMinute / 60;
    for (let i = 0; i < starts.length; i += 100) {
      for (const windowMs of [100, 1000, 5000]) {
        const inWindow = starts.filter((t) => t >= starts[i]! && t < starts[i]! + windowMs).length;
        expect(inWindow).toBeLessThanOrEqual(Math.ceil(burst + windowMs * perMs));
      }
    }
    // 3,000 starts = 166⅔ burst + 2,833⅓ at 166⅔/s ≈ 17.0 s: paced, but not slower than the rate allows.
    expect(starts.at(-1)!).toBeGreaterThanOrEqual(16_900);
    expect(starts.at(-1)!).toBeLessThanOrEqual(17_100);
  });

  it('paces real time too: 150 starts at 100/s take about half a second after the burst', async () => {
    const limiter = new TokenBucketRateLimiter({ perMinute: 6000, maxConcurrency: 100 });
    const started = Date.now();
    for (let i = 0; i < 150; i += 1) {
      await limiter.acquire();
      limiter.release();
    }
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(480);
    expect(elapsed).toBeLessThan(1200);
  });

  it('never lets more than maxConcurrency run at once, and serves waiters in order', async () => {
    const limiter = new TokenBucketRateLimiter({ perMinute: 600_000, maxConcurrency: 3 });
    let inFlight = 0;
    let max = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        await limiter.acquire();
        order.push(i);
        max = Math.max(max, ++inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight -= 1;
        limiter.release();
      }),
    );
    expect(max).toBe(3);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('holds every start during pauseFor', async () => {
    vi.useFakeTimers({ now: 0 });
    const limiter = new TokenBucketRateLimiter({ perMinute: 6000, maxConcurrency: 10 });
    limiter.pauseFor(2000);
    const starts = startAll(limiter, 5);
    await vi.advanceTimersByTimeAsync(1999);
    expect(starts).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(starts).toEqual([2000, 2000, 2000, 2000, 2000]);
  });

  it('refuses a limit or concurrency that cannot work', () => {
    expect(() => new TokenBucketRateLimiter({ perMinute: 0, maxConcurrency: 1 })).toThrow(/rate limit/);
    expect(() => new TokenBucketRateLimiter({ perMinute: 60, maxConcurrency: 0 })).toThrow(/concurrency/);
  });
});
