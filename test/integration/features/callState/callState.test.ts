import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CallStateOptionsSchema } from '../../../../shared/features/callState/callStateOptions';
import { PresenceOptionsSchema } from '../../../../shared/features/presence/presenceOptions';
import { ensurePolling } from '../../../../shared/app/pollingChain';
import { tenantSecretNames } from '../../../../shared/platform/secrets/tenantSecretNames';
import { generateUsers } from '../../../../sandbox/graph';
import { type NotificationRig, startNotificationRig } from '../../../../sandbox/notificationRig';
import { testStorageConnectionString, uniqueTablePrefix } from '../../../support/storage';
import { adminCaller } from '../../../support/adminCall';

let rig: NotificationRig;

beforeAll(async () => {
  rig = await startNotificationRig({
    storageConnectionString: testStorageConnectionString(),
    tablePrefix: uniqueTablePrefix(),
    users: generateUsers(5, { seed: 15 }),
    configure: (config) => ({
      ...config,
      callState: CallStateOptionsSchema.parse({ enabled: true }),
      // On, but its polling chain starts only in the loop test.
      presence: PresenceOptionsSchema.parse({ enabled: true, pollSeconds: 10 }),
    }),
  });
}, 60_000);
afterAll(async () => {
  await rig?.stop();
});

