import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateUsers } from '../../../sandbox/graph';
import { type NotificationRig, startNotificationRig } from '../../../sandbox/notificationRig';
import { testStorageConnectionString, uniqueTablePrefix } from '../../support/storage';
import { adminCaller } from '../../support/adminCall';

/*
 * Disable / enable end to end: the notification rig (sandbox Graph with real subscriptions and endpoint
 * validation, sandbox PortSIP, the local HTTP host, Azurite).
 */

let rig: NotificationRig;
beforeAll(async () => {
  rig = await startNotificationRig({
    storageConnectionString: testStorageConnectionString(),
    tablePrefix: uniqueTablePrefix(),
    users: generateUsers(3, { seed: 21 }),
  });
}, 60_000);
afterAll(async () => {
  await rig?.stop();
});

describe('disable and enable a tenant over the sandboxes', () => {
  it('disable removes the Graph subscriptions and refuses "Sync now"; enable subscribes again', async () => {
    const admin = adminCaller(() => rig.services);
    expect(rig.graph.subscriptions().length).toBeGreaterThan(0);
    const off = await admin('disableTenant', { method: 'POST', params: { id: rig.tenantId } });
    expect(off.status).toBe(200);
    expect(off.body.subscriptionsRemoved).toBeGreaterThan(0);
    expect(rig.graph.subscriptions()).toEqual([]);
    expect(await rig.services.subscriptions.listForTenant(rig.tenantId)).toEqual([]);
    expect((await admin('syncTenant', { method: 'POST', params: { id: rig.tenantId } })).status).toBe(409);
    // Subscription upkeep keeps none for a disabled tenant.
    await rig.maintainSubscriptions();
    expect(rig.graph.subscriptions()).toEqual([]);

    const on = await admin('enableTenant', { method: 'POST', params: { id: rig.tenantId } });
    expect(on.status).toBe(200);
    await rig.maintainSubscriptions();
    expect(rig.graph.subscriptions().length).toBeGreaterThan(0);
    expect((await admin('syncTenant', { method: 'POST', params: { id: rig.tenantId }, query: 'feature=users' })).status).toBe(202);
    expect((await rig.services.audit.list(rig.tenantId, 5)).map((e) => e.action)).toEqual(['sync.now', 'tenant.enable', 'tenant.disable']);
  });
});
