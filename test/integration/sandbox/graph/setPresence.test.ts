import { randomUUID } from 'node:crypto';
import { ClientSecretCredential } from '@azure/identity';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EntraSandbox } from '../../../../sandbox/entra';
import { GraphSandbox, type SandboxUser, generateUsers } from '../../../../sandbox/graph';
import { graphControlCall } from '../../../support/graphControlCall';

const MINUTE = 60_000;
const START = Date.parse('2026-03-02T09:00:00Z');

let clock = START;
let graph: GraphSandbox;
let users: SandboxUser[];

beforeAll(async () => {
  // The sandbox's clock, moved by hand: sessions expire without waiting.
  graph = await GraphSandbox.start({ now: () => clock });
});
afterAll(() => graph.stop());
beforeEach(() => {
  clock = START;
  users = generateUsers(5, { seed: 41 });
  graph.seed(users);
  graph.stats.reset();
});

interface Answer {
  status: number;
  body: any;
}

async function call(method: string, path: string, body?: unknown, token = graph.token, on = graph): Promise<Answer> {
  const res = await fetch(`${on.baseUrl}/v1.0${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const setPresence = (userId: string, body: Record<string, unknown>) =>
  call('POST', `/users/${encodeURIComponent(userId)}/presence/setPresence`, { sessionId: graph.sandboxTokenAppId, ...body });
const clearPresence = (userId: string, sessionId = graph.sandboxTokenAppId) =>
  call('POST', `/users/${encodeURIComponent(userId)}/presence/clearPresence`, { sessionId });

async function presenceOf(userId: string): Promise<{ availability: string; activity: string }> {
  const res = await call('GET', `/users/${userId}/presence`);
  expect(res.status).toBe(200);
  return { availability: res.body.availability, activity: res.body.activity };
}

async function bulkPresenceOf(userId: string): Promise<{ availability: string; activity: string }> {
  const res = await call('POST', '/communications/getPresencesByUserId', { ids: [userId] });
  expect(res.status).toBe(200);
  const [item] = res.body.value as { availability: string; activity: string }[];
  return { availability: item!.availability, activity: item!.activity };
}

describe('sandbox Graph: setPresence', () => {
  it('opens an app session: Busy/InACall reads back from GET presence and getPresencesByUserId, 200 without a body', async () => {
    const user = users[0]!;
    expect(await presenceOf(user.id)).toEqual({ availability: 'Offline', activity: 'Offline' });
    clock += 1234;
    const set = await setPresence(user.id, { availability: 'Busy', activity: 'InACall', expirationDuration: 'PT1H' });
    expect(set).toEqual({ status: 200, body: undefined });
    expect(await presenceOf(user.id)).toEqual({ availability: 'Busy', activity: 'InACall' });
    expect(await bulkPresenceOf(user.id)).toEqual({ availability: 'Busy', activity: 'InACall' });
    // Other users are untouched.
    expect(await presenceOf(users[1]!.id)).toEqual({ availability: 'Offline', activity: 'Offline' });

    expect(graph.appPresenceSessions(user.id)).toEqual({
      availability: 'Busy',
      activity: 'InACall',
      client: null,
      sessions: [
        {
          sessionId: graph.sandboxTokenAppId,
          availability: 'Busy',
          activity: 'InACall',
          expiresAt: START + 1234 + 60 * MINUTE,
          setAt: START + 1234,
        },
      ],
      lastWrite: {
        action: 'setPresence',
        at: START + 1234,
        sessionId: graph.sandboxTokenAppId,
        availability: 'Busy',
        activity: 'InACall',
        expiresAt: START + 1234 + 60 * MINUTE,
      },
    });
    const view = await graphControlCall(graph, 'GET', `/presence/${user.id}/sessions`);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({
      userId: user.id,
      availability: 'Busy',
      activity: 'InACall',
      sessions: [{ sessionId: graph.sandboxTokenAppId, availability: 'Busy', activity: 'InACall', expiresAt: START + 1234 + 60 * MINUTE }],
      lastWrite: { action: 'setPresence', at: START + 1234 },
    });
    // The existing per-user control view keeps its shape and shows the aggregate.
    expect((await graphControlCall(graph, 'GET', `/presence/${user.id}`)).body).toEqual({
      userId: user.id,
      availability: 'Busy',
      activity: 'InACall',
    });
    expect(graph.presenceWriteStats()).toEqual({ setPresence: 1, setPresenceRefused: 0, clearPresence: 0, clearPresenceRefused: 0 });
    // Writes stay out of the read counters and the read budget.
    expect(graph.presenceStats()).toEqual({ calls: 4, throttled: 0, idsRequested: 4 });
  });

  it('takes a userPrincipalName and replaces the session when set again (new state, new expiry)', async () => {
    const user = users[1]!;
    expect((await setPresence(user.userPrincipalName, { availability: 'Busy', activity: 'InACall' })).status).toBe(200);
    clock += 4 * MINUTE;
    expect((await setPresence(user.id, { availability: 'Away', activity: 'Away' })).status).toBe(200);
    expect(await presenceOf(user.id)).toEqual({ availability: 'Away', activity: 'Away' });
    expect(graph.appPresenceSessions(user.id).sessions).toEqual([
      expect.objectContaining({ availability: 'Away', expiresAt: START + 9 * MINUTE }),
    ]);
    // The replaced session's first expiry (5 minutes after the first call) no longer applies.
    clock = START + 6 * MINUTE;
    expect(await presenceOf(user.id)).toEqual({ availability: 'Away', activity: 'Away' });
  });

  it('refuses a sessionId that is not the caller’s client id, with Graph’s error body', async () => {
    const user = users[0]!;
    const res = await setPresence(user.id, { sessionId: randomUUID(), availability: 'Busy', activity: 'InACall' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('BadRequest');
    expect(res.body.error.message).toContain('client id');
    expect(await presenceOf(user.id)).toEqual({ availability: 'Offline', activity: 'Offline' });
    expect(graph.presenceWriteStats()).toEqual({ setPresence: 0, setPresenceRefused: 1, clearPresence: 0, clearPresenceRefused: 0 });
  });

  it('refuses pairs outside Graph’s five, and malformed bodies, with 400', async () => {
    const user = users[0]!;
    const bad: Record<string, unknown>[] = [
      { availability: 'Busy', activity: 'Busy' },
      { availability: 'Busy', activity: 'InAMeeting' },
      { availability: 'DoNotDisturb', activity: 'DoNotDisturb' },
      { availability: 'Available', activity: 'InACall' },
      { availability: 'Offline', activity: 'Offline' },
      { availability: 'Busy' },
      { availability: 'Busy', activity: 'InACall', statusMessage: 'hi' },
      { sessionId: 42, availability: 'Busy', activity: 'InACall' },
    ];
    for (const body of bad) {
      const res = await setPresence(user.id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('BadRequest');
    }
    const pair = await setPresence(user.id, { availability: 'Busy', activity: 'Busy' });
    expect(pair.body.error.message).toContain("'Busy/Busy' is not an availability/activity pair");
    const notJson = await call('POST', `/users/${user.id}/presence/setPresence`, '{"sessionId":');
    expect(notJson.status).toBe(400);
    expect(await presenceOf(user.id)).toEqual({ availability: 'Offline', activity: 'Offline' });
    expect(graph.presenceWriteStats().setPresenceRefused).toBe(bad.length + 2);
    expect(graph.presenceWriteStats().setPresence).toBe(0);
  });

  it('takes expirationDuration from PT5M to PT4H inclusive and refuses PT1M, PT5H and non-durations', async () => {
    const user = users[0]!;
    for (const expirationDuration of ['PT1M', 'PT5H', 'PT4M59S', 'PT4H0M1S', 'five minutes', 'P1M']) {
      const res = await setPresence(user.id, { availability: 'Available', activity: 'Available', expirationDuration });
      expect(res.status, expirationDuration).toBe(400);
      expect(res.body.error.message, expirationDuration).toContain('expirationDuration');
    }
    expect(graph.appPresenceSessions(user.id).sessions).toEqual([]);
    expect((await setPresence(user.id, { availability: 'Available', activity: 'Available', expirationDuration: 'PT5M' })).status).toBe(200);
    expect(graph.appPresenceSessions(user.id).sessions[0]!.expiresAt).toBe(START + 5 * MINUTE);
    expect((await setPresence(user.id, { availability: 'Available', activity: 'Available', expirationDuration: 'PT4H' })).status).toBe(200);
    expect(graph.appPresenceSessions(user.id).sessions[0]!.expiresAt).toBe(START + 240 * MINUTE);
  });

  it('answers 404 for an unknown user and 405 for GET', async () => {
    const unknown = randomUUID();
    const res = await setPresence(unknown, { availability: 'Busy', activity: 'InACall' });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('Request_ResourceNotFound');
    expect((await clearPresence(unknown)).status).toBe(404);
    expect((await call('GET', `/users/${users[0]!.id}/presence/setPresence`)).status).toBe(405);
    expect(graph.presenceWriteStats()).toEqual({ setPresence: 0, setPresenceRefused: 2, clearPresence: 0, clearPresenceRefused: 1 });
  });
});

describe('sandbox Graph: aggregation and clearPresence', () => {
  it('clearPresence goes back to the Teams client state; clearing twice is 404', async () => {
    const user = users[2]!;
    expect(
      (await graphControlCall(graph, 'POST', `/presence/${user.id}`, { availability: 'Available', activity: 'Available' })).status,
    ).toBe(200);
    expect((await setPresence(user.id, { availability: 'Busy', activity: 'InACall' })).status).toBe(200);
    expect(await presenceOf(user.id)).toEqual({ availability: 'Busy', activity: 'InACall' });

    clock += 30_000;
    expect(await clearPresence(user.id)).toEqual({ status: 200, body: undefined });
    expect(await presenceOf(user.id)).toEqual({ availability: 'Available', activity: 'Available' });
    expect(graph.appPresenceSessions(user.id).lastWrite).toEqual({
      action: 'clearPresence',
      at: START + 30_000,
      sessionId: graph.sandboxTokenAppId,
    });

    const again = await clearPresence(user.id);
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('NotFound');
    // Another user never had the session.
    expect((await clearPresence(users[3]!.id)).status).toBe(404);
    expect(graph.presenceWriteStats()).toEqual({ setPresence: 1, setPresenceRefused: 0, clearPresence: 1, clearPresenceRefused: 2 });
    expect((await graphControlCall(graph, 'GET', '/presence/stats/writes')).body).toEqual({
      setPresence: 1,
      setPresenceRefused: 0,
      clearPresence: 1,
      clearPresenceRefused: 2,
    });
  });

  it('clearPresence of a user without a client state leaves them Offline', async () => {
    const user = users[3]!;
    expect((await setPresence(user.id, { availability: 'Available', activity: 'Available' })).status).toBe(200);
    expect(await presenceOf(user.id)).toEqual({ availability: 'Available', activity: 'Available' });
    expect((await clearPresence(user.id)).status).toBe(200);
    expect(await bulkPresenceOf(user.id)).toEqual({ availability: 'Offline', activity: 'Offline' });
  });

  it('ends a session at its expiry on the sandbox clock; clearing it afterwards is 404', async () => {
    const user = users[4]!;
    graph.setPresence(user.id, 'Away', 'BeRightBack');
    expect((await setPresence(user.id, { availability: 'Busy', activity: 'InAConferenceCall' })).status).toBe(200);
    clock = START + 5 * MINUTE - 1;
    expect(await presenceOf(user.id)).toEqual({ availability: 'Busy', activity: 'InAConferenceCall' });
    clock = START + 5 * MINUTE;
    expect(await presenceOf(user.id)).toEqual({ availability: 'Away', activity: 'BeRightBack' });
    expect(graph.appPresenceSessions(user.id).sessions).toEqual([]);
    expect((await clearPresence(user.id)).status).toBe(404);
  });

  it('a DoNotDisturb Teams client beats a Busy app session, and wins back nothing when it goes Available', async () => {
    const user = users[0]!;
    graph.setPresence(user.id, 'DoNotDisturb', 'DoNotDisturb');
    expect((await setPresence(user.id, { availability: 'Busy', activity: 'InACall' })).status).toBe(200);
    expect(await presenceOf(user.id)).toEqual({ availability: 'DoNotDisturb', activity: 'DoNotDisturb' });
    expect(await bulkPresenceOf(user.id)).toEqual({ availability: 'DoNotDisturb', activity: 'DoNotDisturb' });
    // The client leaves DND: the app's Busy session outranks Available.
    graph.setPresence(user.id, 'Available', 'Available');
    expect(await presenceOf(user.id)).toEqual({ availability: 'Busy', activity: 'InACall' });
    // The app's DND (Presenting) beats a Busy client.
    graph.setPresence(user.id, 'Busy', 'InAMeeting');
    expect((await setPresence(user.id, { availability: 'DoNotDisturb', activity: 'Presenting' })).status).toBe(200);
    expect(await presenceOf(user.id)).toEqual({ availability: 'DoNotDisturb', activity: 'Presenting' });
  });

  it('forgets app sessions when the directory is reseeded', async () => {
    const user = users[0]!;
    expect((await setPresence(user.id, { availability: 'Busy', activity: 'InACall' })).status).toBe(200);
    graph.seed(users);
    expect(await presenceOf(user.id)).toEqual({ availability: 'Offline', activity: 'Offline' });
    expect((await clearPresence(user.id)).status).toBe(404);
  });
});

describe('sandbox Graph: setPresence with an Entra application token', () => {
  const directoryId = '00000000-0000-4000-8000-00000000c0de';
  let entra: EntraSandbox;
  let withEntra: GraphSandbox;
  let appId: string;
  let token: string;

  beforeAll(async () => {
    entra = await EntraSandbox.start();
    entra.addDirectory(directoryId);
    withEntra = await GraphSandbox.start({ entra, tenantId: directoryId });
    const app = entra.registerApplication({ displayName: 'Presence writer', homeDirectoryId: directoryId });
    appId = app.appId;
    const secret = entra.addPassword(app.objectId, { endDateTime: new Date(Date.now() + 24 * 60 * MINUTE) });
    const credential = new ClientSecretCredential(directoryId, appId, secret, {
      authorityHost: entra.authorityHost,
      disableInstanceDiscovery: true,
      tlsOptions: { ca: entra.caPem },
    });
    token = (await credential.getToken('https://graph.microsoft.com/.default')).token;
  });
  afterAll(async () => {
    await withEntra.stop();
    await entra.stop();
  });

  it('wants the app’s own client id as sessionId, not the sandbox token’s', async () => {
    const [user] = generateUsers(1, { seed: 42 });
    withEntra.seed([user!]);
    const path = `/users/${user!.id}/presence`;
    const busy = { availability: 'Busy', activity: 'InACall' };
    const foreign = await call('POST', `${path}/setPresence`, { sessionId: withEntra.sandboxTokenAppId, ...busy }, token, withEntra);
    expect(foreign.status).toBe(400);
    expect((await call('POST', `${path}/setPresence`, { sessionId: appId, ...busy }, token, withEntra)).status).toBe(200);
    expect((await call('GET', path, undefined, token, withEntra)).body).toMatchObject(busy);
    expect(withEntra.appPresenceSessions(user!.id).sessions.map((s) => s.sessionId)).toEqual([appId]);
    // The sandbox token is another app: it can neither clear this app's session nor name it.
    expect((await call('POST', `${path}/clearPresence`, { sessionId: appId }, withEntra.token, withEntra)).status).toBe(400);
    expect((await call('POST', `${path}/clearPresence`, { sessionId: appId }, token, withEntra)).status).toBe(200);
    expect((await call('GET', path, undefined, token, withEntra)).body).toMatchObject({ availability: 'Offline', activity: 'Offline' });
  });
});