const synced = () => rig.graph.listUsers().filter((u) => pbxUserFor(u.id));
const pbxUserFor = (objectId: string) => rig.pbx.listUsers().find((p) => p.ms365_binding === objectId);
const pbxIdOf = (objectId: string) => String(pbxUserFor(objectId)!.id);
const sessionsOf = (objectId: string) => rig.graph.appPresenceSessions(objectId).sessions;
const eventsUrl = () => `http://127.0.0.1:${rig.host.port}/api/pbx/${rig.tenantId}/events`;
/** The PBX's deliveries are done and every job they queued has run (timers for minutes ahead are not waited for). */
async function settle(): Promise<void> {
  await rig.pbx.extensionEventsSettled();
  await rig.services.queue.idle({ withinMs: 2_000 });
}
const post = (body: unknown, authorization?: string) =>
  fetch(eventsUrl(), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('PBX calls → Teams presence over the sandboxes (PortSIP events → webhook → queue → Graph setPresence)', () => {
  it('registers itself as the PBX’s extension event target, with a key of its own', async () => {
    const shown = (await rig.services.connectorsFor((await rig.services.tenants.get(rig.tenantId))!)).pbxEventTarget!;
    expect(await shown.read()).toEqual({ enabled: true, auth: 'BEARER', url: eventsUrl() });
    const keys = await rig.services.pbxKeys.listForTenant(rig.tenantId);
    expect(keys.map((k) => k.purpose)).toEqual(['events']);
    const status = await adminCaller(() => rig.services)('getCallStateStatus', { method: 'GET', params: { id: rig.tenantId } });
    expect(status.body).toMatchObject({ enabled: true, eventUrl: { state: 'registered', url: eventsUrl() }, inACall: { count: 0 } });
  });

  it('a PBX call shows the user in a call in Teams, and its end clears it', async () => {
    const user = synced()[0]!;
    rig.pbx.setCallInProgress(pbxIdOf(user.id), true);
    await settle();
    expect(sessionsOf(user.id)).toEqual([
      expect.objectContaining({ sessionId: rig.graph.sandboxTokenAppId, availability: 'Busy', activity: 'InACall' }),
    ]);
    expect(rig.graph.appPresenceSessions(user.id)).toMatchObject({ availability: 'Busy', activity: 'InACall' });
    rig.pbx.setCallInProgress(pbxIdOf(user.id), false);
    await settle();
    expect(sessionsOf(user.id)).toEqual([]);
    const record = await rig.services.presenceStates.get(rig.tenantId, user.id);
    expect(record?.call).toMatchObject({ active: false });
  });

  it('a duplicated event writes Teams once', async () => {
    const user = synced()[1]!;
    const before = rig.graph.presenceWriteStats();
    rig.pbx.setExtensionEventFaults({ duplicate: 2 });
    rig.pbx.setCallInProgress(pbxIdOf(user.id), true);
    rig.pbx.setCallInProgress(pbxIdOf(user.id), false);
    await settle();
    expect(rig.pbx.extensionEventLog().filter((d) => d.body && JSON.stringify(d.body).includes(pbxIdOf(user.id)))).toHaveLength(4);
    const after = rig.graph.presenceWriteStats();
    expect(after.setPresence - before.setPresence).toBe(1);
    expect(after.clearPresence - before.clearPresence).toBe(1);
    expect(sessionsOf(user.id)).toEqual([]);
  });

  it('an end that overtakes its start leaves nobody busy', async () => {
    const user = synced()[2]!;
    const before = rig.graph.presenceWriteStats();
    // The start is held back and sent after the end. PortSIP's times are whole seconds: wait into the next one so
    // the end is later than the start by the PBX's clock too.
    rig.pbx.setExtensionEventFaults({ reorder: 1 });
    rig.pbx.setCallInProgress(pbxIdOf(user.id), true);
    await new Promise((r) => setTimeout(r, 1_100));
    rig.pbx.setCallInProgress(pbxIdOf(user.id), false);
    await settle();
    const order = rig.pbx
      .extensionEventLog()
      .filter((d) => JSON.stringify(d.body).includes(pbxIdOf(user.id)))
      .sort((a, b) => (a.sentAt ?? 0) - (b.sentAt ?? 0))
      .map((d) => (d.body as { call_status: string }).call_status);
    expect(order).toEqual(['', 'ON_CALL']);
    expect(sessionsOf(user.id)).toEqual([]);
    expect(rig.graph.presenceWriteStats().setPresence - before.setPresence).toBe(0);
  });

  it('a call ended and the next begun within the same second shows the second call (the PBX settles the tie)', async () => {
    const user = synced()[2]!;
    const pbxId = pbxIdOf(user.id);
    rig.pbx.setCallInProgress(pbxId, true);
    await settle();
    // Wait for the start of a PBX second, so the end and the new start share it.
    await new Promise((r) => setTimeout(r, 1_000 - (Date.now() % 1_000) + 20));
    rig.pbx.setCallInProgress(pbxId, false);
    rig.pbx.setCallInProgress(pbxId, true);
    await settle();
    expect(sessionsOf(user.id)).toHaveLength(1);
    rig.pbx.setCallInProgress(pbxId, false);
    await settle();
    expect(sessionsOf(user.id)).toEqual([]);
  });

  it('a lost end is healed by "Sync now" (the PBX shows no call), and would expire on its own', async () => {
    const user = synced()[3]!;
    rig.pbx.setCallInProgress(pbxIdOf(user.id), true);
    await settle();
    const [session] = sessionsOf(user.id);
    // Graph ends the session by itself after sessionMinutes unless the connector sets it again.
    expect(session!.expiresAt - session!.setAt).toBe(5 * 60_000);
    rig.pbx.setExtensionEventFaults({ drop: 1 });
    rig.pbx.setCallInProgress(pbxIdOf(user.id), false);
    await settle();
    expect(sessionsOf(user.id)).toHaveLength(1);
    const run = await rig.syncNow('full', 'callState');
    expect(run.status).toBe('succeeded');
    expect(sessionsOf(user.id)).toEqual([]);
  });

  it('refuses forged or unauthenticated events and sends nothing to Graph; answers 400 for what it cannot read', async () => {
    const user = synced()[0]!;
    const before = rig.graph.presenceWriteStats();
    const event = {
      event_type: 'extension_call',
      extension_id: pbxIdOf(user.id),
      call_status: 'ON_CALL',
      time: String(Math.floor(Date.now() / 1000)),
    };
    expect((await post(event)).status).toBe(401);
    expect((await post(event, 'Bearer pbxk_' + 'A'.repeat(43))).status).toBe(401);
    expect((await post(event, 'Basic dXNlcjpwYXNz')).status).toBe(401);
    const key = await rig.services.secrets.getSecret(tenantSecretNames(rig.tenantId).pbxEventKey);
    const bad = await post({ event_type: 'extension_call', call_status: 'SOMETHING_NEW', extension: '101' }, `Bearer ${key}`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/call_status/);
    expect((await post('{not json', `Bearer ${key}`)).status).toBe(400);
    const other = await post({ event_type: 'extension_presence', extension: '101', presence: 'AWAY' }, `Bearer ${key}`);
    expect(other.status).toBe(200);
    expect(await other.json()).toMatchObject({ accepted: 0, ignored: 1, queued: 0 });
    // The connector's event key opens the events route only.
    const sync = await fetch(`http://127.0.0.1:${rig.host.port}/api/pbx/${rig.tenantId}/sync`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
    });
    expect(sync.status).toBe(403);
    await rig.services.queue.idle({ withinMs: 2_000 });
    expect(rig.graph.presenceWriteStats()).toEqual(before);
  });

  it('never turns its own Teams call session into a PBX status (no loop with Teams presence → PBX)', async () => {
    const user = synced()[4]!;
    const pbxId = pbxIdOf(user.id);
    rig.pbx.setCallInProgress(pbxId, true);
    await settle();
    expect(rig.graph.appPresenceSessions(user.id)).toMatchObject({ availability: 'Busy', activity: 'InACall' });
    const startedAt = Date.now();
    await ensurePolling(rig.services, (await rig.services.tenants.get(rig.tenantId))!, 'manual', new Date());
    await vi.waitFor(
      async () => {
        const cycle = await rig.services.pollCycles.get(rig.tenantId, 'presence');
        expect(cycle?.finishedAt && Date.parse(cycle.finishedAt) > startedAt).toBe(true);
      },
      { timeout: 25_000, interval: 200 },
    );
    const record = await rig.services.presenceStates.get(rig.tenantId, user.id);
    expect(record?.teams).toMatchObject({ availability: 'Busy', activity: 'InACall', target: 'leave' });
    expect(rig.pbx.presenceOf(pbxId).enable_dnd).toBe(false);
    rig.pbx.setCallInProgress(pbxId, false);
    await settle();
    expect(sessionsOf(user.id)).toEqual([]);
  }, 40_000);

  it('never overwrites an event URL that someone else set, and says so', async () => {
    const tenant = (await rig.services.tenants.get(rig.tenantId))!;
    const target = (await rig.services.connectorsFor(tenant)).pbxEventTarget!;
    await target.register({ url: 'https://elsewhere.example/pbx-hook', token: 'their-own-token-123' });
    await rig.maintainSubscriptions({ withinMs: 2_000 });
    expect((await target.read()).url).toBe('https://elsewhere.example/pbx-hook');
    const status = await adminCaller(() => rig.services)('getCallStateStatus', { method: 'GET', params: { id: rig.tenantId } });
    expect(status.body).toMatchObject({ eventUrl: { state: 'conflict', foreignUrl: 'https://elsewhere.example/pbx-hook' } });
  });
});
