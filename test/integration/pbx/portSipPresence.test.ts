import { afterEach, describe, expect, it } from 'vitest';
import { PbxConfigSchema } from '../../../shared/config/TenantConfig';
import { createPbxConnection } from '../../../shared/pbx/createPbxConnection';
import { type PbxAccount } from '../../../shared/pbx/ports/PbxAccount';
import { noUserAccessReasonOf } from '../../../shared/pbx/ports/PortalPasswords';
import { type PortSipClientOptions } from '../../../shared/pbx/portsip/PortSipClient';
import { PortSipSandbox, type PortSipApiVersion } from '../../../sandbox/portsip';
import { appErrorOf } from '../../support/appErrorOf';
import { MemoryPortalPasswords } from '../../support/memoryPortalPasswords';
import { numberedPbxUser } from '../../support/numberedPbxUser';
import { recordingPortSipClient } from '../../support/recordingPortSipClient';

let pbx: PortSipSandbox | undefined;
afterEach(async () => {
  await pbx?.stop();
  pbx = undefined;
});

/** A sandbox speaking `apiVersion`, a client keeping portal passwords (as in portSipUserAccess.test.ts), and user1 created through it. */
async function setup(apiVersion: PortSipApiVersion = '22.3', client: Partial<PortSipClientOptions> = {}) {
  pbx = await PortSipSandbox.start({ apiVersion });
  const passwords = new MemoryPortalPasswords();
  const { client: portSip, exchanges } = recordingPortSipClient(pbx, { portalPasswords: passwords, ...client });
  const account: PbxAccount = { id: (await portSip.createUser(numberedPbxUser(1))).id, userName: 'user1' };
  return { client: portSip, presence: portSip.presence(), exchanges, sandbox: pbx, passwords, account };
}

/** The bodies the client sent to `POST /api/user/presence`, with the status each got. */
const presenceWrites = (exchanges: Array<{ method: string; path: string; body: unknown; status: number }>) =>
  exchanges.filter((e) => e.method === 'POST' && e.path === '/api/user/presence').map((e) => ({ body: e.body, status: e.status }));

describe.each(['22.1', '22.3'] as const)('PortSipPresence against the sandbox speaking PortSIP API %s', (apiVersion) => {
  const availableName = apiVersion === '22.1' ? 'AVAILABLE' : 'ONLINE';

  it('reads a fresh user as available, sets status and note as the user, and ends up writing available', async () => {
    const { presence, sandbox, account, exchanges } = await setup(apiVersion);
    expect(await presence.getPresence(account)).toEqual({ doNotDisturb: false, status: 'available', statusNote: '' });

    await presence.setPresence(account, { status: 'away', statusNote: 'Back at 3' });
    expect(sandbox.presenceOf(account.id)).toMatchObject({ presence: 'AWAY', presence_note: 'Back at 3', writes: 1 });
    expect(await presence.getPresence(account)).toEqual({ doNotDisturb: false, status: 'away', statusNote: 'Back at 3' });

    await presence.setPresence(account, { status: 'available' });
    expect(sandbox.presenceOf(account.id)).toMatchObject({ presence: availableName, presence_note: 'Back at 3', writes: 2 });
    expect(await presence.getPresence(account)).toEqual({ doNotDisturb: false, status: 'available', statusNote: 'Back at 3' });

    // Once the PBX took one name for available, later writes send that one first.
    await presence.setPresence(account, { status: 'lunch', statusNote: '' });
    await presence.setPresence(account, { status: 'available' });
    expect(sandbox.presenceOf(account.id)).toMatchObject({ presence: availableName, presence_note: null, writes: 4 });
    const fallback = apiVersion === '22.1' ? [] : [{ body: { presence: 'AVAILABLE' }, status: 400 }];
    expect(presenceWrites(exchanges)).toEqual([
      { body: { presence: 'AWAY', presence_note: 'Back at 3' }, status: 200 },
      ...fallback,
      { body: { presence: availableName }, status: 200 },
      { body: { presence: 'LUNCH', presence_note: '' }, status: 200 },
      { body: { presence: availableName }, status: 200 },
    ]);
  });

  it('reads a presence the user chose on the phone (BUSINESS_TRIP) and a call in progress as no status', async () => {
    const { presence, sandbox, account } = await setup(apiVersion);
    sandbox.setPresenceByHand(account.id, 'BUSINESS_TRIP', 'Oslo until Friday');
    expect(await presence.getPresence(account)).toEqual({ doNotDisturb: false, status: 'businessTrip', statusNote: 'Oslo until Friday' });
    sandbox.setCallInProgress(account.id, true);
    expect(await presence.getPresence(account)).toEqual({ doNotDisturb: false, status: undefined, statusNote: 'Oslo until Friday' });
    sandbox.setCallInProgress(account.id, false);
    expect((await presence.getPresence(account)).status).toBe('businessTrip');
  });
});

