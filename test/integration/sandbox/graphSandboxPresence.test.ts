import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GraphSandbox, type SandboxUser, generateUsers } from '../../../sandbox/graph';
import { graphControlCall } from '../../support/graphControlCall';

interface PresenceItem {
  id: string;
  availability: string;
  activity: string;
  [key: string]: unknown;
}
interface GraphErrorBody {
  error: { code: string; message: string };
}

let graph: GraphSandbox;
let users: SandboxUser[];

beforeAll(async () => {
  graph = await GraphSandbox.start();
});
afterAll(() => graph.stop());
beforeEach(() => {
  users = generateUsers(700, { seed: 31 });
  graph.seed(users);
  graph.stats.reset();
});

const auth = (on: GraphSandbox) => ({ authorization: `Bearer ${on.token}` });

/** `POST /communications/getPresencesByUserId` with a raw body (tests send malformed ones too). */
const postPresences = (body: unknown, on: GraphSandbox = graph) =>
  fetch(`${on.baseUrl}/v1.0/communications/getPresencesByUserId`, {
    method: 'POST',
    headers: { ...auth(on), 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

const getPresence = (path: string, on: GraphSandbox = graph) => fetch(`${on.baseUrl}/v1.0${path}`, { headers: auth(on) });

async function presencesOf(ids: string[], on: GraphSandbox = graph): Promise<PresenceItem[]> {
  const res = await postPresences({ ids }, on);
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { value: PresenceItem[] }).value;
}

async function refusal(res: Response): Promise<GraphErrorBody['error']> {
  return ((await res.json()) as GraphErrorBody).error;
}

describe('sandbox Graph: getPresencesByUserId', () => {
  it('answers 650 ids at once; unknown ids are absent and untouched users read Offline/Offline', async () => {
    graph.setPresence(users[3]!.id, 'Busy', 'InAMeeting');
    graph.setPresence(users[600]!.id, 'DoNotDisturb', 'Presenting');
    const unknown = Array.from({ length: 10 }, () => randomUUID());
    const ids = [...users.slice(0, 640).map((u) => u.id), ...unknown];
    expect(ids).toHaveLength(650);

    const value = await presencesOf(ids);
    expect(value).toHaveLength(640);
    expect(value.map((p) => p.id).sort()).toEqual(
      users
        .slice(0, 640)
        .map((u) => u.id)
        .sort(),
    );
    const byId = new Map(value.map((p) => [p.id, p]));
    expect(byId.get(users[3]!.id)).toMatchObject({ availability: 'Busy', activity: 'InAMeeting' });
    expect(byId.get(users[600]!.id)).toMatchObject({ availability: 'DoNotDisturb', activity: 'Presenting' });
    expect(byId.get(users[0]!.id)).toEqual({
      '@odata.type': '#microsoft.graph.presence',
      id: users[0]!.id,
      availability: 'Offline',
      activity: 'Offline',
      statusMessage: null,
      outOfOfficeSettings: { message: null, isOutOfOffice: false },
    });
    expect(value.filter((p) => p.availability !== 'Offline').map((p) => p.id)).toEqual([users[3]!.id, users[600]!.id]);
    expect(graph.presenceStats()).toEqual({ calls: 1, throttled: 0, idsRequested: 650 });
  });

  it('refuses 651 ids, ids that are not strings and malformed bodies with a Graph-style 400', async () => {
    const tooMany = await postPresences({ ids: Array.from({ length: 651 }, () => randomUUID()) });
    expect(tooMany.status).toBe(400);
    const tooManyError = await refusal(tooMany);
    expect(tooManyError.code).toBe('BadRequest');
    expect(tooManyError.message).toContain('at most 650 ids');

    const numbers = await postPresences({ ids: [users[0]!.id, 42] });
    expect(numbers.status).toBe(400);
    expect((await refusal(numbers)).message).toContain('every id must be a string');

    const notAnArray = await postPresences({ ids: users[0]!.id });
    expect(notAnArray.status).toBe(400);
    expect((await refusal(notAnArray)).message).toContain('ids must be an array of strings');

    const extra = await postPresences({ ids: [users[0]!.id], select: 'availability' });
    expect(extra.status).toBe(400);
    expect((await postPresences('{"ids": [')).status).toBe(400);
    expect((await postPresences('')).status).toBe(400);
    // Not a single presence was read by the refused requests.
    expect(graph.presenceStats()).toEqual({ calls: 6, throttled: 0, idsRequested: 0 });
  });

  it('leaves soft-deleted users out and needs the bearer token and POST', async () => {
    graph.softDeleteUser(users[1]!.id);
    expect((await presencesOf([users[0]!.id, users[1]!.id])).map((p) => p.id)).toEqual([users[0]!.id]);
    const anonymous = await fetch(`${graph.baseUrl}/v1.0/communications/getPresencesByUserId`, {
      method: 'POST',
      body: JSON.stringify({ ids: [users[0]!.id] }),
    });
    expect(anonymous.status).toBe(401);
    expect((await getPresence('/communications/getPresencesByUserId')).status).toBe(405);
  });
});

describe('sandbox Graph: one user’s presence', () => {
  it('answers /users/{id|upn}/presence and /communications/presences/{id}; 404 for an unknown user', async () => {
    const user = users[5]!;
    graph.setPresence(user.id, 'Away', 'OutOfOffice');
    for (const path of [
      `/users/${user.id}/presence`,
      `/users/${encodeURIComponent(user.userPrincipalName)}/presence`,
      `/communications/presences/${user.id}`,
    ]) {
      const res = await getPresence(path);
      expect(res.status, path).toBe(200);
      expect(await res.json()).toMatchObject({
        id: user.id,
        availability: 'Away',
        activity: 'OutOfOffice',
        outOfOfficeSettings: { isOutOfOffice: true },
      });
    }
    const unknown = randomUUID();
    for (const path of [`/users/${unknown}/presence`, `/communications/presences/${unknown}`]) {
      const res = await getPresence(path);
      expect(res.status, path).toBe(404);
      expect((await refusal(res)).code).toBe('Request_ResourceNotFound');
    }
    // A userPrincipalName is not an object id, which /communications/presences/{id} wants.
    expect((await getPresence(`/communications/presences/${encodeURIComponent(user.userPrincipalName)}`)).status).toBe(404);
    expect(graph.presenceStats()).toEqual({ calls: 6, throttled: 0, idsRequested: 3 });
  });
});

describe('sandbox Graph: presence control API', () => {
  it('sets one user’s presence, which Graph then answers', async () => {
    const user = users[7]!;
    const set = await graphControlCall(graph, 'POST', `/presence/${user.id}`, { availability: 'Busy', activity: 'InACall' });
    expect(set).toEqual({ status: 200, body: { userId: user.id, availability: 'Busy', activity: 'InACall' } });
    expect(await presencesOf([user.id])).toMatchObject([{ id: user.id, availability: 'Busy', activity: 'InACall' }]);
    expect(graph.getPresence(user.id)).toEqual({ availability: 'Busy', activity: 'InACall' });
    expect((await graphControlCall(graph, 'GET', `/presence/${user.id}`)).body).toEqual({
      userId: user.id,
      availability: 'Busy',
      activity: 'InACall',
    });
    // Control calls are not Graph traffic.
    expect(graph.presenceStats().calls).toBe(1);
  });

  it('changes 100 of 700 users in one call, and exactly those read differently', async () => {
    const changed = users.filter((_, i) => i % 7 === 0).slice(0, 100);
    const changes = changed.map((u, i) => ({
      userId: u.id,
      availability: i % 2 === 0 ? 'Available' : 'BeRightBack',
      activity: i % 2 === 0 ? 'Available' : 'BeRightBack',
    }));
    const res = await graphControlCall(graph, 'POST', '/presence', { changes });
    expect(res).toEqual({ status: 200, body: { changed: 100 } });

    const read = [...(await presencesOf(users.slice(0, 650).map((u) => u.id))), ...(await presencesOf(users.slice(650).map((u) => u.id)))];
    expect(read).toHaveLength(700);
    const notOffline = read.filter((p) => p.availability !== 'Offline');
    expect(new Set(notOffline.map((p) => p.id))).toEqual(new Set(changed.map((u) => u.id)));
    const expected = new Map(changes.map((c) => [c.userId, c.availability]));
    for (const p of notOffline) expect(p.availability).toBe(expected.get(p.id));
  });

  it('refuses values outside Graph’s lists and malformed bodies with 400, unknown users with 404', async () => {
    const user = users[8]!;
    const bad = [
      { availability: 'Lunch', activity: 'Available' },
      { availability: 'Available', activity: 'Napping' },
      { availability: 'Available' },
      { availability: 'available', activity: 'available' },
      { availability: 'Available', activity: 'Available', statusMessage: 'hi' },
    ];
    for (const body of bad) {
      const res = await graphControlCall(graph, 'POST', `/presence/${user.id}`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error?.code).toBe('BadRequest');
    }
    const lunch = await graphControlCall(graph, 'POST', `/presence/${user.id}`, { availability: 'Lunch', activity: 'Available' });
    expect(lunch.body.error?.message).toContain('availability: must be one of Available, AvailableIdle');

    expect((await graphControlCall(graph, 'POST', '/presence', { changes: [] })).status).toBe(400);
    expect((await graphControlCall(graph, 'POST', '/presence', { changes: [{ userId: user.id, availability: 'Busy' }] })).status).toBe(400);

    const unknown = randomUUID();
    expect((await graphControlCall(graph, 'POST', `/presence/${unknown}`, { availability: 'Busy', activity: 'Busy' })).status).toBe(404);
    // One unknown user in a batch changes nobody.
    const mixed = await graphControlCall(graph, 'POST', '/presence', {
      changes: [
        { userId: user.id, availability: 'Busy', activity: 'Busy' },
        { userId: unknown, availability: 'Busy', activity: 'Busy' },
      ],
    });
    expect(mixed.status).toBe(404);
    expect(mixed.body.error?.message).toContain(unknown);
    expect(graph.getPresence(user.id)).toEqual({ availability: 'Offline', activity: 'Offline' });
    expect((await graphControlCall(graph, 'DELETE', '/presence/stats')).status).toBe(405);
  });

  it('forgets every presence when the directory is reseeded', async () => {
    graph.setPresence(users[0]!.id, 'Busy', 'Busy');
    graph.seed(users);
    expect(await presencesOf([users[0]!.id])).toMatchObject([{ availability: 'Offline', activity: 'Offline' }]);
  });
});

describe('sandbox Graph: presence throttling', () => {
  let limited: GraphSandbox;
  let few: SandboxUser[];

  beforeAll(async () => {
    limited = await GraphSandbox.start({ presenceLimits: { requestsPerWindow: 3, windowMs: 1500 } });
  });
  afterAll(() => limited.stop());
  beforeEach(() => {
    few = generateUsers(3, { seed: 32 });
    limited.seed(few);
    limited.stats.reset();
  });

  it('answers 429 TooManyRequests with Retry-After past the budget (bulk and single GETs together), then serves again', async () => {
    const ids = few.map((u) => u.id);
    expect(await presencesOf(ids, limited)).toHaveLength(3);
    expect((await getPresence(`/users/${ids[0]}/presence`, limited)).status).toBe(200);
    expect((await getPresence(`/communications/presences/${ids[1]}`, limited)).status).toBe(200);

    const refused = await postPresences({ ids }, limited);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(2);
    expect((await refusal(refused)).code).toBe('TooManyRequests');
    const single = await getPresence(`/users/${ids[2]}/presence`, limited);
    expect(single.status).toBe(429);
    expect(single.headers.get('retry-after')).toMatch(/^\d+$/);

    const stats = await graphControlCall(limited, 'GET', '/presence/stats');
    expect(stats).toEqual({ status: 200, body: { calls: 5, throttled: 2, idsRequested: 5 } });
    expect(limited.presenceStats()).toEqual({ calls: 5, throttled: 2, idsRequested: 5 });

    await new Promise((r) => setTimeout(r, 1600));
    expect(await presencesOf(ids, limited)).toHaveLength(3);
    expect(limited.presenceStats()).toEqual({ calls: 6, throttled: 2, idsRequested: 8 });

    limited.stats.reset();
    expect(limited.presenceStats()).toEqual({ calls: 0, throttled: 0, idsRequested: 0 });
    // reset() also gives the budget back.
    expect((await postPresences({ ids }, limited)).status).toBe(200);
  });

  it('counts duplicate ids once and answers each user once', async () => {
    const id = few[0]!.id;
    expect((await presencesOf([id, id, id], limited)).map((p) => p.id)).toEqual([id]);
    expect(limited.presenceStats().idsRequested).toBe(1);
  });
});
