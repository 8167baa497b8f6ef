import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { enqueueDueReconciles } from '../../../shared/app/enqueueDueReconciles';
import { type SyncRun } from '../../../shared/engine/RunStore';
import { TenantSubscriptions } from '../../../shared/subscriptions/TenantSubscriptions';
import { generateUsers } from '../../../sandbox/graph';
import { type NotificationRig, startNotificationRig } from '../../../sandbox/notificationRig';
import { testStorageConnectionString, uniqueTablePrefix } from '../../support/storage';
import { Logger } from '../../../shared/core/logging/Logger';

let rig: NotificationRig;
/** Moves the sandbox Graph's clock (subscription expiry) together with the connector's in the renewal test. */
let clockOffsetMs = 0;

beforeAll(async () => {
  rig = await startNotificationRig({
    storageConnectionString: testStorageConnectionString(),
    tablePrefix: uniqueTablePrefix(),
    users: generateUsers(60, { seed: 3 }),
    debounceMs: 150,
    graph: { now: () => Date.now() + clockOffsetMs },
  });
});
afterAll(async () => {
  await rig?.stop();
});
beforeEach(() => {
  rig.graph.notifications.clearFaults();
});

const linkedUsers = () => rig.graph.listUsers().filter((u) => pbxUserFor(u.id));
const pbxUserFor = (objectId: string) => rig.pbx.listUsers().find((p) => p.ms365_binding === objectId);
const pbxCountFor = (objectId: string) => rig.pbx.listUsers().filter((p) => p.ms365_binding === objectId).length;
const subscription = async () => (await rig.services.subscriptions.listForTenant(rig.tenantId))[0]!;
/** Waits until Graph's deliveries are done and every job they queued has run. */
async function settle(): Promise<void> {
  await rig.graph.notifications.flush();
  await rig.services.queue.idle({ withinMs: 1000 });
}
/** Runs recorded after there were `before` of them (the list is newest first). */
async function runsSince(before: number): Promise<SyncRun[]> {
  const all = await rig.services.runs.list(rig.tenantId, 100);
  return all.slice(0, all.length - before);
}