describe('PortSipPresence: the status note and the DND switch', () => {
  it('sends a note alone with the status the user has now, cut to 128 characters', async () => {
    const { presence, sandbox, account, exchanges } = await setup('22.3');
    sandbox.setPresenceByHand(account.id, 'BUSINESS_TRIP');
    await presence.setPresence(account, { statusNote: 'n'.repeat(127) + '😀 and more' });
    // 127 characters, then the emoji would be split at 128: it is left out whole.
    const note = 'n'.repeat(127);
    expect(sandbox.presenceOf(account.id)).toMatchObject({ presence: 'BUSINESS_TRIP', presence_note: note });
    expect(exchanges.some((e) => e.method === 'GET' && e.path === '/api/user/status')).toBe(true);
    expect(presenceWrites(exchanges)).toEqual([{ body: { presence: 'BUSINESS_TRIP', presence_note: note }, status: 200 }]);

    await presence.setPresence(account, { statusNote: 'x'.repeat(200) });
    expect(sandbox.presenceOf(account.id).presence_note).toBe('x'.repeat(128));
  });

  it('refuses a note alone during a call (the chosen status is hidden then) as retryable, writing nothing', async () => {
    const { presence, sandbox, account } = await setup('22.1');
    sandbox.setPresenceByHand(account.id, 'LUNCH');
    sandbox.setCallInProgress(account.id, true);
    const err = await appErrorOf(presence.setPresence(account, { statusNote: 'at the canteen' }));
    expect(err.code).toBe('TRANSIENT');
    expect(err.message).toMatch(/ON_CALL/);
    expect(sandbox.presenceOf(account.id)).toMatchObject({ presence: 'ON_CALL', presence_note: null, writes: 0 });
  });

  it('sets DND with the admin token for a user it cannot act as, while the status write fails with NoUserAccess', async () => {
    const { presence, sandbox, exchanges } = await setup('22.3');
    const carol = sandbox.addUser({ name: 'carol', extension_number: '1003', email: 'carol@contoso.com' });
    const account: PbxAccount = { id: carol.id, userName: 'carol' };

    await presence.setPresence(account, { doNotDisturb: true });
    expect(sandbox.presenceOf(carol.id)).toMatchObject({ enable_dnd: true, presence: 'ONLINE', writes: 1 });
    expect(await presence.getPresence(account)).toEqual({ doNotDisturb: true, status: 'available', statusNote: '' });
    // Only enable_dnd is sent: the user update is a merge, no other field is touched.
    expect(exchanges.filter((e) => e.method === 'POST' && e.path === `/api/users/${carol.id}`).map((e) => e.body)).toEqual([
      { enable_dnd: true },
    ]);

    const err = await appErrorOf(presence.setPresence(account, { doNotDisturb: false, status: 'away' }));
    expect(err.code).toBe('FORBIDDEN');
    expect(noUserAccessReasonOf(err)).toBe('noPasswordKept');
    // Both keys: the DND write landed before the status write failed.
    expect(sandbox.presenceOf(carol.id)).toMatchObject({ enable_dnd: false, presence: 'ONLINE', writes: 2 });
    expect(sandbox.stats.dndWrites).toBe(2);
    expect(sandbox.stats.presenceWrites).toBe(0);
  });

  it('heals a lost write: the PBX answered 200 but the read-back shows the old state, and a second write lands', async () => {
    const { presence, sandbox, account } = await setup('22.3');
    sandbox.faults.losePresenceWrites(2);
    await presence.setPresence(account, { status: 'away', statusNote: 'out' });
    await presence.setPresence(account, { doNotDisturb: true });
    expect(await presence.getPresence(account)).toEqual({ doNotDisturb: false, status: 'available', statusNote: '' });
    expect(sandbox.presenceOf(account.id)).toMatchObject({ writes: 0 });
    expect(sandbox.stats.presenceWritesLost).toBe(2);

    await presence.setPresence(account, { status: 'away', statusNote: 'out', doNotDisturb: true });
    expect(await presence.getPresence(account)).toEqual({ doNotDisturb: true, status: 'away', statusNote: 'out' });
    expect(sandbox.presenceOf(account.id)).toMatchObject({ writes: 2 });
  });

  it('reads a presence value a later PortSIP may add as no status instead of failing', async () => {
    const sandbox = await PortSipSandbox.start();
    pbx = sandbox;
    // A PBX newer than the adapter: the status answer carries a presence name it has never seen.
    const newerPbx: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (!new URL(input).pathname.endsWith('/status')) return response;
      const body = { ...((await response.json()) as Record<string, unknown>), presence: 'IN_A_MEETING', status: 'BUSY_ELSEWHERE' };
      return new Response(JSON.stringify(body), { status: response.status, headers: { 'content-type': 'application/json' } });
    };
    const { client } = recordingPortSipClient(sandbox, { fetch: newerPbx });
    const carol = sandbox.addUser({ name: 'carol', extension_number: '1003', email: 'carol@contoso.com' });
    sandbox.setPresenceByHand(carol.id, 'AWAY', 'note kept');
    expect(await client.presence().getPresence({ id: carol.id, userName: 'carol' })).toEqual({
      doNotDisturb: false,
      status: undefined,
      statusNote: 'note kept',
    });
  });
});

