import { describe, expect, it } from 'vitest';
import { CachedSubscriptionLookup, type LookupOutcome } from '../../../shared/notifications/CachedSubscriptionLookup';
import { ReadBudget } from '../../../shared/notifications/ReadBudget';
import { UnknownSubscriptionCache } from '../../../shared/notifications/UnknownSubscriptionCache';
import { type SubscriptionRecord, type SubscriptionStore } from '../../../shared/subscriptions/SubscriptionStore';
import { subscriptionRecord } from '../../support/subscriptionRecord';

const id = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

function countingStore(records: SubscriptionRecord[], options: { delayMs?: number } = {}) {
  const byId = new Map(records.map((r) => [r.subscriptionId, r]));
  const reads: string[] = [];
  let failing: Error | undefined;
  let hanging = false;
  const store: SubscriptionStore = {
    get: async (key) => {
      reads.push(key);
      if (hanging) return new Promise<never>(() => undefined);
      await new Promise((r) => setTimeout(r, options.delayMs ?? 2));
      if (failing) throw failing;
      return byId.get(key) ?? null;
    },
    listForTenant: async () => [],
    save: async (r) => void byId.set(r.subscriptionId, r),
    remove: async (key) => void byId.delete(key),
  };
  return {
    store,
    reads,
    fail: (err: Error | undefined) => (failing = err),
    hang: () => (hanging = true),
  };
}

const kinds = (outcomes: Map<string, LookupOutcome>) => Object.fromEntries([...outcomes].map(([k, v]) => [k, v.kind]));
const one = async (lookup: CachedSubscriptionLookup, key: string) => (await lookup.lookupMany([key])).get(key)!;

describe('CachedSubscriptionLookup: positive cache', () => {
  it('reads a found subscription once per TTL; concurrent lookups share one read', async () => {
    let now = 0;
    const { store, reads } = countingStore([subscriptionRecord({ subscriptionId: id(1) })]);
    const lookup = new CachedSubscriptionLookup(store, { ttlMs: 1000, now: () => now });
    const found = await Promise.all(Array.from({ length: 20 }, () => one(lookup, id(1))));
    expect(found.every((o) => o.kind === 'found' && o.record.subscriptionId === id(1))).toBe(true);
    expect(lookup.cached(id(1))).toMatchObject({ kind: 'found' });
    expect(reads).toEqual([id(1)]);
    now = 1001;
    expect(lookup.cached(id(1))).toBe('refresh');
    await one(lookup, id(1));
    expect(reads).toEqual([id(1), id(1)]);
  });

  it('keeps at most maxEntries records, evicting the oldest', async () => {
    const { store, reads } = countingStore([1, 2, 3].map((n) => subscriptionRecord({ subscriptionId: id(n) })));
    const lookup = new CachedSubscriptionLookup(store, { maxEntries: 2 });
    for (const n of [1, 2, 3, 2, 1]) await one(lookup, id(n));
    expect(reads).toEqual([id(1), id(2), id(3), id(1)]);
  });

  it('a known subscription whose entry expired is read again outside every cap, and kept when that read fails', async () => {
    let now = 0;
    const { store, reads, fail } = countingStore([subscriptionRecord({ subscriptionId: id(1) })]);
    const budget = new ReadBudget({ perSecond: 0.0001, burst: 1, now: () => now });
    const lookup = new CachedSubscriptionLookup(store, { ttlMs: 1000, budget, maxReadsPerRequest: 1, now: () => now });
    expect((await one(lookup, id(1))).kind).toBe('found');
    expect(budget.tryAcquire()).toBeUndefined(); // the budget is spent
    now = 5000;
    fail(new Error('table down'));
    const again = await lookup.lookupMany([id(2), id(1)]);
    expect(kinds(again)).toEqual({ [id(2)]: 'overloaded', [id(1)]: 'found' });
    expect(reads).toEqual([id(1), id(1)]);
  });
});

