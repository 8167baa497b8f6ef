import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { GraphSandbox, SandboxUser } from '../../sandbox/graph';

interface Received {
  url: string;
  contentType: string;
  body: string;
}

/** A webhook receiver: answers handshakes correctly unless told otherwise, records every POST. */
class Receiver {
  readonly received: Received[] = [];
  respond: (req: IncomingMessage, res: ServerResponse, body: string) => void = (req, res) => {
    const token = new URL(req.url!, 'http://x').searchParams.get('validationToken');
    if (token !== null) {
      res.writeHead(200, { 'content-type': 'text/plain' }).end(token);
      return;
    }
    res.writeHead(202).end();
  };
  private constructor(private readonly server: Server) {}

  static async start(): Promise<Receiver> {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const receiver = new Receiver(server);
    server.on('request', async (req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      receiver.received.push({ url: req.url!, contentType: req.headers['content-type'] ?? '', body });
      receiver.respond(req, res, body);
    });
    return receiver;
  }

  url(path = '/hook'): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  /** Change-notification POSTs to /hook (not handshakes, not lifecycle events), parsed. */
  notifications(): Record<string, any>[][] {
    return this.received.filter((r) => r.url.startsWith('/hook') && !r.url.includes('validationToken')).map((r) => JSON.parse(r.body).value);
  }