describe('change notifications end to end (sandbox Graph → webhook → queue → sync → sandbox PBX, over HTTP and Azurite)', () => {
  it('subscribed once, over the validated handshake, with its clientState kept as a secret', async () => {
    const [atGraph] = rig.graph.subscriptions();
    const ours = await subscription();
    expect(rig.graph.subscriptions()).toHaveLength(1);
    expect(atGraph!.id).toBe(ours.subscriptionId);
    expect(atGraph!.notificationUrl).toBe(`http://127.0.0.1:${rig.host.port}/api/graph/notifications`);
    expect(atGraph!.lifecycleNotificationUrl).toBe(`http://127.0.0.1:${rig.host.port}/api/graph/lifecycle`);
    expect(await rig.services.secrets.getSecret(ours.clientStateSecretName)).toBe(atGraph!.clientState);
    expect(rig.graph.stats.notifications.handshakesOk).toBe(2);
  });

  it('a user changed in Entra reaches the PBX with no manual trigger', async () => {
    const target = linkedUsers()[0]!;
    rig.graph.updateUser(target.id, { department: 'Notified Dept' });
    await vi.waitFor(() => expect(pbxUserFor(target.id)?.department).toBe('Notified Dept'), { timeout: 10_000, interval: 25 });
    const [latest] = await rig.services.runs.list(rig.tenantId, 1);
    expect(latest).toMatchObject({ trigger: 'notification', mode: 'delta' });
  });

  it('creation, disable and hard delete arrive too', async () => {
    rig.graph.addUser({
      id: '00000000-0000-4000-8000-0000000a0001',
      givenName: 'New',
      surname: 'Hire',
      userPrincipalName: 'new.hire@contoso.com',
      mail: 'new.hire@contoso.com',
      businessPhones: [],
      accountEnabled: true,
      userType: 'Member',
    });
    await vi.waitFor(() => expect(pbxUserFor('00000000-0000-4000-8000-0000000a0001')?.display_name).toBe('New Hire'), {
      timeout: 10_000,
      interval: 25,
    });
    rig.graph.updateUser('00000000-0000-4000-8000-0000000a0001', { accountEnabled: false });
    await vi.waitFor(() => expect(pbxUserFor('00000000-0000-4000-8000-0000000a0001')?.enabled).toBe(false), {
      timeout: 10_000,
      interval: 25,
    });
    rig.graph.hardDeleteUser('00000000-0000-4000-8000-0000000a0001');
    await vi.waitFor(() => expect(pbxUserFor('00000000-0000-4000-8000-0000000a0001')).toBeUndefined(), { timeout: 10_000, interval: 25 });
  });

  it('a dropped notification: the change still arrives through lifecycle `missed`', async () => {
    const target = linkedUsers()[1]!;
    rig.graph.notifications.dropNext(1);
    rig.graph.updateUser(target.id, { department: 'Dropped Once' });
    await settle();
    expect(pbxUserFor(target.id)?.department).not.toBe('Dropped Once');
    await rig.graph.notifications.sendLifecycleEvent((await subscription()).subscriptionId, 'missed', { tenantField: 'organizationId' });
    await vi.waitFor(() => expect(pbxUserFor(target.id)?.department).toBe('Dropped Once'), { timeout: 10_000, interval: 25 });
  });

  it('a dropped notification: the change still arrives through the scheduled reconcile', async () => {
    const target = linkedUsers()[2]!;
    rig.graph.notifications.dropNext(1);
    rig.graph.updateUser(target.id, { department: 'Nightly Only' });
    await settle();
    expect(pbxUserFor(target.id)?.department).not.toBe('Nightly Only');
    await rig.services.scheduleState.setLastFire(rig.tenantId, '2000-01-01T00:30:00.000Z');
    const queued = await enqueueDueReconciles(rig.services, new Date(), Logger.silent());
    expect(queued).toEqual([rig.tenantId]);
    await rig.services.queue.idle({ withinMs: 0 });
    expect(pbxUserFor(target.id)?.department).toBe('Nightly Only');
  });

  it('duplicated and reordered notifications: one correct final state, no duplicate extension', async () => {
    const [a, b] = linkedUsers().slice(3, 5);
    rig.graph.notifications.duplicateNext(2);
    rig.graph.updateUser(a!.id, { department: 'First' });
    rig.graph.updateUser(a!.id, { department: 'Second' });
    rig.graph.notifications.reorderNext(3);
    rig.graph.updateUser(b!.id, { department: 'One' });
    rig.graph.updateUser(b!.id, { department: 'Two' });
    rig.graph.updateUser(b!.id, { department: 'Three' });
    await settle();
    await vi.waitFor(() => expect([pbxUserFor(a!.id)?.department, pbxUserFor(b!.id)?.department]).toEqual(['Second', 'Three']), {
      timeout: 10_000,
      interval: 25,
    });
    expect(rig.graph.stats.notifications.duplicated).toBeGreaterThanOrEqual(2);
    expect(rig.graph.stats.notifications.reordered).toBeGreaterThanOrEqual(3);
    expect([pbxCountFor(a!.id), pbxCountFor(b!.id)]).toEqual([1, 1]);
  });

  it('forged clientState or unknown subscription: dropped, nothing enqueued, nothing synced', async () => {
    await settle();
    const target = linkedUsers()[5]!;
    const enqueued = rig.services.queue.stats().enqueued;
    const dropped = { ...rig.services.webhook.stats.dropped };
    rig.graph.notifications.forgeNext(1);
    rig.graph.updateUser(target.id, { department: 'Forged' });
    await rig.graph.notifications.flush();
    const ours = await subscription();
    await rig.graph.notifications.send(ours.notificationUrl, [
      {
        subscriptionId: '11111111-2222-4333-8444-555555555555',
        changeType: 'updated',
        resource: `Users/${target.id}`,
        resourceData: { id: target.id },
        clientState: 'guess',
        tenantId: rig.graph.tenantId,
      },
      {
        subscriptionId: ours.subscriptionId,
        changeType: 'updated',
        resource: `Users/${target.id}`,
        resourceData: { id: target.id },
        clientState: 'guess',
        tenantId: rig.graph.tenantId,
      },
    ]);
    await settle();
    expect(rig.services.queue.stats().enqueued).toBe(enqueued);
    expect(rig.services.webhook.stats.dropped.clientStateMismatch - dropped.clientStateMismatch).toBe(2);
    expect(rig.services.webhook.stats.dropped.unknownSubscription - dropped.unknownSubscription).toBe(1);
    expect(pbxUserFor(target.id)?.department).not.toBe('Forged');
  });

  it('100 notifications in a burst become a handful of delta jobs, and every change lands', async () => {
    await settle();
    const users = linkedUsers().slice(0, 50);
    const before = (await rig.services.runs.list(rig.tenantId, 100)).length;
    const enqueued = rig.services.queue.stats().enqueued;
    for (const [i, u] of users.entries()) {
      rig.graph.updateUser(u.id, { department: `Burst ${i}` });
      rig.graph.updateUser(u.id, { jobTitle: `Burst ${i}` });
    }
    await settle();
    await rig.services.queue.idle();
    expect(rig.graph.stats.notifications.itemsDelivered).toBeGreaterThanOrEqual(100);
    const jobs = rig.services.queue.stats().enqueued - enqueued;
    expect(jobs).toBeGreaterThanOrEqual(1);
    // One job at once, and at most one pending behind each running one: a handful, not one per notification.
    expect(jobs).toBeLessThanOrEqual(5);
    expect(users.map((u) => pbxUserFor(u.id)?.department)).toEqual(users.map((_, i) => `Burst ${i}`));
    const runs = await runsSince(before);
    expect(runs.every((r) => r.trigger === 'notification' && r.status === 'succeeded')).toBe(true);
  });

  it('subscriptionRemoved: the subscription is recreated, a catch-up runs, and later changes arrive again', async () => {
    await settle();
    const old = await subscription();
    const target = linkedUsers()[6]!;
    // A change made while Graph is dropping the subscription, never notified:
    rig.graph.notifications.dropNext(1);
    rig.graph.updateUser(target.id, { department: 'During Removal' });
    await rig.graph.notifications.removeSubscription(old.subscriptionId);
    await settle();
    const fresh = await subscription();
    expect(fresh.subscriptionId).not.toBe(old.subscriptionId);
    expect(rig.graph.subscriptions().map((s) => s.id)).toEqual([fresh.subscriptionId]);
    expect(await rig.services.subscriptions.get(old.subscriptionId)).toBeNull();
    expect(pbxUserFor(target.id)?.department).toBe('During Removal');
    rig.graph.updateUser(target.id, { department: 'After Recreate' });
    await vi.waitFor(() => expect(pbxUserFor(target.id)?.department).toBe('After Recreate'), { timeout: 10_000, interval: 25 });
  });

  it('reauthorizationRequired renews the subscription (expiry pushed out at Graph and in our table)', async () => {
    await settle();
    const before = await subscription();
    const shortened = new Date(Date.now() + 3 * 24 * 3600_000).toISOString();
    await rig.services.subscriptions.save({ ...before, expiresAt: shortened });
    await rig.graph.notifications.sendLifecycleEvent(before.subscriptionId, 'reauthorizationRequired');
    await settle();
    const after = await subscription();
    expect(after.subscriptionId).toBe(before.subscriptionId);
    expect(after.renewedAt).toBeDefined();
    expect(Date.parse(after.expiresAt)).toBeGreaterThan(Date.parse(shortened));
    expect(new Date(rig.graph.subscriptions()[0]!.expiresAt).toISOString()).toBe(after.expiresAt);
  });

  it('renews before expiry: at half-life the maintenance renews at Graph; an expired one is replaced', async () => {
    await settle();
    const tenant = (await rig.services.tenants.get(rig.tenantId))!;
    const connectors = await rig.services.connectorsFor(tenant);
    const current = await subscription();
    // Both clocks jump to where less than half of the 41,700-minute lifetime is left.
    clockOffsetMs = Date.parse(current.expiresAt) - 20_000 * 60_000 - Date.now();
    const later = () => new Date(Date.now() + clockOffsetMs);
    const changes = await new TenantSubscriptions(rig.services, tenant, connectors.subscriptions, Logger.silent(), later).maintain();
    clockOffsetMs = 0;
    expect(changes.renewed).toEqual([current.subscriptionId]);
    const renewed = await subscription();
    expect(Date.parse(renewed.expiresAt)).toBeGreaterThan(Date.parse(current.expiresAt));
    expect(new Date(rig.graph.subscriptions()[0]!.expiresAt).toISOString()).toBe(renewed.expiresAt);

    rig.graph.notifications.expireSubscription(renewed.subscriptionId);
    await rig.services.subscriptions.save({ ...renewed, expiresAt: new Date(Date.now() - 1000).toISOString() });
    await rig.maintainSubscriptions();
    const replaced = await subscription();
    expect(replaced.subscriptionId).not.toBe(renewed.subscriptionId);
    const target = linkedUsers()[7]!;
    rig.graph.updateUser(target.id, { department: 'After Expiry' });
    await vi.waitFor(() => expect(pbxUserFor(target.id)?.department).toBe('After Expiry'), { timeout: 10_000, interval: 25 });
  });
});
