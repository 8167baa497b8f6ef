import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateUsers } from '../../sandbox/graph';
import { type NotificationRig, startNotificationRig } from '../../sandbox/notificationRig';
import { type SyncRun } from '../../shared/engine/RunStore';
import { adminCaller, type AdminAnswer } from '../support/adminCall';
import { capturingLogger } from '../support/capturingLogger';
import { testStorageConnectionString, uniqueTablePrefix } from '../support/storage';

/**
 * Known secret values — the PBX admin password, the passwords the connector generates for the extensions it
 * creates (which the PBX, like PortSIP v22.3+, returns in GET /api/users/{id}), the subscriptions' clientStates
 * and the sandbox Graph token — appear in no log line, no error body, no answer of any admin route, no run
 * record and no run change list, across syncs with Graph 429/503, PBX 503, 401 and 403 faults.
 */
const WRONG_PASSWORD = 'Wrong!Pbx#Pass-4417';
const capture = capturingLogger();
const printed: string[] = [];
const answers: { what: string; answer: AdminAnswer }[] = [];
let rig: NotificationRig;
const call = adminCaller(
  () => rig.services,
  (line) => printed.push(line),
);
const ask = async (what: string, name: string, init: Parameters<typeof call>[1]) => {
  const answer = await call(name, { params: { id: rig.tenantId }, ...init });
  answers.push({ what, answer });
  return answer;
};

/** Whatever reaches stdout, stderr or the console while the test runs (the local host's logs included). */
function captureOutput(): () => void {
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
      printed.push(String(chunk));
      return true;
    }),
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => {
      printed.push(String(chunk));
      return true;
    }),
    ...(['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        printed.push(args.map(String).join(' '));
      }),
    ),
  ];
  return () => spies.forEach((spy) => spy.mockRestore());
}

let restoreOutput: () => void = () => undefined;
beforeAll(async () => {
  restoreOutput = captureOutput();
  rig = await startNotificationRig({
    storageConnectionString: testStorageConnectionString(),
    tablePrefix: uniqueTablePrefix(),
    users: generateUsers(40, { seed: 11 }),
    debounceMs: 150,
    log: capture.logger,
  });
});
afterAll(async () => {
  restoreOutput();
  await rig?.stop();
});

async function syncWithFaults(): Promise<SyncRun[]> {
  const runs: SyncRun[] = [];
  const { graph, pbx } = rig;
  // New users (so the connector generates passwords) and changed ones, then Graph throttling and an outage.
  for (const user of generateUsers(6, { seed: 12, domain: 'fabrikam.com' })) graph.addUser(user);
  const some = graph.listUsers().slice(0, 3);
  for (const user of some) graph.updateUser(user.id, { department: 'Leak Test' });
  graph.faults.throttleNext(2, 1);
  graph.faults.failNext(1, 503);
  pbx.faults.failNext(2, 503);
  runs.push(await rig.syncNow('full'));
  // The PBX refuses one create with 403: its error names no account.
  graph.updateUser(some[0]!.id, { department: 'Leak Test 2' });
  for (const user of generateUsers(1, { seed: 13, domain: 'northwind.com' }))
    graph.addUser({ ...user, userType: 'Member', accountEnabled: true });
  pbx.faults.failNextMatching('POST', /^\/api\/users$/, 1, 403);
  runs.push(await rig.syncNow('full'));
  // Tokens expire (401 → refresh), then a notification-driven delta.
  pbx.faults.expireTokens();
  graph.updateUser(some[1]!.id, { department: 'Notified' });
  await rig.graph.notifications.flush();
  await rig.services.queue.idle({ withinMs: 1000 });
  return runs;
}

