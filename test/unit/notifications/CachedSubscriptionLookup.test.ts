import { describe, expect, it } from 'vitest';
import { CachedSubscriptionLookup } from '../../../shared/notifications/CachedSubscriptionLookup';
import { type SubscriptionRecord, type SubscriptionStore } from '../../../shared/subscriptions/SubscriptionStore';
import { subscriptionRecord } from '../../support/subscriptionRecord';

function countingStore(records: SubscriptionRecord[]) {
  const byId = new Map(records.map((r) => [r.subscriptionId, r]));
  const reads: string[] = [];
  const store: SubscriptionStore = {
    get: async (id) => {
      reads.push(id);
      await new Promise((r) => setTimeout(r, 5));
      return byId.get(id) ?? null;
    },
    listForTenant: async () => [],
    save: async (r) => void byId.set(r.subscriptionId, r),
    remove: async (id) => void byId.delete(id),
  };
  return { store, reads };
}

describe('CachedSubscriptionLookup', () => {
  it('reads a found subscription once per TTL; concurrent lookups share one read', async () => {
    let now = 0;
    const { store, reads } = countingStore([subscriptionRecord({ subscriptionId: 's1' })]);
    const lookup = new CachedSubscriptionLookup(store, { ttlMs: 1000, now: () => now });
    const found = await Promise.all(Array.from({ length: 20 }, () => lookup.get('s1')));
    expect(found.every((r) => r?.subscriptionId === 's1')).toBe(true);
    await lookup.get('s1');
    expect(reads).toEqual(['s1']);
    now = 1001;
    await lookup.get('s1');
    expect(reads).toEqual(['s1', 's1']);
  });

  it('never caches a miss: a subscription saved a moment later is found at once', async () => {
    const { store, reads } = countingStore([]);
    const lookup = new CachedSubscriptionLookup(store);
    expect(await lookup.get('new')).toBeNull();
    await store.save(subscriptionRecord({ subscriptionId: 'new' }));
    expect((await lookup.get('new'))?.subscriptionId).toBe('new');
    expect(reads).toEqual(['new', 'new']);
  });

  it('keeps at most maxEntries records, evicting the oldest', async () => {
    const { store, reads } = countingStore(['a', 'b', 'c'].map((id) => subscriptionRecord({ subscriptionId: id })));
    const lookup = new CachedSubscriptionLookup(store, { maxEntries: 2 });
    for (const id of ['a', 'b', 'c', 'b', 'a']) await lookup.get(id);
    expect(reads).toEqual(['a', 'b', 'c', 'a']);
  });
});
