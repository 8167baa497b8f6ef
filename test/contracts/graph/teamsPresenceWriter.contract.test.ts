import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TenantConfigSchema } from '../../../shared/config/TenantConfig';
import { GraphTeamsPresenceWriter } from '../../../shared/graph/GraphTeamsPresenceWriter';
import { createGraphClient } from '../../../shared/graph/createGraphClient';
import { GraphSandbox, type SandboxUser, generateUsers } from '../../../sandbox/graph';
import { appErrorOf } from '../../support/appErrorOf';

let graph: GraphSandbox;
let writer: GraphTeamsPresenceWriter;
let users: SandboxUser[];
// The sandbox's clock, moved by hand so a session's expiry is exact.
let clock = Date.now();

/** A writer on the sandbox Graph, built as the connector builds its Graph ports (as graphPresenceReader.test.ts). */
async function writerOn(graphBaseUrl: string, token: string): Promise<GraphTeamsPresenceWriter> {
  const microsoft365 = TenantConfigSchema.shape.microsoft365.parse({
    directoryId: '00000000-0000-4000-8000-000000000001',
    applicationId: '00000000-0000-4000-8000-000000000002',
    auth: { kind: 'sandbox', graphBaseUrl },
  });
  const connection = await createGraphClient({ microsoft365, credentialSecret: token });
  return new GraphTeamsPresenceWriter(connection.client, connection.versionRoot, connection.requestCount);
}

/** The session id the sandbox accepts from its token: the calling app's client id. */
const sessionId = () => graph.sandboxTokenAppId;

beforeAll(async () => {
  graph = await GraphSandbox.start({ now: () => clock });
  writer = await writerOn(graph.baseUrl, graph.token);
});
afterAll(() => graph.stop());
beforeEach(() => {
  users = generateUsers(3, { seed: 7 });
  graph.seed(users);
  graph.stats.reset();
});

describe('GraphTeamsPresenceWriter over the sandbox Graph', () => {
  it('opens a Busy/InACall session that expires after the minutes given, and replaces it when set again', async () => {
    const id = users[0]!.id;
    const before = writer.requestCount();
    await writer.setInACall(id, { sessionId: sessionId(), expiresInMinutes: 7 });
    expect(writer.requestCount() - before).toBe(1);

    const shown = graph.appPresenceSessions(id);
    expect(shown).toMatchObject({ availability: 'Busy', activity: 'InACall' });
    expect(shown.sessions).toEqual([
      { sessionId: sessionId(), availability: 'Busy', activity: 'InACall', expiresAt: clock + 7 * 60_000, setAt: clock },
    ]);

    clock += 6 * 60_000;
    await writer.setInACall(id, { sessionId: sessionId(), expiresInMinutes: 240 });
    expect(graph.appPresenceSessions(id).sessions).toMatchObject([{ expiresAt: clock + 240 * 60_000 }]);
    expect(graph.presenceWriteStats()).toMatchObject({ setPresence: 2, setPresenceRefused: 0 });
  });

  it('clears its session (true), then finds none to clear (false), and the user shows their own state again', async () => {
    const id = users[1]!.id;
    graph.setPresence(id, 'Available', 'Available');
    await writer.setInACall(id, { sessionId: sessionId(), expiresInMinutes: 5 });
    expect(graph.appPresenceSessions(id)).toMatchObject({ availability: 'Busy', activity: 'InACall' });

    expect(await writer.clear(id, sessionId())).toBe(true);
    expect(graph.appPresenceSessions(id)).toMatchObject({ availability: 'Available', activity: 'Available', sessions: [] });
    expect(await writer.clear(id, sessionId())).toBe(false);
    expect(graph.presenceWriteStats()).toMatchObject({ clearPresence: 1, clearPresenceRefused: 1 });
  });

  it('finds an expired session gone: clear answers false', async () => {
    const id = users[2]!.id;
    await writer.setInACall(id, { sessionId: sessionId(), expiresInMinutes: 5 });
    clock += 5 * 60_000 + 1;
    expect(graph.appPresenceSessions(id).sessions).toEqual([]);
    expect(await writer.clear(id, sessionId())).toBe(false);
  });

  it.each([4, 241, 7.5, Number.NaN, 0, -5])('refuses %s minutes as INVALID without a request', async (minutes) => {
    const before = writer.requestCount();
    const err = await appErrorOf(writer.setInACall(users[0]!.id, { sessionId: sessionId(), expiresInMinutes: minutes }));
    expect(err.code).toBe('INVALID');
    expect(err.message).toContain('5 to 240');
    expect(writer.requestCount()).toBe(before);
    expect(graph.presenceWriteStats()).toEqual({ setPresence: 0, setPresenceRefused: 0, clearPresence: 0, clearPresenceRefused: 0 });
  });

  it('fails NOT_FOUND naming an unknown user', async () => {
    const unknown = randomUUID();
    const err = await appErrorOf(writer.setInACall(unknown, { sessionId: sessionId(), expiresInMinutes: 5 }));
    expect(err.code).toBe('NOT_FOUND');
    expect(err.message).toContain(unknown);
    expect(err.upstreamStatus).toBe(404);
  });

  it('passes on Graph refusing a session id that is not the app’s (400) as INVALID', async () => {
    const err = await appErrorOf(writer.setInACall(users[0]!.id, { sessionId: randomUUID(), expiresInMinutes: 5 }));
    expect(err.code).toBe('INVALID');
    expect(err.upstreamStatus).toBe(400);
    expect(graph.appPresenceSessions(users[0]!.id).sessions).toEqual([]);
  });
});
