import { describe, expect, it } from 'vitest';
import { UNKNOWN_CONFIRM_AFTER_MS, UNKNOWN_TTL_MS, UnknownSubscriptionCache } from '../../../shared/notifications/UnknownSubscriptionCache';

describe('UnknownSubscriptionCache', () => {
  it('a first miss is only remembered; a second one confirmAfterMs later makes the id unknown for ttlMs', () => {
    const cache = new UnknownSubscriptionCache({ ttlMs: 1000, confirmAfterMs: 100 });
    cache.recordMiss('a', 0);
    expect(cache.isUnknown('a', 1)).toBe(false);
    cache.recordMiss('a', 99);
    expect(cache.isUnknown('a', 100)).toBe(false);
    cache.recordMiss('a', 100);
    expect(cache.isUnknown('a', 100)).toBe(true);
    expect(cache.isUnknown('a', 1099)).toBe(true);
    expect(cache.isUnknown('a', 1100)).toBe(false);
  });

  it('the TTL counts from when the confirming read started, not from when it ended', () => {
    const cache = new UnknownSubscriptionCache({ ttlMs: 1000, confirmAfterMs: 0 });
    cache.recordMiss('a', 0);
    cache.recordMiss('a', 500);
    expect(cache.isUnknown('a', 1499)).toBe(true);
    expect(cache.isUnknown('a', 1500)).toBe(false);
  });

  it('holds at most maxEntries ids, the oldest going first', () => {
    const cache = new UnknownSubscriptionCache({ maxEntries: 3, confirmAfterMs: 0 });
    for (const key of ['a', 'b', 'c', 'd']) {
      cache.recordMiss(key, 0);
      cache.recordMiss(key, 0);
    }
    expect(cache.size).toBe(3);
    expect(['a', 'b', 'c', 'd'].map((k) => cache.isUnknown(k, 1))).toEqual([false, true, true, true]);
  });

  it('forget removes an id at once (a subscription created in this process)', () => {
    const cache = new UnknownSubscriptionCache({ confirmAfterMs: 0 });
    cache.recordMiss('a', 0);
    cache.recordMiss('a', 0);
    cache.forget('a');
    expect(cache.isUnknown('a', 1)).toBe(false);
    expect(cache.size).toBe(0);
  });

  it('asks for a late catch-up only when a create took long enough for an id to be confirmed unknown', () => {
    const cache = new UnknownSubscriptionCache();
    expect(UNKNOWN_CONFIRM_AFTER_MS).toBe(10_000);
    expect(UNKNOWN_TTL_MS).toBe(60_000);
    expect(cache.unknownPossibleUntil(0, 300)).toBeUndefined();
    expect(cache.unknownPossibleUntil(0, 4_999)).toBeUndefined();
    expect(cache.unknownPossibleUntil(0, 5_000)).toBe(65_000);
  });

  it('the invariant: a record saved within confirmAfterMs of the first miss is never answered unknown', () => {
    // Every read before the save misses; the first read starts no earlier than the create.
    const confirmAfterMs = 100;
    for (let saveAt = 0; saveAt < confirmAfterMs; saveAt += 7) {
      const cache = new UnknownSubscriptionCache({ ttlMs: 1000, confirmAfterMs });
      for (let t = 0; t < saveAt; t += 3) cache.recordMiss('a', t);
      for (let t = saveAt; t < saveAt + 2000; t += 50) expect(cache.isUnknown('a', t)).toBe(false);
    }
  });
});
