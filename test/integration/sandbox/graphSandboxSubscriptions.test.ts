import { afterEach, describe, expect, it } from 'vitest';
import { WebhookReceiver as Receiver, type Responder, correctEndpoint, tokenOf } from '../../support/webhookReceiver';
import { GraphSandbox, type GraphSandboxOptions, type NotificationDeliveryEvent, type SandboxUser } from '../../../sandbox/graph';
import { graphControlCall } from '../../support/graphControlCall';

type Json = Record<string, unknown>;

const user = (n: number): SandboxUser => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  givenName: 'U',
  surname: `${n}`,
  userPrincipalName: `u${n}@contoso.com`,
  businessPhones: [],
  accountEnabled: true,
  userType: 'Member',
});
const userIdOf = (item: Json) => (item.resourceData as { id: string }).id;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const VALIDATION_FAILED = {
  code: 'ValidationError',
  message: 'Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.',
};
const NOT_FOUND = { code: 'ResourceNotFound', message: 'The object was not found.' };

let graph: GraphSandbox | undefined;
let receiver: Receiver | undefined;
const START = Date.parse('2026-11-23T12:00:00.000Z');
let clock = START;

afterEach(async () => {
  await graph?.stop();
  await receiver?.stop();
  graph = undefined;
  receiver = undefined;
});

/** A sandbox on an injected clock (fast retries) with users 1..3, and a receiver. */
async function setup(options: GraphSandboxOptions = {}): Promise<{ graph: GraphSandbox; receiver: Receiver }> {
  clock = START;
  graph = await GraphSandbox.start({ now: () => clock, retryDelaysMs: [20, 20], ...options });
  receiver = await Receiver.start();
  graph.seed([user(1), user(2), user(3)]);
  return { graph, receiver };
}

const minutes = (m: number) => new Date(clock + m * 60_000).toISOString();

