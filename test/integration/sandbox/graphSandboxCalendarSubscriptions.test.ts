import { describe, expect, it } from 'vitest';
import { type GraphSandbox, type GraphSandboxOptions, generateUsers } from '../../../sandbox/graph';
import { graphControlCall } from '../../support/graphControlCall';
import { useGraphWithReceiver } from '../../support/useGraphWithReceiver';
import { postSandboxSubscription } from '../../support/postSandboxSubscription';

type Json = Record<string, unknown>;

const sandbox = useGraphWithReceiver();
/** The sandbox's clock (GraphSandboxOptions.now), so expiry and lastModifiedDateTime are the test's to move. */
let clock = Date.parse('2026-01-01T08:00:00Z');

async function setup(options: GraphSandboxOptions = {}) {
  clock = Date.parse('2026-01-01T08:00:00Z');
  const { graph, receiver } = await sandbox.start({ batchWindowMs: 5, retryDelaysMs: [20], now: () => clock, ...options });
  const users = generateUsers(3, { seed: 8 });
  graph.seed(users);
  return { graph, receiver, userId: users[0]!.id, upn: users[0]!.userPrincipalName, otherId: users[1]!.id };
}

async function subscribe(resource: string, options: { path?: string; changeType?: string; minutes?: number; lifecycle?: boolean } = {}) {
  return postSandboxSubscription(sandbox.graph, {
    resource,
    notificationUrl: sandbox.receiver.url(options.path ?? '/hook'),
    lifecycleNotificationUrl: options.lifecycle ? sandbox.receiver.url('/lifecycle') : undefined,
    changeType: options.changeType,
    minutes: options.minutes,
    now: clock,
    clientState: 'events-secret',
  });
}

const meeting = { subject: 'Meeting', start: '2026-01-05T09:00:00Z', end: '2026-01-05T10:00:00Z', showAs: 'busy' } as const;

function eventItem(graph: GraphSandbox, subscriptionId: string, userId: string, changeType: string, eventId: string, changeKey: string) {
  const resource = `Users/${userId}/Events/${eventId}`;
  return {
    subscriptionId,
    subscriptionExpirationDateTime: expect.any(String),
    changeType,
    resource,
    resourceData: { '@odata.type': '#Microsoft.Graph.Event', '@odata.id': resource, '@odata.etag': `W/"${changeKey}"`, id: eventId },
    clientState: 'events-secret',
    tenantId: graph.tenantId,
  };
}

