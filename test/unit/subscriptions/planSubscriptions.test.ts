import { describe, expect, it } from 'vitest';
import { type SubscriptionRecord } from '../../../shared/subscriptions/SubscriptionStore';
import { planSubscriptions } from '../../../shared/subscriptions/planSubscriptions';
import { type WantedSubscription } from '../../../shared/subscriptions/wantedSubscriptions';
import { subscriptionRecord } from '../../support/subscriptionRecord';

const now = new Date('2026-11-23T12:00:00.000Z');
const minutes = (n: number) => new Date(now.getTime() + n * 60_000).toISOString();
const wanted: WantedSubscription = {
  resource: 'users',
  graphResource: 'users',
  changeType: 'updated,deleted',
  notificationUrl: 'https://fn.example/api/graph/notifications',
  lifecycleNotificationUrl: 'https://fn.example/api/graph/lifecycle',
  lifetimeMinutes: 40_000,
};
const record = (id: string, expiresInMinutes: number, overrides: Partial<SubscriptionRecord> = {}): SubscriptionRecord =>
  subscriptionRecord({
    subscriptionId: id,
    notificationUrl: wanted.notificationUrl,
    lifecycleNotificationUrl: wanted.lifecycleNotificationUrl,
    expiresAt: minutes(expiresInMinutes),
    createdAt: now.toISOString(),
    ...overrides,
  });
const ids = (records: SubscriptionRecord[]) => records.map((r) => r.subscriptionId).sort();

describe('planSubscriptions', () => {
  it('creates what is wanted and missing', () => {
    expect(planSubscriptions([wanted], [], now)).toEqual({ create: [wanted], renew: [], remove: [] });
  });

  it('leaves a subscription with more than half its lifetime left alone', () => {
    expect(planSubscriptions([wanted], [record('a', 20_001)], now)).toEqual({ create: [], renew: [], remove: [] });
  });

  it('renews once less than half the lifetime is left', () => {
    const plan = planSubscriptions([wanted], [record('a', 19_999)], now);
    expect(plan.renew.map((r) => r.record.subscriptionId)).toEqual(['a']);
    expect(plan.create).toEqual([]);
  });

  it('treats an expired (or about to expire) record as gone: removes it and creates a new one', () => {
    const plan = planSubscriptions([wanted], [record('old', 2)], now);
    expect(ids(plan.remove)).toEqual(['old']);
    expect(plan.create).toEqual([wanted]);
  });

  it('keeps the latest of duplicates and removes the others', () => {
    const plan = planSubscriptions([wanted], [record('a', 30_000), record('b', 35_000), record('c', 25_000)], now);
    expect(ids(plan.remove)).toEqual(['a', 'c']);
    expect(plan.create).toEqual([]);
    expect(plan.renew).toEqual([]);
  });

  it('removes and recreates when the endpoint changed (a lifecycle URL cannot be patched)', () => {
    const plan = planSubscriptions(
      [wanted],
      [record('a', 30_000, { lifecycleNotificationUrl: 'https://old.example/api/graph/lifecycle' })],
      now,
    );
    expect(ids(plan.remove)).toEqual(['a']);
    expect(plan.create).toEqual([wanted]);
  });

  it('removes everything when nothing is wanted (tenant disabled)', () => {
    expect(ids(planSubscriptions([], [record('a', 30_000), record('b', 1)], now).remove)).toEqual(['a', 'b']);
  });
});