describe('secrets leak nowhere', () => {
  it('across syncs with faults, a wrong credential, every admin route and the error answers', async () => {
    const runs = await syncWithFaults();
    expect(runs.map((r) => r.status)).not.toContain('queued');
    // The faults did happen: Graph retried, the PBX refused a create with 403 — whose error names no account.
    const forbidden = JSON.stringify(runs[1]);
    expect(forbidden).toMatch(/creating extension \d+: PortSIP answered 403/);
    for (const user of rig.pbx.listUsers()) expect(forbidden).not.toContain(`(${user.name})`);

    // A wrong PBX password (written through the route): the run fails with 401, naming neither account nor password.
    expect(
      (await ask('wrong credential', 'putPbxSecret', { method: 'PUT', body: { username: 'syncadmin', password: WRONG_PASSWORD } })).status,
    ).toBe(204);
    const changed = rig.graph.listUsers().find((u) => u.userType === 'Member' && u.accountEnabled)!;
    rig.graph.updateUser(changed.id, { department: 'Needs the PBX' });
    const refused = await rig.syncNow('full');
    expect(['failed', 'partial']).toContain(refused.status);
    const refusal = JSON.stringify(refused);
    expect(refusal).toMatch(/signing in to PortSIP as the service account of sandbox\.pbx\.local: PortSIP answered 40\d/);
    expect(refusal).not.toContain('syncadmin');
    const dryRefused = await ask('dry run refused', 'syncTenant', { method: 'POST', query: 'dryRun=true' });
    expect(JSON.stringify(dryRefused.body)).not.toContain('syncadmin');
    // Put the right one back, through the route, and sync once more.
    const { username, password } = rig.pbx.credentials;
    await ask('right credential', 'putPbxSecret', { method: 'PUT', body: { username, password } });
    expect((await rig.syncNow('full')).status).toMatch(/succeeded|partial/);

    // Error answers that had a secret in their request.
    await ask('bad pbx body', 'putPbxSecret', { method: 'PUT', body: { username: '', password } });
    await ask('pbx body, extra field', 'putPbxSecret', { method: 'PUT', body: { username, password, origin: 'https://x.example' } });
    await ask('graph body, wrong field', 'putGraphSecret', { method: 'PUT', body: { clientSecret: rig.graph.token } });
    await ask('graph body, too long', 'putGraphSecret', { method: 'PUT', body: { token: `${rig.graph.token}${'x'.repeat(5000)}` } });

    // Every read route.
    await ask('tenants', 'listTenants', { method: 'GET', params: {} });
    await ask('tenant', 'getTenant', { method: 'GET' });
    await ask('secrets', 'listSecrets', { method: 'GET' });
    await ask('subscriptions', 'listSubscriptions', { method: 'GET' });
    await ask('dry run', 'syncTenant', { method: 'POST', query: 'dryRun=true' });
    const listed = await ask('runs', 'listRuns', { method: 'GET', query: 'limit=100' });
    const runIds = (listed.body.value as { runId: string }[]).map((r) => r.runId);
    expect(runIds.length).toBeGreaterThanOrEqual(5);
    for (const runId of runIds) {
      await ask(`run ${runId}`, 'getRun', { method: 'GET', params: { id: rig.tenantId, runId } });
      let token: string | undefined;
      do {
        const page = await ask(`changes ${runId}`, 'listRunChanges', {
          method: 'GET',
          params: { id: rig.tenantId, runId },
          query: `limit=500${token ? `&continuationToken=${encodeURIComponent(token)}` : ''}`,
        });
        expect(page.status).toBe(200);
        token = page.body.continuationToken as string | undefined;
      } while (token);
    }

    // The adapter reads a user back: the PBX answers with its passwords; the connector keeps none of them.
    const created = rig.pbx.listUsers().filter((u) => rig.pbx.userSecrets(u.id));
    expect(created.length).toBeGreaterThan(30);
    const connectors = await rig.services.connectorsFor((await rig.services.tenants.get(rig.tenantId))!);
    const readBack = await connectors.pbx.getUser(created[0]!.id);
    expect(readBack).not.toBeNull();

    // The secrets, now that every one exists.
    const secrets = new Map<string, string>([
      ['the PBX admin password', password],
      ['the wrong PBX password', WRONG_PASSWORD],
      ['the sandbox Graph token', rig.graph.token],
    ]);
    for (const subscription of rig.graph.subscriptions()) {
      if (subscription.clientState) secrets.set(`clientState of ${subscription.id}`, subscription.clientState);
    }
    for (const user of created) {
      const generated = rig.pbx.userSecrets(user.id)!;
      secrets.set(`portal password of ${user.name}`, generated.password);
      secrets.set(`SIP password of ${user.name}`, generated.extensionPassword);
    }
    expect([...secrets.keys()].filter((k) => k.startsWith('clientState')).length).toBeGreaterThan(0);

    const storedRuns = await rig.services.runs.list(rig.tenantId, 100);
    const places: [string, string][] = [
      ...capture.records.map((r, i): [string, string] => [`log record ${i} (${r.message})`, JSON.stringify(r)]),
      ...printed.map((line, i): [string, string] => [`printed line ${i}`, line]),
      ...answers.map(({ what, answer }): [string, string] => [`admin answer: ${what}`, JSON.stringify(answer)]),
      ...storedRuns.map((run): [string, string] => [`run record ${run.runId}`, JSON.stringify(run)]),
      ['the PBX user the adapter read back', JSON.stringify(readBack)],
    ];
    expect(capture.records.length).toBeGreaterThan(10);
    const leaks: string[] = [];
    for (const [where, text] of places) {
      for (const [what, value] of secrets) if (text.includes(value)) leaks.push(`${what} in ${where}`);
    }
    expect(leaks).toEqual([]);
  });
});