describe('sandbox Graph: events subscriptions', () => {
  it('accepts users/{id}/events (and /users/{upn}/events) for up to 10,080 minutes after the handshake, and refuses the rest', async () => {
    const { graph, receiver, userId, upn } = await setup();
    const created = await subscribe(`users/${userId}/events`, { minutes: 10_079 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      resource: `users/${userId}/events`,
      changeType: 'created,updated,deleted',
      clientState: 'events-secret',
    });
    expect(receiver.handshakes()).toHaveLength(1);
    expect((await subscribe(`/users/${upn}/events`)).status).toBe(201);
    const tooLong = await subscribe(`users/${userId}/events`, { minutes: 10_081 });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error!.message).toBe('Subscription expiration can only be 10080 minutes in the future.');
    const nobody = await subscribe('users/nobody@contoso.com/events');
    expect(nobody.status).toBe(404);
    expect(nobody.body.error!.code).toBe('ErrorInvalidUser');
    expect((await subscribe(`users/${userId}/events/extra`)).status).toBe(400);
    // A failing endpoint fails the handshake, as for every other resource.
    receiver.respond = (_req, res) => void res.writeHead(500).end();
    expect((await subscribe(`users/${userId}/events`)).status).toBe(400);
    // Renewing past 10,080 minutes is refused too.
    const renew = await fetch(`${graph.baseUrl}/v1.0/subscriptions/${created.body.id as string}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${graph.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ expirationDateTime: new Date(clock + 10_090 * 60_000).toISOString() }),
    });
    expect(renew.status).toBe(400);
  });

  it('delivers created, updated and deleted for the mailbox’s events only, shaped like Graph’s', async () => {
    const { graph, receiver, userId, otherId } = await setup();
    const sub = (await subscribe(`users/${userId}/events`, { path: '/events' })).body.id as string;
    const deletedOnly = (await subscribe(`users/${userId}/events`, { path: '/deleted', changeType: 'deleted' })).body.id as string;
    await subscribe(`users/${userId}/contacts`, { path: '/contacts' });

    const created = graph.addEvent(userId, meeting);
    clock += 60_000;
    const moved = graph.updateEvent(userId, created.id, { start: '2026-01-05T11:00:00Z', end: '2026-01-05T12:00:00Z' });
    // Through the control API as well.
    const viaControl = await graphControlCall(graph, 'POST', `/mailboxes/${userId}/events`, { ...meeting, subject: 'Via control' });
    const controlId = viaControl.body.id as string;
    expect((await graphControlCall(graph, 'POST', `/mailboxes/${userId}/events/${encodeURIComponent(controlId)}/cancel`)).status).toBe(204);
    const cancelledKey = graph.getEvent(userId, controlId)!.changeKey;
    graph.deleteEvent(userId, created.id);
    graph.addEvent(otherId, meeting);
    graph.addContact(userId, { displayName: 'Not an event' });
    await graph.flushNotifications();

    expect(moved.lastModifiedDateTime).toBe('2026-01-01T08:01:00.0000000Z');
    expect(receiver.items('/events')).toEqual([
      eventItem(graph, sub, userId, 'created', created.id, created.changeKey),
      eventItem(graph, sub, userId, 'updated', created.id, moved.changeKey),
      eventItem(graph, sub, userId, 'created', controlId, viaControl.body.changeKey as string),
      eventItem(graph, sub, userId, 'updated', controlId, cancelledKey),
      eventItem(graph, sub, userId, 'deleted', created.id, moved.changeKey),
    ]);
    expect(receiver.items('/deleted')).toEqual([eventItem(graph, deletedOnly, userId, 'deleted', created.id, moved.changeKey)]);
    // Contacts and events subscriptions each hear only their own kind.
    expect(receiver.items('/contacts').map((i) => (i.resourceData as Json)['@odata.type'])).toEqual(['#Microsoft.Graph.Contact']);
  });

  it('reports a change inside a series once, on its master', async () => {
    const { graph, receiver, userId } = await setup();
    const sub = (await subscribe(`users/${userId}/events`)).body.id as string;
    const master = graph.addEvent(userId, {
      ...meeting,
      recurrence: {
        pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday', 'thursday'] },
        range: { type: 'numbered', numberOfOccurrences: 6 },
      },
    });
    expect(graph.getEvent(userId, master.id)!.type).toBe('seriesMaster');
    const response = await fetch(
      `${graph.baseUrl}/v1.0/users/${userId}/calendarView?startDateTime=2026-01-05T00:00:00Z&endDateTime=2026-01-10T00:00:00Z`,
      { headers: { authorization: `Bearer ${graph.token}` } },
    );
    const occurrences = ((await response.json()) as { value: Json[] }).value;
    expect(occurrences.map((o) => (o.start as Json).dateTime)).toEqual(['2026-01-05T09:00:00.0000000', '2026-01-08T09:00:00.0000000']);

    graph.updateEvent(userId, occurrences[1]!.id as string, { showAs: 'free' });
    const afterMove = graph.getEvent(userId, master.id)!.changeKey;
    graph.cancelEvent(userId, occurrences[0]!.id as string);
    const afterCancel = graph.getEvent(userId, master.id)!.changeKey;
    graph.deleteEvent(userId, master.id);
    await graph.flushNotifications();
    expect(receiver.items()).toEqual([
      eventItem(graph, sub, userId, 'created', master.id, master.changeKey),
      eventItem(graph, sub, userId, 'updated', master.id, afterMove),
      eventItem(graph, sub, userId, 'updated', master.id, afterCancel),
      eventItem(graph, sub, userId, 'deleted', master.id, afterCancel),
    ]);
    expect(new Set([master.changeKey, afterMove, afterCancel]).size).toBe(3);
  });

  it('goes through the same delivery: faults, lifecycle events, and expiry on the sandbox’s clock', async () => {
    const { graph, receiver, userId } = await setup();
    const sub = (await subscribe(`users/${userId}/events`, { lifecycle: true, minutes: 60 })).body.id as string;
    graph.notifications.forgeNext(1);
    graph.addEvent(userId, meeting);
    graph.addEvent(userId, { ...meeting, subject: 'Second' });
    await graph.notifications.sendLifecycleEvent(sub, 'reauthorizationRequired');
    await graph.flushNotifications();
    const items = receiver.items('/hook');
    expect(items).toHaveLength(2);
    expect(items[0]!.clientState).toMatch(/^forged-/);
    expect(items[1]!.clientState).toBe('events-secret');
    expect(receiver.items('/lifecycle')).toEqual([
      expect.objectContaining({ subscriptionId: sub, lifecycleEvent: 'reauthorizationRequired' }),
    ]);
    expect(graph.stats.notifications).toMatchObject({ forged: 1, itemsDelivered: 3, lifecycleSent: 1 });

    // Past its expiry on the sandbox's clock the subscription hears nothing more (and is listed still).
    clock += 61 * 60_000;
    graph.addEvent(userId, { ...meeting, subject: 'After expiry' });
    await graph.flushNotifications();
    expect(receiver.items('/hook')).toHaveLength(2);
    expect(graph.subscriptions().map((s) => s.id)).toContain(sub);
  });

  it('allows at most 1,000 Outlook subscriptions per mailbox, contacts and events together', async () => {
    const { graph, userId, otherId } = await setup({ batchWindowMs: 5 });
    // 1,000 subscriptions over HTTP (each with its handshake), 100 at a time; the very first watches contacts,
    // so the limit is met by contacts and events together.
    for (let chunk = 0; chunk < 10; chunk += 1) {
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) => subscribe(chunk === 0 && i === 0 ? `users/${userId}/contacts` : `users/${userId}/events`)),
      );
      expect(results.every((r) => r.status === 201)).toBe(true);
    }
    const over = await subscribe(`users/${userId}/events`);
    expect(over.status).toBe(403);
    expect(over.body.error!.message).toBe('The subscription limit of 1000 for this mailbox has been reached.');
    expect((await subscribe(`users/${userId}/contacts`)).status).toBe(403);
    expect((await subscribe(`users/${otherId}/events`)).status).toBe(201);
    // Directory subscriptions keep their own quota.
    expect((await subscribe('users', { changeType: 'updated,deleted' })).status).toBe(201);
    expect(graph.subscriptions()).toHaveLength(1002);
  });
});
