import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TenantConfigSchema } from '../../../shared/config/TenantConfig';
import { GraphPresenceReader } from '../../../shared/graph/GraphPresenceReader';
import { MAX_PRESENCE_IDS_PER_CALL } from '../../../shared/graph/PresenceReader';
import { createGraphClient } from '../../../shared/graph/createGraphClient';
import { GraphSandbox, type SandboxUser, generateUsers } from '../../../sandbox/graph';
import { appErrorOf } from '../../support/appErrorOf';

let graph: GraphSandbox;
let reader: GraphPresenceReader;
let users: SandboxUser[];

/** A reader on the Graph at `graphBaseUrl` (the sandbox, or a stand-in), built as the connector builds it. */
async function readerOn(graphBaseUrl: string, token: string, options: { maxRetries?: number } = {}): Promise<GraphPresenceReader> {
  const microsoft365 = TenantConfigSchema.shape.microsoft365.parse({
    directoryId: '00000000-0000-4000-8000-000000000001',
    applicationId: '00000000-0000-4000-8000-000000000002',
    auth: { kind: 'sandbox', graphBaseUrl },
  });
  const connection = await createGraphClient({
    microsoft365,
    credentialSecret: token,
    ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
  });
  return new GraphPresenceReader(connection.client, connection.versionRoot, connection.requestCount);
}

beforeAll(async () => {
  graph = await GraphSandbox.start();
  reader = await readerOn(graph.baseUrl, graph.token);
});
afterAll(() => graph.stop());
beforeEach(() => {
  users = generateUsers(660, { seed: 41 });
  graph.seed(users);
  graph.stats.reset();
});

describe('GraphPresenceReader over the sandbox Graph', () => {
  it('reads 650 users in one request; unknown ids are absent', async () => {
    graph.setPresence(users[2]!.id, 'Busy', 'InACall');
    graph.setPresence(users[9]!.id, 'AvailableIdle', 'Inactive');
    const unknown = randomUUID();
    const ids = [...users.slice(0, 649).map((u) => u.id), unknown];
    const before = reader.requestCount();

    const presences = await reader.getPresences(ids);
    expect(reader.requestCount() - before).toBe(1);
    expect(graph.presenceStats()).toEqual({ calls: 1, throttled: 0, idsRequested: 650 });
    expect(presences).toHaveLength(649);
    expect(presences.some((p) => p.userId === unknown)).toBe(false);
    expect(presences.find((p) => p.userId === users[2]!.id)).toEqual({ userId: users[2]!.id, availability: 'Busy', activity: 'InACall' });
    expect(presences.find((p) => p.userId === users[9]!.id)).toEqual({
      userId: users[9]!.id,
      availability: 'AvailableIdle',
      activity: 'Inactive',
    });
    expect(presences.filter((p) => p.availability === 'Offline' && p.activity === 'Offline')).toHaveLength(647);
  });

  it('sees a change made through the sandbox on the next read', async () => {
    const id = users[0]!.id;
    expect(await reader.getPresences([id])).toEqual([{ userId: id, availability: 'Offline', activity: 'Offline' }]);
    graph.setPresence(id, 'DoNotDisturb', 'Presenting');
    expect(await reader.getPresences([id])).toEqual([{ userId: id, availability: 'DoNotDisturb', activity: 'Presenting' }]);
  });

  it('answers an empty list without a request', async () => {
    const before = reader.requestCount();
    expect(await reader.getPresences([])).toEqual([]);
    expect(reader.requestCount()).toBe(before);
    expect(graph.presenceStats().calls).toBe(0);
  });

  it('refuses more than 650 ids as INVALID without a request', async () => {
    const before = reader.requestCount();
    const err = await appErrorOf(reader.getPresences(users.slice(0, MAX_PRESENCE_IDS_PER_CALL + 1).map((u) => u.id)));
    expect(err.code).toBe('INVALID');
    expect(err.message).toContain('651 ids');
    expect(err.message).toContain('at most 650');
    expect(reader.requestCount()).toBe(before);
    expect(graph.presenceStats().calls).toBe(0);
  });
});

