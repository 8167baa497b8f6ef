import { describe, expect, it } from 'vitest';
import { MAX_READS_IN_FLIGHT, READ_BURST, READS_PER_SECOND, ReadBudget } from '../../../shared/notifications/ReadBudget';

describe('ReadBudget', () => {
  it('grants its burst at once, then refills at perSecond', () => {
    let now = 0;
    const budget = new ReadBudget({ perSecond: 10, burst: 3, maxInFlight: 100, now: () => now });
    const grants = Array.from({ length: 5 }, () => budget.tryAcquire());
    expect(grants.filter(Boolean)).toHaveLength(3);
    now = 100; // one token
    expect(budget.tryAcquire()).toBeDefined();
    expect(budget.tryAcquire()).toBeUndefined();
    now = 10_000; // never more than the burst
    expect(Array.from({ length: 5 }, () => budget.tryAcquire()).filter(Boolean)).toHaveLength(3);
  });

  it('grants at most maxInFlight at once; a release (once, however often called) frees a slot', () => {
    const budget = new ReadBudget({ perSecond: 1000, burst: 1000, maxInFlight: 2 });
    const a = budget.tryAcquire()!;
    const b = budget.tryAcquire()!;
    expect(budget.tryAcquire()).toBeUndefined();
    a();
    a();
    expect(budget.inFlight).toBe(1);
    expect(budget.tryAcquire()).toBeDefined();
    expect(budget.tryAcquire()).toBeUndefined();
    b();
    expect(budget.inFlight).toBe(1);
  });

  it('defaults: 50 reads/s, a burst of 100, 16 in flight', () => {
    expect([READS_PER_SECOND, READ_BURST, MAX_READS_IN_FLIGHT]).toEqual([50, 100, 16]);
  });
});
