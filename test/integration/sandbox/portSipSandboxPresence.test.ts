import { afterEach, describe, expect, it } from 'vitest';
import { PortSipSandbox, type PortSipApiVersion } from '../../../sandbox/portsip';
import { expectPortSipError } from '../../support/expectPortSipError';
import { portSipRestCall, type PortSipReply } from '../../support/portSipRestCall';
import { aliceUserBody } from '../../support/aliceUserBody';

let pbx: PortSipSandbox | undefined;
afterEach(async () => {
  await pbx?.stop();
  pbx = undefined;
});

const call = (method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<PortSipReply> =>
  portSipRestCall(pbx!, method, path, options);

const PASSWORD = 'Portal#4Xy7q';

async function signIn(username: string, password: string): Promise<string> {
  const reply = await call('POST', '/api/auth/sign_in', { body: { username, password, domain: pbx!.credentials.domain } });
  expect(reply.status, reply.text).toBe(200);
  return (reply.body as { access_token: string }).access_token;
}

/** A sandbox speaking `apiVersion` (the default when undefined), the admin's token, and alice created over REST with her token. */
async function start(apiVersion?: PortSipApiVersion): Promise<{ admin: string; alice: string; aliceId: string }> {
  pbx = await PortSipSandbox.start(apiVersion ? { apiVersion } : {});
  const admin = await signIn(pbx.credentials.username, pbx.credentials.password);
  const created = await call('POST', '/api/users', {
    token: admin,
    body: aliceUserBody(PASSWORD),
  });
  expect(created.status, created.text).toBe(201);
  return { admin, alice: await signIn('alice', PASSWORD), aliceId: (created.body as { id: string }).id };
}

const ok = (reply: PortSipReply): PortSipReply => {
  expect(reply.status, reply.text).toBe(200);
  return reply;
};

describe('the sandbox PortSIP: presence in the v22.3 dialect (the default)', () => {
  it('lets the user set their own presence and note; admin and user read it with ONLINE as the available name', async () => {
    const { admin, alice, aliceId } = await start();
    expect(pbx!.apiVersion).toBe('22.3');
    const fresh = ok(await call('GET', `/api/users/${aliceId}/status`, { token: admin })).body;
    expect(fresh).toEqual({
      status: 'ONLINE',
      presence: 'ONLINE',
      presence_note: null,
      registration: [],
      enable_dnd: false,
      enable_acb: false,
    });

    ok(await call('POST', '/api/user/presence', { token: alice, body: { presence: 'AWAY', presence_note: 'Back at 3' } }));
    expect(ok(await call('GET', '/api/user/status', { token: alice })).body).toMatchObject({
      presence: 'AWAY',
      presence_note: 'Back at 3',
    });
    // An absent note leaves the note; ONLINE is this version's name.
    ok(await call('POST', '/api/user/presence', { token: alice, body: { presence: 'ONLINE' } }));
    expect(ok(await call('GET', `/api/users/${aliceId}/status`, { token: admin })).body).toMatchObject({
      status: 'ONLINE',
      presence: 'ONLINE',
      presence_note: 'Back at 3',
    });
    expect(pbx!.presenceOf(aliceId)).toEqual({
      presence: 'ONLINE',
      presence_note: 'Back at 3',
      enable_dnd: false,
      on_call: false,
      writes: 2,
    });
    expect(pbx!.stats.presenceWrites).toBe(2);
    expect(pbx!.stats.writesByKind.presence).toBe(2);
  });

  it('refuses v22.1’s AVAILABLE, unknown names, long notes, and an admin token on the user’s route', async () => {
    const { admin, alice, aliceId } = await start('22.3');
    expectPortSipError(
      await call('POST', '/api/user/presence', { token: alice, body: { presence: 'AVAILABLE' } }),
      400,
      'VALIDATE_FAILED',
      'presence',
    );
    expectPortSipError(
      await call('POST', '/api/user/presence', { token: alice, body: { presence: 'ON_CALL' } }),
      400,
      'VALIDATE_FAILED',
      'presence',
    );
    expectPortSipError(await call('POST', '/api/user/presence', { token: alice, body: {} }), 400, 'VALIDATE_FAILED', 'presence');
    expectPortSipError(
      await call('POST', '/api/user/presence', { token: alice, body: { presence: 'LUNCH', presence_note: 'x'.repeat(129) } }),
      400,
      'VALIDATE_FAILED',
      'presence_note',
    );
    expectPortSipError(await call('POST', '/api/user/presence', { token: admin, body: { presence: 'LUNCH' } }), 403, 'FORBIDDEN');
    expectPortSipError(await call('GET', '/api/user/status', { token: admin }), 403, 'FORBIDDEN');
    expectPortSipError(await call('GET', `/api/users/${aliceId}/status`, { token: alice }), 403, 'FORBIDDEN');
    expectPortSipError(await call('GET', '/api/users/nobody/status', { token: admin }), 404, 'NOT_FOUND');
    ok(await call('POST', '/api/user/presence', { token: alice, body: { presence: 'LUNCH', presence_note: 'x'.repeat(128) } }));
    expect(pbx!.presenceOf(aliceId)).toMatchObject({ presence: 'LUNCH', writes: 1 });
  });

  it('shows a call in progress as OTHER_CALL in place of the chosen presence, which returns when the call ends', async () => {
    const { admin, aliceId } = await start();
    ok(await call('POST', `/_sandbox/users/${aliceId}/presence`, { body: { presence: 'BUSINESS_TRIP', presence_note: 'Oslo' } }));
    expect(ok(await call('POST', `/_sandbox/users/${aliceId}/call`, { body: { active: true } })).body).toMatchObject({
      presence: 'OTHER_CALL',
      on_call: true,
    });
    expect(ok(await call('GET', `/api/users/${aliceId}/status`, { token: admin })).body).toMatchObject({
      status: 'OTHER_CALL',
      presence: 'OTHER_CALL',
      presence_note: 'Oslo',
    });
    ok(await call('POST', `/_sandbox/users/${aliceId}/call`, { body: { active: false } }));
    expect(ok(await call('GET', `/api/users/${aliceId}/status`, { token: admin })).body).toMatchObject({
      status: 'ONLINE',
      presence: 'BUSINESS_TRIP',
    });
  });
});

describe('the sandbox PortSIP: presence in the v22.1 dialect', () => {
  it('takes AVAILABLE, refuses ONLINE, and shows a call as ON_CALL', async () => {
    const { admin, alice, aliceId } = await start('22.1');
    expect(ok(await call('GET', `/api/users/${aliceId}/status`, { token: admin })).body).toMatchObject({
      status: 'ONLINE',
      presence: 'AVAILABLE',
    });
    ok(await call('POST', '/api/user/presence', { token: alice, body: { presence: 'DO_NOT_DISTURB' } }));
    expectPortSipError(
      await call('POST', '/api/user/presence', { token: alice, body: { presence: 'ONLINE' } }),
      400,
      'VALIDATE_FAILED',
      'presence',
    );
    expect(pbx!.presenceOf(aliceId).presence).toBe('DO_NOT_DISTURB');
    ok(await call('POST', '/api/user/presence', { token: alice, body: { presence: 'AVAILABLE' } }));
    expect(pbx!.presenceOf(aliceId).presence).toBe('AVAILABLE');
    // A choice by hand in either version's name is the same choice.
    pbx!.setPresenceByHand(aliceId, 'ONLINE');
    expect(pbx!.presenceOf(aliceId).presence).toBe('AVAILABLE');
    pbx!.setCallInProgress(aliceId, true);
    expect(ok(await call('GET', '/api/user/status', { token: alice })).body).toMatchObject({ status: 'ON_CALL', presence: 'ON_CALL' });
    expect(ok(await call('GET', '/_sandbox')).body).toMatchObject({ apiVersion: '22.1' });
  });
});

describe('the sandbox PortSIP: the admin’s DND switch', () => {
  it('sets enable_dnd through the user update, shown in the status, the user detail and the presence view', async () => {
    const { admin, aliceId } = await start();
    ok(await call('POST', `/api/users/${aliceId}`, { token: admin, body: { enable_dnd: true } }));
    expect(ok(await call('GET', `/api/users/${aliceId}/status`, { token: admin })).body).toMatchObject({ enable_dnd: true });
    expect(ok(await call('GET', `/api/users/${aliceId}`, { token: admin })).body).toMatchObject({ enable_dnd: true });
    expect(ok(await call('GET', `/_sandbox/users/${aliceId}/presence`)).body).toEqual({
      presence: 'ONLINE',
      presence_note: null,
      enable_dnd: true,
      on_call: false,
      writes: 1,
    });
    // An update without enable_dnd leaves it, and is not a presence write.
    ok(await call('POST', `/api/users/${aliceId}`, { token: admin, body: { display_name: 'Alice A.' } }));
    expect(pbx!.presenceOf(aliceId)).toMatchObject({ enable_dnd: true, writes: 1 });
    expectPortSipError(
      await call('POST', `/api/users/${aliceId}`, { token: admin, body: { enable_dnd: 'yes' } }),
      400,
      'VALIDATE_FAILED',
      'enable_dnd',
    );
    ok(await call('POST', `/api/users/${aliceId}`, { token: admin, body: { enable_dnd: false } }));
    expect(pbx!.presenceOf(aliceId)).toMatchObject({ enable_dnd: false, writes: 2 });
    expect(pbx!.stats.dndWrites).toBe(2);
  });
});

describe('the sandbox PortSIP: presence controls', () => {
  it('loses the next presence writes (status and DND): 200, but nothing changes and nothing is counted', async () => {
    const { admin, alice, aliceId } = await start();
    expect(ok(await call('POST', '/_sandbox/faults/presence', { body: { lose: 2 } })).body).toEqual({ pending: 2 });
    ok(await call('POST', '/api/user/presence', { token: alice, body: { presence: 'AWAY', presence_note: 'gone' } }));
    ok(await call('POST', `/api/users/${aliceId}`, { token: admin, body: { enable_dnd: true } }));
    expect(ok(await call('GET', `/_sandbox/users/${aliceId}/presence`)).body).toEqual({
      presence: 'ONLINE',
      presence_note: null,
      enable_dnd: false,
      on_call: false,
      writes: 0,
    });
    expect(pbx!.stats).toMatchObject({ presenceWrites: 0, dndWrites: 0, presenceWritesLost: 2 });
    // The fault is used up: the next write lands.
    ok(await call('POST', '/api/user/presence', { token: alice, body: { presence: 'AWAY' } }));
    expect(pbx!.presenceOf(aliceId)).toMatchObject({ presence: 'AWAY', writes: 1 });
    pbx!.faults.losePresenceWrites(1);
    ok(await call('POST', '/api/user/presence', { token: alice, body: { presence: 'LUNCH' } }));
    expect(pbx!.presenceOf(aliceId)).toMatchObject({ presence: 'AWAY', writes: 1 });
  });

  it('refuses bad control bodies with 400, unknown users with 404, and other methods with 405', async () => {
    const { aliceId } = await start();
    const presencePath = `/_sandbox/users/${aliceId}/presence`;
    for (const body of [
      {},
      { presence: 'ON_CALL' },
      { presence: 'away' },
      { presence: 'AWAY', presence_note: 'x'.repeat(129) },
      { presence: 3 },
    ])
      expectPortSipError(await call('POST', presencePath, { body }), 400, 'VALIDATE_FAILED');
    expectPortSipError(
      await call('POST', presencePath, { body: { presence: 'LUNCH', presence_note: 7 } }),
      400,
      'VALIDATE_FAILED',
      'presence_note',
    );
    for (const body of [{}, { active: 'yes' }])
      expectPortSipError(await call('POST', `/_sandbox/users/${aliceId}/call`, { body }), 400, 'VALIDATE_FAILED', 'active');
    for (const body of [{}, { lose: -1 }, { lose: 1.5 }, { lose: '2' }])
      expectPortSipError(await call('POST', '/_sandbox/faults/presence', { body }), 400, 'VALIDATE_FAILED', 'lose');
    expectPortSipError(await call('POST', '/_sandbox/users/nobody/presence', { body: { presence: 'AWAY' } }), 404, 'NOT_FOUND');
    expectPortSipError(await call('GET', '/_sandbox/users/nobody/presence'), 404, 'NOT_FOUND');
    expectPortSipError(await call('POST', '/_sandbox/users/nobody/call', { body: { active: true } }), 404, 'NOT_FOUND');
    expectPortSipError(await call('GET', `/_sandbox/users/${aliceId}/call`), 405, 'METHOD_NOT_ALLOWED');
    expectPortSipError(await call('GET', '/_sandbox/faults/presence'), 405, 'METHOD_NOT_ALLOWED');
    // Nothing was changed by the refused calls, and no write fault is pending.
    expect(pbx!.presenceOf(aliceId)).toEqual({ presence: 'ONLINE', presence_note: null, enable_dnd: false, on_call: false, writes: 0 });
    expect(() => pbx!.setPresenceByHand(aliceId, 'RINGING' as 'AWAY')).toThrow(/presence/);
    expect(() => pbx!.presenceOf('nobody')).toThrow(/no user nobody/);
  });

  it('sets a presence by hand in either version’s name, without counting it as a write', async () => {
    const { admin, aliceId } = await start('22.1');
    expect(
      ok(await call('POST', `/_sandbox/users/${aliceId}/presence`, { body: { presence: 'ONLINE', presence_note: 'in' } })).body,
    ).toEqual({
      presence: 'AVAILABLE',
      presence_note: 'in',
      enable_dnd: false,
      on_call: false,
      writes: 0,
    });
    pbx!.setPresenceByHand(aliceId, 'LUNCH', null);
    expect(ok(await call('GET', `/api/users/${aliceId}/status`, { token: admin })).body).toMatchObject({
      presence: 'LUNCH',
      presence_note: null,
    });
    expect(pbx!.stats.presenceWrites).toBe(0);
  });
});
