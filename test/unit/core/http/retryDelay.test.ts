import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../../../shared/core/http/parseRetryAfter';
import { retryDelay } from '../../../../shared/core/http/retryDelay';

const now = Date.parse('2026-01-01T00:00:00Z');

describe('parseRetryAfter', () => {
  it.each([
    ['2', 2000],
    [' 0 ', 0],
    ['1.5', 1500],
    ['Thu, 01 Jan 2026 00:00:05 GMT', 5000],
    ['Wed, 31 Dec 2025 23:59:00 GMT', 0], // in the past
    ['', undefined],
    [null, undefined],
    [undefined, undefined],
    ['soon', undefined],
    ['-3', undefined],
  ])('reads %j as %j ms', (header, ms) => {
    expect(parseRetryAfter(header, now)).toBe(ms);
  });
});

describe('retryDelay', () => {
  it('honours Retry-After in seconds and as an HTTP date, capped', () => {
    expect(retryDelay(1, '2')).toBe(2000);
    expect(retryDelay(3, '0')).toBe(0);
    expect(retryDelay(1, '120', { maxMs: 30_000 })).toBe(30_000);
    expect(retryDelay(1, 'Thu, 01 Jan 2026 00:00:05 GMT', { now })).toBe(5000);
  });

  it('backs off exponentially with jitter when the server gave no usable Retry-After', () => {
    const low = { baseMs: 100, random: () => 0 };
    const high = { baseMs: 100, random: () => 0.999999 };
    expect([1, 2, 3, 4].map((n) => retryDelay(n, null, low))).toEqual([50, 100, 200, 400]);
    expect([1, 2, 3, 4].map((n) => retryDelay(n, 'garbage', high))).toEqual([100, 200, 400, 800]);
  });

  it('caps the backoff', () => {
    expect(retryDelay(30, undefined, { baseMs: 250, maxMs: 10_000, random: () => 1 })).toBe(10_000);
    for (let n = 1; n < 60; n += 1) expect(retryDelay(n, null)).toBeLessThanOrEqual(30_000);
  });
});