describe('GraphPresenceReader under Graph’s presence limit', () => {
  let limited: GraphSandbox;

  beforeAll(async () => {
    limited = await GraphSandbox.start({ presenceLimits: { requestsPerWindow: 2, windowMs: 1000 } });
  });
  afterAll(() => limited.stop());
  beforeEach(() => {
    limited.seed(users.slice(0, 3));
    limited.stats.reset();
  });

  it('waits out a 429 (Retry-After) and then succeeds', async () => {
    const on = await readerOn(limited.baseUrl, limited.token);
    const ids = users.slice(0, 3).map((u) => u.id);
    limited.setPresence(ids[1]!, 'Away', 'Away');
    await on.getPresences(ids);
    await on.getPresences(ids);
    const before = on.requestCount();
    const started = Date.now();

    const third = await on.getPresences(ids);
    expect(third.find((p) => p.userId === ids[1])).toEqual({ userId: ids[1], availability: 'Away', activity: 'Away' });
    expect(third).toHaveLength(3);
    const stats = limited.presenceStats();
    expect(stats.throttled).toBeGreaterThanOrEqual(1);
    expect(stats.calls).toBe(2 + 1 + stats.throttled);
    expect(on.requestCount() - before).toBe(1 + stats.throttled);
    // Retry-After was honoured rather than retried at once (Retry-After: 1 s).
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('ends as THROTTLED with the Retry-After when retries run out', async () => {
    const on = await readerOn(limited.baseUrl, limited.token, { maxRetries: 0 });
    const ids = [users[0]!.id];
    await on.getPresences(ids);
    await on.getPresences(ids);
    const err = await appErrorOf(on.getPresences(ids));
    expect(err.code).toBe('THROTTLED');
    expect(err.retryAfterMs).toBe(1000);
    expect(limited.presenceStats()).toEqual({ calls: 3, throttled: 1, idsRequested: 2 });
  });
});

describe('GraphPresenceReader against a stand-in Graph', () => {
  let standIn: Server;
  let standInUrl: string;
  /** What the stand-in answers to every request: status and raw body. */
  let answer: { status: number; body: string };

  beforeAll(async () => {
    standIn = createServer((req, res) => {
      req.resume();
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
    });
    await new Promise<void>((resolve) => standIn.listen(0, '127.0.0.1', () => resolve()));
    standInUrl = `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => standIn.close(() => resolve())));

  it('fails clearly on a malformed answer', async () => {
    const on = await readerOn(standInUrl, 'stand-in-token');
    answer = { status: 200, body: JSON.stringify({ value: [{ id: 42, availability: 'Busy', activity: 'Busy' }] }) };
    const wrongId = await appErrorOf(on.getPresences(['a']));
    expect(wrongId.code).toBe('INTERNAL');
    expect(wrongId.message).toMatch(/^reading the Teams presence of 1 users: unexpected answer from Graph at value\.0\.id: /);

    answer = { status: 200, body: JSON.stringify({ presences: [] }) };
    const noValue = await appErrorOf(on.getPresences(['a']));
    expect(noValue.code).toBe('INTERNAL');
    expect(noValue.message).toContain('unexpected answer from Graph at value');
  });

  it('reads a value Graph may add later as PresenceUnknown rather than failing the batch', async () => {
    const on = await readerOn(standInUrl, 'stand-in-token');
    answer = { status: 200, body: JSON.stringify({ value: [{ id: 'a', availability: 'Focusing', activity: 'Busy', extra: 1 }] }) };
    expect(await on.getPresences(['a'])).toEqual([{ userId: 'a', availability: 'PresenceUnknown', activity: 'Busy' }]);
  });

  it('maps a 403 to FORBIDDEN naming Presence.Read.All', async () => {
    const on = await readerOn(standInUrl, 'stand-in-token');
    answer = { status: 403, body: JSON.stringify({ error: { code: 'Forbidden', message: 'Insufficient privileges.' } }) };
    const err = await appErrorOf(on.getPresences(['a']));
    expect(err.code).toBe('FORBIDDEN');
    expect(err.message).toContain('Presence.Read.All');
  });
});