describe('CachedSubscriptionLookup: caps', () => {
  it('reads at most maxReadsPerRequest distinct unknown ids per call; the rest are readLimit', async () => {
    const { store, reads } = countingStore([]);
    const lookup = new CachedSubscriptionLookup(store, { maxReadsPerRequest: 3 });
    const ids = Array.from({ length: 10 }, (_, n) => id(n));
    const outcomes = await lookup.lookupMany([...ids, ...ids]);
    expect(reads).toHaveLength(3);
    expect([...outcomes.values()].filter((o) => o.kind === 'unknown')).toHaveLength(3);
    expect([...outcomes.values()].filter((o) => o.kind === 'readLimit')).toHaveLength(7);
  });

  it('cached records do not count against the per-request cap', async () => {
    const { store } = countingStore([subscriptionRecord({ subscriptionId: id(1) })]);
    const lookup = new CachedSubscriptionLookup(store, { maxReadsPerRequest: 1 });
    await one(lookup, id(1));
    expect(kinds(await lookup.lookupMany([id(1), id(2), id(3)]))).toEqual({
      [id(1)]: 'found',
      [id(2)]: 'unknown',
      [id(3)]: 'readLimit',
    });
  });

  it('the process-wide budget refuses at once, without waiting, when its tokens are spent', async () => {
    let now = 0;
    const { store, reads } = countingStore([]);
    const budget = new ReadBudget({ perSecond: 10, burst: 5, now: () => now });
    const lookup = new CachedSubscriptionLookup(store, { budget, maxReadsPerRequest: 100, now: () => now });
    const started = Date.now();
    const outcomes = await lookup.lookupMany(Array.from({ length: 20 }, (_, n) => id(n)));
    expect(Date.now() - started).toBeLessThan(500);
    expect(reads).toHaveLength(5);
    expect([...outcomes.values()].filter((o) => o.kind === 'overloaded')).toHaveLength(15);
    now = 1000; // refilled, but never beyond the burst
    await lookup.lookupMany(Array.from({ length: 20 }, (_, n) => id(100 + n)));
    expect(reads).toHaveLength(10);
  });

  it('a read that fails or times out is `failed`, fast, and its budget slot is held until it ends (at most 10 timeouts)', async () => {
    const { store, fail, hang } = countingStore([]);
    const budget = new ReadBudget({ maxInFlight: 2 });
    const lookup = new CachedSubscriptionLookup(store, { budget, readTimeoutMs: 50 });
    fail(new Error('503 from the table'));
    expect((await one(lookup, id(1))).kind).toBe('failed');
    expect(budget.inFlight).toBe(0);
    hang();
    const started = Date.now();
    expect(kinds(await lookup.lookupMany([id(2), id(3), id(4)]))).toEqual({ [id(2)]: 'failed', [id(3)]: 'failed', [id(4)]: 'overloaded' });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(budget.inFlight).toBe(2); // the hanging reads still hold their slots…
    expect(lookup.size.readsInFlight).toBe(0);
    await new Promise((r) => setTimeout(r, 600));
    expect(budget.inFlight).toBe(0); // …but not for ever (10 timeouts)
  });

  it('concurrent lookups of one unknown id share one read and one budget token', async () => {
    const { store, reads } = countingStore([], { delayMs: 20 });
    const budget = new ReadBudget({ burst: 1, perSecond: 0.001 });
    const lookup = new CachedSubscriptionLookup(store, { budget });
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => one(lookup, id(7))));
    expect(outcomes.every((o) => o.kind === 'unknown')).toBe(true);
    expect(reads).toEqual([id(7)]);
  });
});

describe('CachedSubscriptionLookup: negative cache', () => {
  it('answers an id from memory once two reads, confirmAfterMs apart, found nothing; reads again after the TTL', async () => {
    let now = 0;
    const { store, reads } = countingStore([]);
    const unknown = new UnknownSubscriptionCache({ ttlMs: 60_000, confirmAfterMs: 10_000 });
    const lookup = new CachedSubscriptionLookup(store, { unknown, now: () => now });
    await one(lookup, id(1));
    now = 5_000;
    await one(lookup, id(1)); // too soon to confirm: still read
    expect(reads).toHaveLength(2);
    now = 10_000;
    await one(lookup, id(1)); // confirms
    now = 20_000;
    expect(lookup.cached(id(1))).toEqual({ kind: 'unknown' });
    expect((await one(lookup, id(1))).kind).toBe('unknown');
    expect(reads).toHaveLength(3);
    now = 70_001;
    expect(lookup.cached(id(1))).toBe('read');
    await one(lookup, id(1));
    expect(reads).toHaveLength(4);
  });

  it('a subscription saved in this process is found at once, even if its id was cached as unknown', async () => {
    const now = 0;
    const { store } = countingStore([]);
    const unknown = new UnknownSubscriptionCache({ confirmAfterMs: 0 });
    const lookup = new CachedSubscriptionLookup(store, { unknown, now: () => now });
    await one(lookup, id(1));
    await one(lookup, id(1));
    expect(lookup.cached(id(1))).toEqual({ kind: 'unknown' });
    const created = subscriptionRecord({ subscriptionId: id(1) });
    await store.save(created);
    // With confirmAfterMs 0 any create may have raced an instance's confirmation: a late catch-up is asked for.
    expect(lookup.subscriptionSaved(created, new Date(now), new Date(now))).toEqual(new Date(60_000));
    expect(lookup.cached(id(1))).toEqual({ kind: 'found', record: created }); // cached: no read needed, even under a flood
  });

  it('a subscription saved before anyone confirmed it unknown is found on its next notification', async () => {
    let now = 0;
    const { store } = countingStore([]);
    const lookup = new CachedSubscriptionLookup(store, { now: () => now });
    expect((await one(lookup, id(9))).kind).toBe('unknown'); // the notification raced the create's save
    await store.save(subscriptionRecord({ subscriptionId: id(9) }));
    now = 9_000;
    expect((await one(lookup, id(9))).kind).toBe('found');
  });

  it('stays bounded under a flood of random ids', async () => {
    const { store } = countingStore([], { delayMs: 0 });
    const lookup = new CachedSubscriptionLookup(store, {
      unknown: new UnknownSubscriptionCache({ maxEntries: 100 }),
      budget: new ReadBudget({ burst: 1e9, perSecond: 1e9, maxInFlight: 1e9 }),
      maxReadsPerRequest: 1000,
    });
    for (let round = 0; round < 5; round += 1) await lookup.lookupMany(Array.from({ length: 1000 }, (_, n) => id(round * 1000 + n)));
    expect(lookup.size).toEqual({ records: 0, unknown: 100, readsInFlight: 0 });
  });
});