async function graphCall(method: string, path: string, body?: unknown, token = graph!.token) {
  const response = await fetch(`${graph!.baseUrl}/v1.0${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text ? JSON.parse(text) : undefined) as Json & { error: { code: string; message: string; innerError: Json } },
  };
}

const subscribe = (overrides: Json = {}) =>
  graphCall('POST', '/subscriptions', {
    changeType: 'updated,deleted',
    notificationUrl: receiver!.url('/hook?code=abc'),
    lifecycleNotificationUrl: receiver!.url('/life'),
    resource: 'users',
    expirationDateTime: minutes(1000),
    clientState: 'state-1',
    ...overrides,
  });

async function subscribed(overrides: Json = {}): Promise<string> {
  const created = await subscribe(overrides);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id as string;
}

describe('sandbox Graph: creating subscriptions', () => {
  it("validates both endpoints (encoded token, query string kept), then answers 201 with Graph's object", async () => {
    const { graph, receiver } = await setup();
    const created = await subscribe();
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      '@odata.context': `${graph.baseUrl}/v1.0/$metadata#subscriptions/$entity`,
      id: expect.stringMatching(UUID),
      resource: 'users',
      applicationId: expect.stringMatching(UUID),
      changeType: 'updated,deleted',
      clientState: 'state-1',
      notificationUrl: receiver.url('/hook?code=abc'),
      notificationQueryOptions: null,
      lifecycleNotificationUrl: receiver.url('/life'),
      expirationDateTime: minutes(1000),
      creatorId: expect.stringMatching(UUID),
      includeResourceData: false,
      latestSupportedTlsVersion: 'v1_2',
      encryptionCertificate: null,
      encryptionCertificateId: null,
      notificationUrlAppId: null,
      notificationContentType: null,
    });
    const [hook, life, ...more] = receiver.received;
    expect(more).toEqual([]);
    // Graph's encoding: form style, '+' for spaces, lowercase hex.
    expect(hook!.url).toMatch(
      new RegExp(
        String.raw`^/hook\?code=abc&validationToken=Validation%3a\+Testing\+client\+application\+reachability` +
          String.raw`\+for\+subscription\+Request-Id%3a\+[0-9a-f-]{36}$`,
      ),
    );
    expect(life!.url).toMatch(/^\/life\?validationToken=Validation%3a\+Testing\+/);
    for (const h of [hook!, life!]) expect(h).toMatchObject({ method: 'POST', contentType: 'text/plain; charset=utf-8', body: '' });
    expect(new URL(hook!.url, 'http://x').searchParams.get('validationToken')).toMatch(
      /^Validation: Testing client application reachability for subscription Request-Id: [0-9a-f-]{36}$/,
    );
    expect(graph.stats.notifications).toMatchObject({ handshakesOk: 2, handshakesFailed: 0 });
    expect(graph.subscriptions()).toEqual([expect.objectContaining({ id: created.body.id, expiresAt: Date.parse(minutes(1000)) })]);
  });

  it('validates the lifecycle URL separately, even when it is the notification URL', async () => {
    const { receiver } = await setup();
    await subscribed({ lifecycleNotificationUrl: receiver.url('/hook?code=abc') });
    const tokens = receiver.handshakes().map((h) => new URL(h.url, 'http://x').searchParams.get('validationToken'));
    expect(receiver.handshakes().map((h) => h.url.split('&validationToken=')[0])).toEqual(['/hook?code=abc', '/hook?code=abc']);
    expect(new Set(tokens).size).toBe(2);
  });

  it.each<[string, Responder]>([
    ['a wrong body', (_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('nope')],
    [
      'the token still encoded',
      (req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end(req.url!.split('validationToken=')[1]),
    ],
    ['a JSON content type', (req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(tokenOf(req)!)],
    ['a 202 instead of 200', (req, res) => res.writeHead(202, { 'content-type': 'text/plain' }).end(tokenOf(req)!)],
    ['a 500', (_req, res) => res.writeHead(500).end()],
    // The target would pass the handshake: only a sandbox that follows redirects accepts this.
    ['a redirect', (req, res) => res.writeHead(307, { location: req.url!.replace('/hook', '/elsewhere') }).end()],
    ['no answer within validationTimeoutMs', () => undefined],
  ])('refuses the subscription (400) when the endpoint answers with %s', async (_name, respond) => {
    const { graph, receiver } = await setup({ validationTimeoutMs: 200 });
    receiver.respond = (req, res, body) => (req.url!.startsWith('/elsewhere') ? correctEndpoint(req, res, body) : respond(req, res, body));
    const created = await subscribe();
    expect(created.status).toBe(400);
    expect(created.body.error).toMatchObject(VALIDATION_FAILED);
    expect(graph.subscriptions()).toEqual([]);
    expect(graph.stats.notifications).toMatchObject({ handshakesOk: 0, handshakesFailed: 1 });
    expect(receiver.received.filter((r) => r.url.startsWith('/life'))).toEqual([]);
  });

  it('refuses the subscription when only the lifecycle URL fails its handshake', async () => {
    const { graph, receiver } = await setup();
    receiver.respond = (req, res, body) => (req.url!.startsWith('/life') ? res.writeHead(404).end() : correctEndpoint(req, res, body));
    const created = await subscribe();
    expect(created.status).toBe(400);
    expect(created.body.error).toMatchObject(VALIDATION_FAILED);
    expect(graph.subscriptions()).toEqual([]);
    expect(graph.stats.notifications).toMatchObject({ handshakesOk: 1, handshakesFailed: 1 });
  });

  it("refuses bodies Graph refuses, in Graph's error shape, before any handshake", async () => {
    const { graph, receiver } = await setup();
    const refused: Json[] = [
      { changeType: 'created' },
      { changeType: 'updated,created' },
      { changeType: '' },
      { notificationUrl: 'http://example.com/hook' },
      { notificationUrl: 'not a url' },
      { notificationUrl: 'ftp://127.0.0.1/hook' },
      { lifecycleNotificationUrl: 'http://example.com/life' },
      { clientState: 'x'.repeat(129) },
      { includeResourceData: true },
      { expirationDateTime: 'tomorrow' },
      { expirationDateTime: undefined },
      { latestSupportedTlsVersion: 'v9' },
      { unknownProperty: 1 },
    ];
    for (const overrides of refused) {
      const answer = await subscribe(overrides);
      expect(answer.status, JSON.stringify(overrides)).toBe(400);
      expect(answer.body.error.innerError).toHaveProperty('request-id');
    }
    const devices = await subscribe({ resource: 'devices' });
    expect(devices.status).toBe(400);
    expect(devices.body.error.code).toBe('InvalidRequest');
    expect(devices.body.error.message).toContain('resource not supported by the sandbox');
    expect(receiver.received).toEqual([]);
    expect(graph.subscriptions()).toEqual([]);
  });

  it('accepts users, /users, users/{id} and /users/{id}, a 128-character clientState and none at all', async () => {
    const { graph } = await setup();
    for (const resource of ['users', '/users', `users/${user(1).id}`, `/users/${user(2).id}`]) await subscribed({ resource });
    await subscribed({ clientState: 'x'.repeat(128) });
    const none = await subscribe({ clientState: undefined, lifecycleNotificationUrl: undefined });
    expect(none.body).toMatchObject({ clientState: null, lifecycleNotificationUrl: null });
    expect(graph.subscriptions()).toHaveLength(6);
  });

  it("applies the expiry rules: past 400, over the max 400 with Graph's message, the max ok, under 45 minutes raised", async () => {
    await setup();
    const past = await subscribe({ expirationDateTime: minutes(-1) });
    expect(past.status).toBe(400);
    expect(past.body.error.code).toBe('InvalidRequest');
    const tooLong = await subscribe({ expirationDateTime: minutes(41_761) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error).toMatchObject({
      code: 'InvalidRequest',
      message: 'Subscription expiration can only be 41760 minutes in the future.',
    });
    expect((await subscribe({ expirationDateTime: minutes(41_760) })).body.expirationDateTime).toBe(minutes(41_760));
    expect((await subscribe({ expirationDateTime: minutes(10) })).body.expirationDateTime).toBe(minutes(45));
  });

  it('takes the maximum lifetime from maxLifetimeMinutes', async () => {
    await setup({ maxLifetimeMinutes: 4230 });
    const tooLong = await subscribe({ expirationDateTime: minutes(4231) });
    expect(tooLong.body.error).toMatchObject({
      code: 'InvalidRequest',
      message: 'Subscription expiration can only be 4230 minutes in the future.',
    });
    expect((await subscribe({ expirationDateTime: minutes(4230) })).status).toBe(201);
  });

  it('refuses the 101st live subscription with 403 ExtensionError; a deleted or expired one frees its place', async () => {
    const { graph } = await setup();
    let first = '';
    for (let i = 0; i < 100; i += 1) {
      const id = await subscribed({ lifecycleNotificationUrl: undefined, expirationDateTime: minutes(i === 0 ? 60 : 1000) });
      if (i === 0) first = id;
    }
    const refused = await subscribe({ lifecycleNotificationUrl: undefined });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('ExtensionError');
    expect(refused.body.error.message).toContain('limit of 100');
    expect(graph.stats.notifications.handshakesOk).toBe(100);
    clock += 61 * 60_000;
    expect((await subscribe({ lifecycleNotificationUrl: undefined })).status).toBe(201);
    expect((await subscribe({ lifecycleNotificationUrl: undefined })).status).toBe(403);
    expect(graph.subscriptions().some((s) => s.id === first)).toBe(true);
  });
});

describe('sandbox Graph: reading, renewing and deleting subscriptions', () => {
  it('GET lists and reads subscriptions; an unknown id is 404 ResourceNotFound', async () => {
    const { graph } = await setup();
    const id = await subscribed();
    const one = await graphCall('GET', `/subscriptions/${id}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      '@odata.context': `${graph.baseUrl}/v1.0/$metadata#subscriptions/$entity`,
      id,
      expirationDateTime: minutes(1000),
    });
    const list = await graphCall('GET', '/subscriptions');
    expect(list.body).toMatchObject({ '@odata.context': `${graph.baseUrl}/v1.0/$metadata#subscriptions`, value: [one.body] });
    const unknown = await graphCall('GET', '/subscriptions/11111111-2222-4333-8444-555555555555');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject(NOT_FOUND);
  });

  it("PATCH renews within Graph's rules and refuses the rest without changing anything", async () => {
    const { graph } = await setup();
    const id = await subscribed();
    const renewed = await graphCall('PATCH', `/subscriptions/${id}`, { expirationDateTime: minutes(40_000) });
    expect(renewed.status).toBe(200);
    expect(renewed.body).toMatchObject({ id, expirationDateTime: minutes(40_000), clientState: 'state-1' });
    const tooLong = await graphCall('PATCH', `/subscriptions/${id}`, { expirationDateTime: minutes(41_761) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error).toMatchObject({
      code: 'InvalidRequest',
      message: 'Subscription expiration can only be 41760 minutes in the future.',
    });
    const past = await graphCall('PATCH', `/subscriptions/${id}`, { expirationDateTime: minutes(-5) });
    expect(past.status).toBe(400);
    const lifecycle = await graphCall('PATCH', `/subscriptions/${id}`, { lifecycleNotificationUrl: receiver!.url('/other') });
    expect(lifecycle.status).toBe(400);
    expect(graph.subscriptions()[0]).toMatchObject({
      expiresAt: Date.parse(minutes(40_000)),
      lifecycleNotificationUrl: receiver!.url('/life'),
    });
    const raised = await graphCall('PATCH', `/subscriptions/${id}`, { expirationDateTime: minutes(5) });
    expect(raised.body.expirationDateTime).toBe(minutes(45));
    expect(
      (await graphCall('PATCH', '/subscriptions/11111111-2222-4333-8444-555555555555', { expirationDateTime: minutes(100) })).body.error,
    ).toMatchObject(NOT_FOUND);
  });

  it('PATCH with a new notificationUrl validates it; deliveries then go there', async () => {
    const { graph, receiver } = await setup();
    const id = await subscribed();
    receiver.respond = (req, res, body) => (req.url!.startsWith('/broken') ? res.writeHead(500).end() : correctEndpoint(req, res, body));
    const refused = await graphCall('PATCH', `/subscriptions/${id}`, { notificationUrl: receiver.url('/broken') });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject(VALIDATION_FAILED);
    const moved = await graphCall('PATCH', `/subscriptions/${id}`, { notificationUrl: receiver.url('/moved') });
    expect(moved.body.notificationUrl).toBe(receiver.url('/moved'));
    expect(receiver.handshakes().map((h) => h.url.split('?')[0])).toEqual(['/hook', '/life', '/broken', '/moved']);
    graph.updateUser(user(1).id, { department: 'x' });
    await graph.flushNotifications();
    expect(receiver.items('/moved').map(userIdOf)).toEqual([user(1).id]);
    expect(receiver.items('/hook')).toEqual([]);
  });

  it('reauthorize answers 204 with no body, 404 for unknown ids; DELETE answers 204, then 404', async () => {
    const { graph } = await setup();
    const id = await subscribed();
    const reauthorized = await graphCall('POST', `/subscriptions/${id}/reauthorize`, {});
    expect(reauthorized.status).toBe(204);
    expect(reauthorized.body).toBeUndefined();
    expect((await graphCall('POST', '/subscriptions/11111111-2222-4333-8444-555555555555/reauthorize')).body.error).toMatchObject(
      NOT_FOUND,
    );
    expect((await graphCall('DELETE', `/subscriptions/${id}`)).status).toBe(204);
    expect(graph.subscriptions()).toEqual([]);
    const again = await graphCall('DELETE', `/subscriptions/${id}`);
    expect(again.status).toBe(404);
    expect(again.body.error).toMatchObject(NOT_FOUND);
    expect((await graphCall('POST', `/subscriptions/${id}/reauthorize`)).status).toBe(404);
  });

  it('an expired subscription (injected clock) gets nothing, is 404 to GET, PATCH, reauthorize and DELETE, stays listed', async () => {
    const { graph, receiver } = await setup();
    const id = await subscribed({ expirationDateTime: minutes(60) });
    const expiry = minutes(60);
    clock += 60 * 60_000;
    graph.updateUser(user(1).id, { department: 'Sales' });
    graph.hardDeleteUser(user(2).id);
    await graph.flushNotifications();
    expect(receiver.items()).toEqual([]);
    expect(graph.stats.notifications.itemsQueued).toBe(0);
    expect((await graphCall('GET', `/subscriptions/${id}`)).status).toBe(404);
    expect((await graphCall('PATCH', `/subscriptions/${id}`, { expirationDateTime: minutes(100) })).body.error).toMatchObject(NOT_FOUND);
    expect((await graphCall('POST', `/subscriptions/${id}/reauthorize`)).status).toBe(404);
    expect((await graphCall('DELETE', `/subscriptions/${id}`)).status).toBe(404);
    const listed = await graphCall('GET', '/subscriptions');
    expect((listed.body.value as Json[]).map((s) => [s.id, s.expirationDateTime])).toEqual([[id, expiry]]);
  });

  it('needs the bearer token, counts in stats per route, gets injected faults (changing nothing), and keeps 405 elsewhere', async () => {
    const { graph, receiver } = await setup();
    expect((await graphCall('POST', '/subscriptions', {}, 'wrong')).status).toBe(401);
    graph.faults.failNext(1, 503);
    const failed = await subscribe();
    expect(failed.status).toBe(503);
    expect(receiver.received).toEqual([]);
    expect(graph.subscriptions()).toEqual([]);
    const id = await subscribed();
    graph.faults.throttleNext(1, 7);
    const throttled = await graphCall('PATCH', `/subscriptions/${id}`, { expirationDateTime: minutes(2000) });
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('7');
    expect(graph.subscriptions()[0]!.expiresAt).toBe(Date.parse(minutes(1000)));
    graph.faults.failNext(1, 500);
    expect((await graphCall('DELETE', `/subscriptions/${id}`)).status).toBe(500);
    expect(graph.subscriptions()).toHaveLength(1);
    await graphCall('GET', '/subscriptions');
    await graphCall('GET', `/subscriptions/${id}`);
    await graphCall('POST', `/subscriptions/${id}/reauthorize`);
    await graphCall('DELETE', `/subscriptions/${id}`);
    expect((await graphCall('PUT', '/subscriptions')).status).toBe(405);
    expect((await graphCall('POST', '/users/delta')).status).toBe(405);
    expect(graph.stats.byRoute).toEqual({
      'POST /subscriptions': 3,
      'PATCH /subscriptions/{id}': 1,
      'DELETE /subscriptions/{id}': 2,
      'GET /subscriptions': 1,
      'GET /subscriptions/{id}': 1,
      'POST /subscriptions/{id}/reauthorize': 1,
      'PUT /subscriptions': 1,
      'POST /users/delta': 1,
    });
    expect(graph.stats.requests).toBe(11);
  });
});

describe('sandbox Graph: change notification delivery', () => {
  it("notifies creation, update, soft delete and restore as updated and hard delete as deleted, in Graph's exact shape", async () => {
    const { graph, receiver } = await setup();
    const subscriptionId = await subscribed();
    const id = user(9).id;
    for (const change of [
      () => graph.addUser(user(9)),
      () => graph.updateUser(id, { department: 'x' }),
      () => graph.softDeleteUser(id),
      () => graph.restoreUser(id),
      () => graph.hardDeleteUser(id),
    ]) {
      change();
      await graph.flushNotifications();
    }
    const item = (changeType: string) => ({
      subscriptionId,
      subscriptionExpirationDateTime: minutes(1000),
      changeType,
      resource: `Users/${id}`,
      resourceData: { '@odata.type': '#Microsoft.Graph.User', '@odata.id': `Users/${id}`, id, organizationId: graph.tenantId },
      clientState: 'state-1',
      tenantId: graph.tenantId,
    });
    expect(receiver.posts()).toEqual([[item('updated')], [item('updated')], [item('updated')], [item('updated')], [item('deleted')]]);
    const posts = receiver.received.filter((r) => !r.url.includes('validationToken='));
    expect(posts.map((p) => [p.method, p.url, p.contentType])).toEqual(Array(5).fill(['POST', '/hook?code=abc', 'application/json']));
    expect(graph.tenantId).toBe('00000000-0000-4000-8000-00000000c0de');
    expect(graph.stats.notifications).toMatchObject({ itemsQueued: 5, postsSent: 5, itemsDelivered: 5, itemsFailed: 0 });
  });

  it('control-API user edits notify too; seed() does not', async () => {
    const { graph, receiver } = await setup({ tenantId: '11111111-1111-4111-8111-111111111111' });
    await subscribed({ clientState: undefined });
    graph.seed([user(1)]);
    const id = user(7).id;
    expect((await graphControlCall(graph, 'POST', '/users', { id, userPrincipalName: 'u7@contoso.com' })).status).toBe(201);
    expect((await graphControlCall(graph, 'PATCH', `/users/${id}`, { department: 'x' })).status).toBe(200);
    expect((await graphControlCall(graph, 'DELETE', `/users/${id}`)).status).toBe(204);
    expect((await graphControlCall(graph, 'POST', `/users/${id}/restore`)).status).toBe(200);
    expect((await graphControlCall(graph, 'DELETE', `/users/${id}?hard=true`)).status).toBe(204);
    await graph.flushNotifications();
    const items = receiver.items();
    expect(items.map((i) => [i.changeType, userIdOf(i)])).toEqual([
      ['updated', id],
      ['updated', id],
      ['updated', id],
      ['updated', id],
      ['deleted', id],
    ]);
    expect(items.every((i) => i.clientState === null && i.tenantId === '11111111-1111-4111-8111-111111111111')).toBe(true);
  });

  it('sends only the change types a subscription asked for, and users/{id} only for that user', async () => {
    const { graph, receiver } = await setup();
    await subscribed({ changeType: 'deleted', clientState: 'deletes' });
    await subscribed({ changeType: 'updated', resource: `/users/${user(2).id}`, clientState: 'one-user' });
    graph.updateUser(user(1).id, { department: 'a' });
    graph.updateUser(user(2).id, { department: 'b' });
    graph.hardDeleteUser(user(2).id);
    graph.hardDeleteUser(user(3).id);
    await graph.flushNotifications();
    expect(receiver.items().map((i) => [i.clientState, i.changeType, userIdOf(i)])).toEqual([
      ['one-user', 'updated', user(2).id],
      ['deletes', 'deleted', user(2).id],
      ['deletes', 'deleted', user(3).id],
    ]);
  });

  it('batches what one window produced into one POST per URL (mixing subscriptions), at most 100 items per POST', async () => {
    const { graph, receiver } = await setup({ batchWindowMs: 50 });
    await subscribed({ clientState: 'a' });
    await subscribed({ clientState: 'b', lifecycleNotificationUrl: undefined });
    await subscribed({ clientState: 'c', notificationUrl: receiver.url('/other'), lifecycleNotificationUrl: undefined });
    graph.updateUser(user(1).id, { department: 'x' });
    graph.updateUser(user(2).id, { department: 'x' });
    await graph.flushNotifications();
    expect(receiver.posts('/hook').map((batch) => batch.map((i) => `${String(i.clientState)}:${userIdOf(i).slice(-1)}`))).toEqual([
      ['a:1', 'b:1', 'a:2', 'b:2'],
    ]);
    expect(receiver.posts('/other').map((batch) => batch.length)).toEqual([2]);
    receiver.received.length = 0;
    for (let n = 0; n < 75; n += 1) graph.updateUser(user((n % 3) + 1).id, { department: `d${n}` });
    await graph.flushNotifications();
    expect(receiver.posts('/hook').map((batch) => batch.length)).toEqual([100, 50]);
    expect(receiver.posts('/other').map((batch) => batch.length)).toEqual([75]);
  });

  it('retries a failed POST (500, or no answer in deliveryTimeoutMs) with the same body, then gives up and counts it', async () => {
    const { graph, receiver } = await setup({ deliveryTimeoutMs: 150 });
    await subscribed();
    const answers: ('500' | 'hang' | 'ok')[] = ['500', 'hang', 'ok'];
    receiver.respond = (req, res, body) => {
      if (tokenOf(req) !== null) return correctEndpoint(req, res, body);
      const next = answers.shift() ?? '500';
      if (next === '500') res.writeHead(500).end();
      else if (next === 'ok') res.writeHead(202).end();
    };
    graph.updateUser(user(1).id, { department: 'x' });
    await graph.flushNotifications();
    const bodies = receiver.received
      .filter((r) => r.url.startsWith('/hook?code=abc') && !r.url.includes('validationToken='))
      .map((r) => r.body);
    expect(bodies).toHaveLength(3);
    expect(new Set(bodies).size).toBe(1);
    expect(graph.stats.notifications).toMatchObject({ postsSent: 3, itemsDelivered: 1, itemsFailed: 0 });
    graph.updateUser(user(1).id, { department: 'y' });
    await graph.flushNotifications();
    expect(graph.stats.notifications).toMatchObject({ postsSent: 6, itemsDelivered: 1, itemsFailed: 1 });
  });

  it('reports every POST attempt to onDelivery, and a throwing hook changes nothing', async () => {
    const events: NotificationDeliveryEvent[] = [];
    const { graph, receiver } = await setup({
      onDelivery: (event) => {
        events.push(event);
        throw new Error('hook failure');
      },
    });
    await subscribed();
    let failOnce = true;
    receiver.respond = (req, res, body) => {
      if (tokenOf(req) === null && failOnce) {
        failOnce = false;
        return res.writeHead(503).end();
      }
      correctEndpoint(req, res, body);
    };
    graph.updateUser(user(1).id, { department: 'x' });
    await graph.flushNotifications();
    expect(events.map((e) => [e.url, e.status, e.items.map(userIdOf)])).toEqual([
      [receiver.url('/hook?code=abc'), 503, [user(1).id]],
      [receiver.url('/hook?code=abc'), 202, [user(1).id]],
    ]);
    expect(events.every((e) => e.ms >= 0)).toBe(true);
    expect(graph.stats.notifications.itemsDelivered).toBe(1);
  });

  it('drops the next items', async () => {
    const { graph, receiver } = await setup();
    await subscribed();
    graph.notifications.dropNext(2);
    for (const n of [1, 2, 3]) graph.updateUser(user(n).id, { department: 'x' });
    await graph.flushNotifications();
    expect(receiver.items().map(userIdOf)).toEqual([user(3).id]);
    expect(graph.stats.notifications).toMatchObject({ itemsQueued: 3, dropped: 2, itemsDelivered: 1 });
  });

  it('duplicates the next items, each in two POSTs', async () => {
    const { graph, receiver } = await setup();
    await subscribed();
    graph.notifications.duplicateNext(1);
    graph.updateUser(user(2).id, { department: 'b' });
    await graph.flushNotifications();
    const posts = receiver.posts();
    expect(posts.map((b) => b.map(userIdOf))).toEqual([[user(2).id], [user(2).id]]);
    expect(posts[0]).toEqual(posts[1]);
    expect(graph.stats.notifications).toMatchObject({ duplicated: 1, postsSent: 2, itemsDelivered: 2 });
  });

  it('delays the next items, so later changes overtake them', async () => {
    const { graph, receiver } = await setup();
    await subscribed();
    graph.notifications.delayNext(1, 150);
    const started = Date.now();
    graph.updateUser(user(1).id, { department: 'first' });
    graph.updateUser(user(2).id, { department: 'second' });
    await graph.flushNotifications();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(receiver.posts().map((b) => b.map(userIdOf))).toEqual([[user(2).id], [user(1).id]]);
    expect(graph.stats.notifications.delayed).toBe(1);
  });

  it('reorders: holds the next N items, then sends them newest first, one POST each', async () => {
    const { graph, receiver } = await setup();
    await subscribed();
    graph.notifications.reorderNext(3);
    for (const n of [1, 2, 3]) graph.updateUser(user(n).id, { department: 'x' });
    await graph.flushNotifications();
    expect(receiver.posts().map((b) => b.map(userIdOf))).toEqual([[user(3).id], [user(2).id], [user(1).id]]);
    expect(graph.stats.notifications.reordered).toBe(3);
  });

  it('forges the next items (a wrong clientState, nothing else changed); switches apply in the order queued', async () => {
    const { graph, receiver } = await setup();
    await subscribed();
    graph.notifications.dropNext(1);
    graph.notifications.forgeNext(1);
    graph.updateUser(user(1).id, { department: 'x' });
    graph.updateUser(user(2).id, { department: 'x' });
    graph.updateUser(user(3).id, { department: 'x' });
    await graph.flushNotifications();
    const [forged, plain, ...rest] = receiver.items();
    expect(rest).toEqual([]);
    expect(userIdOf(forged!)).toBe(user(2).id);
    expect(forged!.clientState).not.toBe('state-1');
    expect(typeof forged!.clientState).toBe('string');
    expect({ ...forged, clientState: 'state-1' }).toEqual({
      ...plain,
      resource: `Users/${user(2).id}`,
      resourceData: { ...(plain!.resourceData as Json), '@odata.id': `Users/${user(2).id}`, id: user(2).id },
    });
    expect(plain!.clientState).toBe('state-1');
    expect(graph.stats.notifications).toMatchObject({ dropped: 1, forged: 1 });
  });

  it('sends lifecycle events to the lifecycle URL, with tenantId or (as Graph sometimes does) organizationId', async () => {
    const { graph, receiver } = await setup();
    const id = await subscribed();
    await graph.notifications.sendLifecycleEvent(id, 'reauthorizationRequired');
    await graph.notifications.sendLifecycleEvent(id, 'missed', { tenantField: 'organizationId' });
    expect(receiver.posts('/life')).toEqual([
      [
        {
          subscriptionId: id,
          subscriptionExpirationDateTime: minutes(1000),
          tenantId: graph.tenantId,
          clientState: 'state-1',
          lifecycleEvent: 'reauthorizationRequired',
        },
      ],
      [
        {
          subscriptionId: id,
          subscriptionExpirationDateTime: minutes(1000),
          organizationId: graph.tenantId,
          resource: '',
          clientState: 'state-1',
          lifecycleEvent: 'missed',
        },
      ],
    ]);
    expect(receiver.received.filter((r) => r.url === '/life').every((r) => r.contentType === 'application/json')).toBe(true);
    expect(graph.stats.notifications.lifecycleSent).toBe(2);
    const bare = await subscribed({ lifecycleNotificationUrl: undefined });
    expect(() => graph.notifications.sendLifecycleEvent(bare, 'missed')).toThrow(/no lifecycleNotificationUrl/);
    expect(() => graph.notifications.sendLifecycleEvent('nope', 'missed')).toThrow(/no subscription/);
  });

  it('removeSubscription drops it, sends subscriptionRemoved, and nothing more arrives', async () => {
    const { graph, receiver } = await setup();
    const id = await subscribed();
    const bare = await subscribed({ lifecycleNotificationUrl: undefined });
    await graph.notifications.removeSubscription(id);
    await graph.notifications.removeSubscription(bare);
    expect(graph.subscriptions()).toEqual([]);
    expect(receiver.posts('/life')).toEqual([
      [
        {
          subscriptionId: id,
          subscriptionExpirationDateTime: minutes(1000),
          tenantId: graph.tenantId,
          clientState: 'state-1',
          lifecycleEvent: 'subscriptionRemoved',
        },
      ],
    ]);
    expect((await graphCall('GET', `/subscriptions/${id}`)).status).toBe(404);
    graph.updateUser(user(1).id, { department: 'x' });
    await graph.flushNotifications();
    expect(receiver.items()).toEqual([]);
    expect(() => graph.notifications.removeSubscription(id)).toThrow(/no subscription/);
  });

  it('send() POSTs any body to any URL (forged or unknown-subscription notifications)', async () => {
    const { graph, receiver } = await setup();
    const forged = [{ subscriptionId: 'unknown', changeType: 'updated', clientState: 'guess' }];
    await graph.notifications.send(receiver.url('/hook'), forged);
    expect(receiver.posts()).toEqual([forged]);
    expect(graph.stats.notifications).toMatchObject({ postsSent: 1, itemsDelivered: 1 });
  });

  it('stats.reset() zeroes the notification counters too', async () => {
    const { graph } = await setup();
    await subscribed();
    graph.updateUser(user(1).id, { department: 'x' });
    await graph.flushNotifications();
    graph.stats.reset();
    expect(graph.stats.notifications).toEqual({
      handshakesOk: 0,
      handshakesFailed: 0,
      itemsQueued: 0,
      postsSent: 0,
      itemsDelivered: 0,
      itemsFailed: 0,
      dropped: 0,
      duplicated: 0,
      delayed: 0,
      reordered: 0,
      forged: 0,
      lifecycleSent: 0,
    });
  });

  it('stop() cancels delayed and retrying deliveries, so nothing arrives afterwards and flushing ends', async () => {
    const { graph, receiver } = await setup({ retryDelaysMs: [10_000] });
    await subscribed();
    receiver.respond = (req, res, body) => (tokenOf(req) !== null ? correctEndpoint(req, res, body) : res.writeHead(500).end());
    graph.notifications.delayNext(1, 10_000);
    graph.updateUser(user(1).id, { department: 'delayed' });
    graph.updateUser(user(2).id, { department: 'retried' });
    await new Promise((r) => setTimeout(r, 100));
    expect(receiver.posts()).toHaveLength(1);
    const started = Date.now();
    await graph.stop();
    await graph.flushNotifications();
    expect(Date.now() - started).toBeLessThan(1000);
    await new Promise((r) => setTimeout(r, 50));
    expect(receiver.posts()).toHaveLength(1);
    graph.updateUser(user(3).id, { department: 'after stop' });
    expect(graph.stats.notifications.itemsQueued).toBe(2);
  });
});

describe('sandbox Graph: notification control API', () => {
  it('lists subscriptions (expired included) with the notification stats', async () => {
    const { graph } = await setup();
    const id = await subscribed({ expirationDateTime: minutes(60) });
    clock += 61 * 60_000;
    const listed = await graphControlCall(graph, 'GET', '/subscriptions');
    expect(listed.status).toBe(200);
    expect(listed.body.value).toEqual([
      expect.objectContaining({ id, expirationDateTime: new Date(START + 60 * 60_000).toISOString(), clientState: 'state-1' }),
    ]);
    expect(listed.body.notifications).toEqual(graph.stats.notifications);
  });

  it('sets notification switches, refusing malformed bodies', async () => {
    const { graph, receiver } = await setup();
    await subscribed();
    for (const bad of [{}, { delayNext: 1 }, { delayMs: 5 }, { dropNext: 0 }, { reorderNext: 1 }, { dropNext: 1, extra: true }]) {
      expect((await graphControlCall(graph, 'POST', '/notifications/faults', bad)).status, JSON.stringify(bad)).toBe(400);
    }
    const applied = await graphControlCall(graph, 'POST', '/notifications/faults', { dropNext: 1, forgeNext: 1 });
    expect(applied).toEqual({ status: 200, body: { applied: { dropNext: 1, forgeNext: 1 } } });
    expect(
      (await graphControlCall(graph, 'POST', '/notifications/faults', { duplicateNext: 1, delayNext: 1, delayMs: 30, reorderNext: 2 }))
        .status,
    ).toBe(200);
    for (const n of [1, 2, 3, 1, 2, 3, 1]) graph.updateUser(user(n).id, { department: `${Math.random()}` });
    await graph.flushNotifications();
    // Queued in order: drop, forge, duplicate, delay, reorder ×2; the seventh item is plain.
    expect(graph.stats.notifications).toMatchObject({ itemsQueued: 7, dropped: 1, forged: 1, duplicated: 1, delayed: 1, reordered: 2 });
    // forged 1 + duplicated 2 + delayed 1 + reordered 2 + plain 1
    expect(receiver.items()).toHaveLength(7);
  });

  it('sends lifecycle events and removes subscriptions, answering 404 / 409 / 400 for what cannot be done', async () => {
    const { graph, receiver } = await setup();
    const id = await subscribed();
    const bare = await subscribed({ lifecycleNotificationUrl: undefined });
    expect(
      await graphControlCall(graph, 'POST', `/subscriptions/${id}/lifecycle`, { event: 'missed', tenantField: 'organizationId' }),
    ).toEqual({
      status: 202,
      body: { sent: 'missed' },
    });
    expect((await graphControlCall(graph, 'POST', `/subscriptions/${id}/lifecycle`, { event: 'reauthorizationRequired' })).status).toBe(
      202,
    );
    expect((await graphControlCall(graph, 'POST', `/subscriptions/${id}/lifecycle`, { event: 'explode' })).status).toBe(400);
    expect((await graphControlCall(graph, 'POST', `/subscriptions/${bare}/lifecycle`, { event: 'missed' })).status).toBe(409);
    expect((await graphControlCall(graph, 'POST', '/subscriptions/nope/lifecycle', { event: 'missed' })).status).toBe(404);
    expect((await graphControlCall(graph, 'GET', `/subscriptions/${id}/lifecycle`)).status).toBe(405);
    expect((await graphControlCall(graph, 'DELETE', `/subscriptions/${id}`)).status).toBe(204);
    expect((await graphControlCall(graph, 'DELETE', `/subscriptions/${id}`)).status).toBe(404);
    await graph.flushNotifications();
    expect(graph.subscriptions().map((s) => s.id)).toEqual([bare]);
    // Each control call starts its own POST, so they may arrive in any order.
    expect(
      receiver
        .items('/life')
        .map((i) => [i.lifecycleEvent, 'organizationId' in i])
        .sort(),
    ).toEqual([
      ['missed', true],
      ['reauthorizationRequired', false],
      ['subscriptionRemoved', false],
    ]);
  });
});
