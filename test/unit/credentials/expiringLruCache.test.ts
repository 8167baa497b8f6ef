import { describe, expect, it } from 'vitest';
import { ExpiringLruCache } from '../../../shared/credentials/portalPasswords/ExpiringLruCache';

describe('ExpiringLruCache', () => {
  it('drops the least recently used entry beyond its size', () => {
    const cache = new ExpiringLruCache<string, number>(2, 1000, () => 0);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    expect(cache.size).toBe(2);
  });

  it('expires entries ttl after they were set, however often they are read', () => {
    let now = 0;
    const cache = new ExpiringLruCache<string, number>(10, 1000, () => now);
    cache.set('a', 1);
    now = 999;
    expect(cache.get('a')).toBe(1);
    now = 1000;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});