  items(): Record<string, any>[] {
    return this.notifications().flat();
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

const user = (n: number): SandboxUser => ({ id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, givenName: 'U', surname: `${n}`, userPrincipalName: `u${n}@contoso.com`, businessPhones: [], accountEnabled: true, userType: 'Member' });

let graph: GraphSandbox;
let receiver: Receiver;
let clock = Date.parse('2026-11-23T12:00:00.000Z');

afterEach(async () => {
  await graph?.stop();
  await receiver?.stop();
});

async function setup(options: Parameters<typeof GraphSandbox.start>[0] = {}) {
  clock = Date.parse('2026-11-23T12:00:00.000Z');
  graph = await GraphSandbox.start({ now: () => clock, retryDelaysMs: [20, 20], ...options });
  receiver = await Receiver.start();
  graph.seed([user(1), user(2), user(3)]);
}

const minutes = (m: number) => new Date(clock + m * 60_000).toISOString();

async function graphCall(method: string, path: string, body?: unknown) {
  const response = await fetch(`${graph.baseUrl}/v1.0${path}`, {
    method,
    headers: { authorization: `Bearer ${graph.token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

const subscribe = (overrides: Record<string, unknown> = {}) =>
  graphCall('POST', '/subscriptions', { changeType: 'updated,deleted', notificationUrl: receiver.url('/hook?code=abc'), lifecycleNotificationUrl: receiver.url('/life'), resource: 'users', expirationDateTime: minutes(1000), clientState: 'state-1', ...overrides });

describe('sandbox Graph: subscriptions API', () => {
  it('validates both endpoints with an encoded token, preserving the query string, then answers 201', async () => {
    await setup();
    const created = await subscribe();
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ resource: 'users', changeType: 'updated,deleted', clientState: 'state-1', expirationDateTime: minutes(1000), lifecycleNotificationUrl: receiver.url('/life'), latestSupportedTlsVersion: 'v1_2' });
    const handshakes = receiver.received.filter((r) => r.url.includes('validationToken='));
    expect(handshakes.map((h) => h.url.split('validationToken=')[0])).toEqual(['/hook?code=abc&', '/life?']);
    expect(handshakes[0]!.url).toMatch(/validationToken=Validation%3A%20Testing%20client/);
    expect(handshakes[0]!.contentType).toMatch(/^text\/plain/);
    expect(graph.stats.notifications.handshakesOk).toBe(2);
  });

  it.each([
    ['a wrong body', (_req: IncomingMessage, res: ServerResponse) => res.writeHead(200, { 'content-type': 'text/plain' }).end('nope')],
    ['a JSON content type', (req: IncomingMessage, res: ServerResponse) => res.writeHead(200, { 'content-type': 'application/json' }).end(new URL(req.url!, 'http://x').searchParams.get('validationToken')!)],
    ['a 500', (_req: IncomingMessage, res: ServerResponse) => res.writeHead(500).end()],
    ['no answer in time', () => undefined],
  ])('refuses the subscription (400) when the endpoint answers with %s', async (_name, respond) => {
    await setup({ validationTimeoutMs: 200 });
    receiver.respond = respond;
    const created = await subscribe();
    expect(created.status).toBe(400);
    expect(created.body.error.code).toBe('ValidationError');
    expect(graph.subscriptions()).toEqual([]);
  });

  it('validates the lifecycle URL too', async () => {
    await setup();
    receiver.respond = (req, res) => {
      const token = new URL(req.url!, 'http://x').searchParams.get('validationToken');
      if (req.url!.startsWith('/life')) res.writeHead(404).end();
      else res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(token!);
    };
    expect((await subscribe()).status).toBe(400);
  });

  it('enforces Graph\'s rules: bad change type, unsupported resource, http off loopback, clientState > 128, expiry limits', async () => {
    await setup();
    expect((await subscribe({ changeType: 'created' })).status).toBe(400);
    expect((await subscribe({ resource: 'groups' })).status).toBe(400);
    expect((await subscribe({ notificationUrl: 'http://example.com/hook' })).status).toBe(400);
    expect((await subscribe({ clientState: 'x'.repeat(129) })).status).toBe(400);
    expect((await subscribe({ expirationDateTime: minutes(-1) })).status).toBe(400);
    const tooLong = await subscribe({ expirationDateTime: minutes(41_761) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error).toMatchObject({ code: 'InvalidRequest', message: 'Subscription expiration can only be 41760 minutes in the future.' });
    const short = await subscribe({ expirationDateTime: minutes(10) });
    expect(short.body.expirationDateTime).toBe(minutes(45));
  });

  it('renews with PATCH, refuses a too-long renewal and a lifecycle URL patch, reauthorizes and deletes', async () => {
    await setup();
    const { body } = await subscribe();
    const renewed = await graphCall('PATCH', `/subscriptions/${body.id}`, { expirationDateTime: minutes(40_000) });
    expect(renewed.status).toBe(200);
    expect(renewed.body.expirationDateTime).toBe(minutes(40_000));
    expect((await graphCall('PATCH', `/subscriptions/${body.id}`, { expirationDateTime: minutes(50_000) })).status).toBe(400);
    expect((await graphCall('PATCH', `/subscriptions/${body.id}`, { lifecycleNotificationUrl: receiver.url('/x') })).status).toBe(400);
    expect((await graphCall('POST', `/subscriptions/${body.id}/reauthorize`)).status).toBe(204);
    expect((await graphCall('GET', `/subscriptions/${body.id}`)).body.id).toBe(body.id);
    expect((await graphCall('DELETE', `/subscriptions/${body.id}`)).status).toBe(204);
    expect((await graphCall('DELETE', `/subscriptions/${body.id}`)).status).toBe(404);
    expect((await graphCall('POST', `/subscriptions/${body.id}/reauthorize`)).status).toBe(404);
  });

  it('an expired subscription stops delivering and is 404 to GET/PATCH, but still listed', async () => {
    await setup();
    const { body } = await subscribe({ expirationDateTime: minutes(60) });
    clock += 61 * 60_000;
    graph.updateUser(user(1).id, { department: 'Sales' });
    await graph.notifications.flush();
    expect(receiver.items()).toEqual([]);
    expect((await graphCall('GET', `/subscriptions/${body.id}`)).status).toBe(404);
    expect((await graphCall('PATCH', `/subscriptions/${body.id}`, { expirationDateTime: minutes(100) })).status).toBe(404);
    const listed = await graphCall('GET', '/subscriptions');
    expect(listed.body.value.map((s: { id: string }) => s.id)).toEqual([body.id]);
  });

  it('refuses the 101st subscription with 403', async () => {
    await setup();
    for (let i = 0; i < 100; i += 1) expect((await subscribe({ lifecycleNotificationUrl: undefined })).status).toBe(201);
    const refused = await subscribe({ lifecycleNotificationUrl: undefined });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('ExtensionError');
  });

  it('applies injected Graph faults to subscription routes too (nothing created)', async () => {
    await setup();
    graph.faults.failNext(1, 503);
    expect((await subscribe()).status).toBe(503);
    expect(graph.subscriptions()).toEqual([]);
    expect(graph.stats.byRoute['POST /subscriptions']).toBe(1);
  });
});

describe('sandbox Graph: notification delivery', () => {
  it('notifies creation, update, soft delete and restore as updated, hard delete as deleted, in Graph\'s exact shape', async () => {
    await setup();
    const { body } = await subscribe();
    const id = user(9).id;
    graph.addUser(user(9));
    await graph.notifications.flush();
    graph.updateUser(id, { department: 'x' });
    await graph.notifications.flush();
    graph.softDeleteUser(id);
    await graph.notifications.flush();
    graph.restoreUser(id);
    await graph.notifications.flush();
    graph.hardDeleteUser(id);
    await graph.notifications.flush();
    const items = receiver.items();
    expect(items.map((i) => i.changeType)).toEqual(['updated', 'updated', 'updated', 'updated', 'deleted']);
    expect(items[0]).toEqual({
      subscriptionId: body.id,
      subscriptionExpirationDateTime: minutes(1000),
      changeType: 'updated',
      resource: `Users/${id}`,
      resourceData: { '@odata.type': '#Microsoft.Graph.User', '@odata.id': `Users/${id}`, id, organizationId: graph.tenantId },
      clientState: 'state-1',
      tenantId: graph.tenantId,
    });
    expect(receiver.received.filter((r) => !r.url.includes('validationToken')).every((r) => r.url === '/hook?code=abc' && r.contentType.startsWith('application/json'))).toBe(true);
  });

  it('sends only the change types asked for, and users/{id} only for that user', async () => {
    await setup();
    await subscribe({ changeType: 'deleted' });
    await subscribe({ resource: `users/${user(2).id}`, clientState: 'one-user' });
    graph.updateUser(user(1).id, { department: 'a' });
    graph.updateUser(user(2).id, { department: 'b' });
    graph.hardDeleteUser(user(3).id);
    await graph.notifications.flush();
    const items = receiver.items();
    expect(items.map((i) => [i.clientState, i.changeType, i.resourceData.id]).sort()).toEqual([
      ['one-user', 'updated', user(2).id],
      ['state-1', 'deleted', user(3).id],
    ]);
  });

  it('batches changes of one window into one POST, and seed() notifies nothing', async () => {
    await setup({ batchWindowMs: 50 });
    await subscribe();
    graph.seed([user(1), user(2), user(3)]);
    for (const n of [1, 2, 3]) graph.updateUser(user(n).id, { department: 'x' });
    await graph.notifications.flush();
    expect(receiver.notifications().map((batch) => batch.length)).toEqual([3]);
  });

  it('retries a failed delivery, then gives up and counts it', async () => {
    await setup();
    await subscribe();
    let failures = 1;
    receiver.respond = (req, res) => {
      if (req.url!.includes('validationToken')) return res.writeHead(200, { 'content-type': 'text/plain' }).end(new URL(req.url!, 'http://x').searchParams.get('validationToken')!);
      if (failures-- > 0) return res.writeHead(500).end();
      res.writeHead(202).end();
    };
    graph.updateUser(user(1).id, { department: 'x' });
    await graph.notifications.flush();
    expect(graph.stats.notifications).toMatchObject({ postsSent: 2, itemsDelivered: 1, itemsFailed: 0 });
    failures = 100;
    graph.updateUser(user(1).id, { department: 'y' });
    await graph.notifications.flush();
    expect(graph.stats.notifications).toMatchObject({ postsSent: 5, itemsDelivered: 1, itemsFailed: 1 });
  });

  it('drops, duplicates, delays and forges the next items when told to', async () => {
    await setup();
    await subscribe();
    const dept = (i: Record<string, any>) => i.resourceData.id;
    graph.notifications.dropNext(1);
    graph.updateUser(user(1).id, { department: 'a' });
    await graph.notifications.flush();
    expect(receiver.items()).toEqual([]);
    graph.notifications.duplicateNext(1);
    graph.updateUser(user(2).id, { department: 'b' });
    await graph.notifications.flush();
    expect(receiver.notifications().map((b) => b.map(dept))).toEqual([[user(2).id], [user(2).id]]);
    graph.notifications.forgeNext(1);
    graph.updateUser(user(3).id, { department: 'c' });
    await graph.notifications.flush();
    const forged = receiver.items().at(-1)!;
    expect(forged.clientState).toMatch(/^forged-/);
    graph.notifications.delayNext(1, 150);
    const started = Date.now();
    graph.updateUser(user(1).id, { department: 'd' });
    await graph.notifications.flush();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(graph.stats.notifications).toMatchObject({ dropped: 1, duplicated: 1, forged: 1, delayed: 1 });
  });

  it('reorders: holds the next N items and sends them newest first, one POST each', async () => {
    await setup();
    await subscribe();
    graph.notifications.reorderNext(3);
    for (const n of [1, 2, 3]) graph.updateUser(user(n).id, { department: 'x' });
    await graph.notifications.flush();
    expect(receiver.notifications().map((b) => b.map((i) => i.resourceData.id))).toEqual([[user(3).id], [user(2).id], [user(1).id]]);
    expect(graph.stats.notifications.reordered).toBe(3);
  });

  it('sends lifecycle events to the lifecycle URL, with tenantId or organizationId', async () => {
    await setup();
    const { body } = await subscribe();
    await graph.notifications.sendLifecycleEvent(body.id, 'reauthorizationRequired');
    await graph.notifications.sendLifecycleEvent(body.id, 'missed', { tenantField: 'organizationId' });
    const lifecycle = receiver.received.filter((r) => r.url === '/life').map((r) => JSON.parse(r.body).value[0]);
    expect(lifecycle).toEqual([
      { subscriptionId: body.id, subscriptionExpirationDateTime: minutes(1000), tenantId: graph.tenantId, clientState: 'state-1', lifecycleEvent: 'reauthorizationRequired' },
      { subscriptionId: body.id, subscriptionExpirationDateTime: minutes(1000), organizationId: graph.tenantId, resource: '', clientState: 'state-1', lifecycleEvent: 'missed' },
    ]);
  });

  it('removeSubscription deletes it and sends subscriptionRemoved', async () => {
    await setup();
    const { body } = await subscribe();
    await graph.notifications.removeSubscription(body.id);
    expect(graph.subscriptions()).toEqual([]);
    const last = receiver.received.filter((r) => r.url === '/life').map((r) => JSON.parse(r.body).value[0].lifecycleEvent);
    expect(last).toEqual(['subscriptionRemoved']);
    graph.updateUser(user(1).id, { department: 'x' });
    await graph.notifications.flush();
    expect(receiver.items()).toEqual([]);
  });

  it('control API: list, notification switches, lifecycle and removal', async () => {
    await setup();
    const { body } = await subscribe();
    const control = (method: string, path: string, json?: unknown) => fetch(`${graph.baseUrl}/_sandbox${path}`, { method, headers: { 'content-type': 'application/json' }, body: json === undefined ? undefined : JSON.stringify(json) });
    const listed = (await (await control('GET', '/subscriptions')).json()) as { value: Record<string, unknown>[] };
    expect(listed.value[0]).toMatchObject({ id: body.id, expirationDateTime: minutes(1000) });
    expect((await control('POST', '/notifications/faults', { dropNext: 1 })).status).toBe(200);
    expect((await control('POST', '/notifications/faults', { delayNext: 1 })).status).toBe(400);
    graph.updateUser(user(1).id, { department: 'x' });
    await graph.notifications.flush();
    expect(receiver.items()).toEqual([]);
    expect((await control('POST', `/subscriptions/${body.id}/lifecycle`, { event: 'missed' })).status).toBe(202);
    await graph.notifications.flush();
    expect((await control('DELETE', `/subscriptions/${body.id}`)).status).toBe(204);
    expect((await control('DELETE', `/subscriptions/${body.id}`)).status).toBe(404);
    expect(receiver.received.filter((r) => r.url === '/life').map((r) => JSON.parse(r.body).value[0].lifecycleEvent)).toEqual(['missed', 'subscriptionRemoved']);
  });
});
