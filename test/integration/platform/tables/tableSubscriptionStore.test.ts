import { describe, expect, it } from 'vitest';
import { subscriptionRecord } from '../../../support/subscriptionRecord';
import { freshStores, rejection } from './storeTestTables';

const record = (subscriptionId: string, tenantId: string, createdAt = '2026-11-20T00:00:00.000Z') =>
  subscriptionRecord({ subscriptionId, tenantId, createdAt });

describe('TableSubscriptionStore', () => {
  it('saves, reads by id, lists per tenant (oldest first), replaces and removes', async () => {
    const { subscriptions } = await freshStores();
    await subscriptions.save(record('s2', 'acme', '2026-11-21T00:00:00.000Z'));
    await subscriptions.save(record('s1', 'acme'));
    await subscriptions.save(record('s3', 'beta'));
    expect(await subscriptions.get('s1')).toEqual(record('s1', 'acme'));
    expect(await subscriptions.get('nope')).toBeNull();
    expect((await subscriptions.listForTenant('acme')).map((r) => r.subscriptionId)).toEqual(['s1', 's2']);
    const renewed = { ...record('s1', 'acme'), expiresAt: '2026-12-30T00:00:00.000Z', renewedAt: '2026-11-25T00:00:00.000Z' };
    await subscriptions.save(renewed);
    expect(await subscriptions.get('s1')).toEqual(renewed);
    await subscriptions.remove('s1');
    await subscriptions.remove('s1');
    expect(await subscriptions.get('s1')).toBeNull();
    expect((await subscriptions.listForTenant('acme')).map((r) => r.subscriptionId)).toEqual(['s2']);
    expect(await subscriptions.listForTenant('nobody')).toEqual([]);
  });

  it('reports an unreadable row as INTERNAL', async () => {
    const { subscriptions, rawTable } = await freshStores();
    await rawTable('subscriptions').createEntity({ partitionKey: 'bad', rowKey: '', tenantId: 'acme', clientStateHash: 'not hex' });
    await rejection(subscriptions.get('bad'), 'INTERNAL');
  });
});
