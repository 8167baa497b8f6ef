import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CalendarOptionsSchema } from '../../../../shared/features/calendar/calendarOptions';
import { generateUsers } from '../../../../sandbox/graph';
import { type NotificationRig, startNotificationRig } from '../../../../sandbox/notificationRig';
import { testStorageConnectionString, uniqueTablePrefix } from '../../../support/storage';

let rig: NotificationRig;

beforeAll(async () => {
  rig = await startNotificationRig({
    storageConnectionString: testStorageConnectionString(),
    tablePrefix: uniqueTablePrefix(),
    users: generateUsers(4, { seed: 14 }),
    debounceMs: 150,
    // The poll's period is a day here: whatever reaches the PBX within seconds came through a notification.
    configure: (config) => ({
      ...config,
      calendar: CalendarOptionsSchema.parse({ enabled: true, refreshMinutes: 1440, lookaheadHours: 48 }),
    }),
  });
}, 60_000);
afterAll(async () => {
  await rig?.stop();
});

const synced = () => rig.graph.listUsers().filter((u) => pbxUserFor(u.id));
const pbxUserFor = (objectId: string) => rig.pbx.listUsers().find((p) => p.ms365_binding === objectId);
// The rig's users have no kept portal password, so the connector holds them to the admin DND switch.
const dndOf = (objectId: string) => rig.pbx.presenceOf(String(pbxUserFor(objectId)!.id)).enable_dnd;
const eventSubscriptions = () => rig.graph.subscriptions().filter((s) => /^users\/[^/]+\/events$/.test(s.resource));

describe('calendar change notifications (a subscription per mailbox → webhook → refresh timer → PBX)', () => {
  it('subscribes each synced user’s events, with the user kept on the record', async () => {
    const users = synced();
    expect(users.length).toBe(4);
    expect(
      eventSubscriptions()
        .map((s) => s.resource)
        .sort(),
    ).toEqual(users.map((u) => `users/${u.id}/events`).sort());
    const records = (await rig.services.subscriptions.listForTenant(rig.tenantId)).filter((r) => r.resource === 'calendar');
    expect(records.map((r) => r.subject).sort()).toEqual(users.map((u) => u.id).sort());
  });

  it('a meeting booked into the present silences the phone within seconds, and its cancellation restores it', async () => {
    const user = synced()[0]!;
    expect(dndOf(user.id)).toBe(false);
    const readsBefore = rig.graph.calendarStats().calendarViewRequests;
    const event = rig.graph.addEvent(user.id, {
      subject: 'Booked just now',
      start: new Date(Date.now() - 60_000).toISOString(),
      end: new Date(Date.now() + 3_600_000).toISOString(),
      showAs: 'busy',
    });
    await vi.waitFor(() => expect(dndOf(user.id)).toBe(true), { timeout: 10_000, interval: 50 });
    // One read of that mailbox: the other users' calendars were not read again.
    expect(rig.graph.calendarStats().calendarViewRequests - readsBefore).toBe(1);

    rig.graph.cancelEvent(user.id, event.id);
    await vi.waitFor(() => expect(dndOf(user.id)).toBe(false), { timeout: 10_000, interval: 50 });
    // The record is kept just after the PBX write.
    await vi.waitFor(
      async () =>
        expect((await rig.services.presenceHistory.listForUser(rig.tenantId, user.id, 10)).map((e) => e.reason)).toEqual([
          'restored',
          'set',
        ]),
      { timeout: 5_000, interval: 50 },
    );
  });

  it('a burst of changes to one mailbox becomes one read', async () => {
    const user = synced()[1]!;
    const readsBefore = rig.graph.calendarStats().calendarViewRequests;
    const start = Date.now() + 3_600_000;
    const event = rig.graph.addEvent(user.id, {
      subject: 'Planning',
      start: new Date(start).toISOString(),
      end: new Date(start + 1_800_000).toISOString(),
      showAs: 'busy',
    });
    rig.graph.updateEvent(user.id, event.id, { subject: 'Planning (agenda attached)' });
    rig.graph.updateEvent(user.id, event.id, { showAs: 'oof' });
    await rig.graph.notifications.flush();
    await rig.services.queue.idle({ withinMs: 3_000 });
    const reads = rig.graph.calendarStats().calendarViewRequests - readsBefore;
    // The three notifications fall into one or (across a window's edge) two refresh windows.
    expect(reads).toBeGreaterThanOrEqual(1);
    expect(reads).toBeLessThanOrEqual(2);
    const record = await rig.services.presenceStates.get(rig.tenantId, user.id);
    expect(record?.calendar?.segments).toEqual([
      expect.objectContaining({ target: 'away', start: new Date(start).toISOString(), end: new Date(start + 1_800_000).toISOString() }),
    ]);
  });

  it('turning the notifications off removes the per-mailbox subscriptions at the next upkeep', async () => {
    const tenant = (await rig.services.tenants.get(rig.tenantId))!;
    await rig.services.tenants.replace(
      rig.tenantId,
      { ...tenant.config, calendar: { ...tenant.config.calendar, notifications: false } },
      tenant.etag,
    );
    // The meetings' own timers are queued for an hour ahead: wait only for what is due now.
    await rig.maintainSubscriptions({ withinMs: 5_000 });
    expect(eventSubscriptions()).toEqual([]);
    const records = await rig.services.subscriptions.listForTenant(rig.tenantId);
    expect(records.map((r) => r.resource)).toEqual(['users']);
  });
});