describe('createPbxConnection for PortSIP: the presence port', () => {
  it('is there without kept portal passwords: DND works, and a status write fails with NoUserAccess (noPasswordKept)', async () => {
    pbx = await PortSipSandbox.start({ apiVersion: '22.1' });
    const { username, password, domain } = pbx.credentials;
    const config = PbxConfigSchema.parse({ kind: 'portsip', baseUrl: pbx.baseUrl, domain, role: 'StandardUser' });
    const connection = await createPbxConnection(config, { username, password, origin: new URL(pbx.baseUrl).origin });
    const { id } = await connection.users.createUser(numberedPbxUser(1));
    const account: PbxAccount = { id, userName: 'user1' };

    await connection.presence!.setPresence(account, { doNotDisturb: true });
    expect(await connection.presence!.getPresence(account)).toEqual({ doNotDisturb: true, status: 'available', statusNote: '' });
    const err = await appErrorOf(connection.presence!.setPresence(account, { statusNote: 'hello' }));
    expect(noUserAccessReasonOf(err)).toBe('noPasswordKept');
    expect(err.message).toContain('user1');
    expect(pbx.stats.userSignIns).toBe(0);
    expect(pbx.presenceOf(id)).toMatchObject({ enable_dnd: true, presence_note: null });
  });

  it('with kept portal passwords sets the status as the user on the same connection', async () => {
    pbx = await PortSipSandbox.start();
    const { username, password, domain } = pbx.credentials;
    const config = PbxConfigSchema.parse({ kind: 'portsip', baseUrl: pbx.baseUrl, domain, role: 'StandardUser' });
    const connection = await createPbxConnection(
      config,
      { username, password, origin: new URL(pbx.baseUrl).origin },
      { portalPasswords: new MemoryPortalPasswords() },
    );
    const { id } = await connection.users.createUser(numberedPbxUser(1));
    await connection.presence!.setPresence({ id, userName: 'user1' }, { status: 'doNotDisturb', doNotDisturb: true });
    expect(pbx.presenceOf(id)).toMatchObject({ presence: 'DO_NOT_DISTURB', enable_dnd: true });
    expect(pbx.stats.userSignIns).toBe(1);
  });
});
