import { afterEach, describe, expect, it } from 'vitest';
import { type PbxUser } from '../../../shared/pbx/ports/PbxClient';
import { PortSipClient, type PortSipClientOptions } from '../../../shared/pbx/portsip/PortSipClient';
import { recordingPortSipClient } from '../../support/recordingPortSipClient';
import { PortSipSandbox, type PortSipSandboxOptions } from '../../../sandbox/portsip';
import { appErrorOf } from '../../support/appErrorOf';
import { numberedPbxUser } from '../../support/numberedPbxUser';

let pbx: PortSipSandbox | undefined;
afterEach(async () => {
  await pbx?.stop();
  pbx = undefined;
});

/** A sandbox PBX and a client for it whose fetch records every exchange. */
async function setup(sandbox: PortSipSandboxOptions = {}, client: Partial<PortSipClientOptions> = {}) {
  pbx = await PortSipSandbox.start(sandbox);
  const { client: portSip, exchanges } = recordingPortSipClient(pbx, client);
  return { client: portSip, sandbox: pbx, exchanges };
}

describe('PortSipClient against the sandbox PortSIP', () => {
  it('creates, reads, updates only the given fields, binds and deletes', async () => {
    const { client, sandbox, exchanges } = await setup();
    const { id } = await client.createUser(numberedPbxUser(1));
    expect(await client.getUser(id)).toEqual({
      id,
      userName: 'user1',
      extensionNumber: '1001',
      displayName: 'User 1',
      email: 'user1@contoso.com',
      mobilePhone: '',
      workPhone: '+1 425 555 0100',
      department: 'Sales',
      enabled: true,
      outboundCallerId: null, // a read by id shows the caller ID list: none of ours
    });
    expect(sandbox.getUser(id)).toMatchObject({ role: 'StandardUser', mobile_phone: null });

    await client.updateUser(id, { department: '', enabled: false });
    expect(exchanges.at(-1)).toMatchObject({
      method: 'POST',
      path: `/api/users/${encodeURIComponent(id)}`,
      body: { department: '', enabled: false },
      status: 200,
    });
    expect(sandbox.getUser(id)).toMatchObject({ department: null, enabled: false, display_name: 'User 1', work_phone: '+1 425 555 0100' });

    await client.bindMicrosoft365(id, 'entra-oid-1');
    expect(sandbox.getUser(id)?.ms365_binding).toBe('entra-oid-1');
    await client.deleteUser(id);
    await client.deleteUser(id); // already gone: not an error
    expect(await client.getUser(id)).toBeNull();
    expect(sandbox.listUsers()).toHaveLength(0);
    expect(client.requestCount()).toBe(sandbox.stats.requests);
  });

  it('writes the caller ID as a read-modify-write of outbound_caller_ids: one POST with the other fields, none when nothing changes', async () => {
    const { client, sandbox, exchanges } = await setup();
    const trunk = sandbox.addProvider({ name: 'Trunk' });
    const { id } = await client.createUser({ ...numberedPbxUser(2), outboundCallerId: { providerId: trunk, callerId: '+14255550100' } });
    const admins = { provider_id: trunk, caller_id: '+18005550100', description: 'hotline' };
    sandbox.setOutboundCallerIds(id, [...(sandbox.outboundCallerIds(id) as (typeof admins)[]), admins]);
    expect(await client.getUser(id)).toMatchObject({ outboundCallerId: { providerId: trunk, callerId: '+14255550100' } });

    exchanges.length = 0;
    await client.updateUser(id, { department: 'Ops', outboundCallerId: { providerId: trunk, callerId: '+12065550199' } });
    expect(exchanges.map((e) => `${e.method} ${e.status}`)).toEqual(['GET 200', 'POST 200']);
    expect(exchanges[1]?.body).toEqual({
      department: 'Ops',
      outbound_caller_ids: [expect.objectContaining({ caller_id: '+12065550199', preferred: true }), admins],
    });

    exchanges.length = 0;
    await client.updateUser(id, { outboundCallerId: { providerId: trunk, callerId: '+12065550199' } });
    expect(exchanges.map((e) => e.method)).toEqual(['GET']); // already so: read, nothing written

    await client.updateUser(id, { outboundCallerId: null });
    expect(sandbox.outboundCallerIds(id)).toEqual([admins]);
  });

  it('pages through more than 100 users and finds every number held by something else', async () => {
    const { client, sandbox } = await setup();
    for (let i = 0; i < 230; i += 1)
      sandbox.addUser({ name: `u${i}`, extension_number: String(3000 + i), email: `u${i}@x.com`, department: i % 2 ? 'Ops' : null });
    sandbox.addNumberHolder('600', 'RING_GROUP');
    sandbox.addNumberHolder('601', 'CALL_QUEUE');
    sandbox.addNumberHolder('602', 'CONFERENCE_ROOM');
    sandbox.addNumberHolder('603', 'VIRTUAL_RECEPTIONIST');
    const all: PbxUser[] = [];
    let pages = 0;
    for await (const page of client.listUsers()) {
      pages += 1;
      all.push(...page);
    }
    expect(pages).toBe(3);
    expect(new Set(all.map((u) => u.extensionNumber))).toEqual(new Set(Array.from({ length: 230 }, (_, i) => String(3000 + i))));
    expect(all.find((u) => u.userName === 'u2')).toMatchObject({ department: '', mobilePhone: '', enabled: true });
    expect((await client.listNonUserNumbers()).sort()).toEqual(['600', '601', '602', '603']);
    expect(await client.findNumberOwner('600')).toMatchObject({ type: 'RING_GROUP' });
    expect(await client.findNumberOwner('603')).toMatchObject({ type: 'VIRTUAL_RECEPTIONIST' });
    expect(await client.findNumberOwner('3001')).toMatchObject({ type: 'EXTENSION', name: 'u1' });
    expect(await client.findNumberOwner('999')).toBeNull();
  });

  it('signs in again after its token is revoked, and replays the request', async () => {
    const { client, sandbox, exchanges } = await setup();
    await client.createUser(numberedPbxUser(2));
    sandbox.faults.expireTokens();
    const before = exchanges.length;
    await client.createUser(numberedPbxUser(3));
    expect(exchanges.slice(before).map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([
      'POST /api/users 401',
      'POST /api/auth/refresh_token 200',
      'POST /api/users 201',
    ]);
    expect(sandbox.findByExtension('1003')).toBeDefined();
  });

  it('refreshes a short-lived token before it runs out, so no request is refused', async () => {
    const { client, sandbox, exchanges } = await setup({ tokenTtlSeconds: 1 });
    for (let i = 0; i < 8; i += 1) {
      await client.findNumberOwner('5000');
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(exchanges.filter((e) => e.status === 401)).toEqual([]);
    expect(sandbox.stats.byRoute['POST /api/auth/refresh_token']).toBeGreaterThanOrEqual(2);
    expect(sandbox.stats.byRoute['POST /api/auth/sign_in']).toBe(1);
  });

  it('maps a taken extension number to CONFLICT and a validation failure to INVALID with PortSIP’s message', async () => {
    const { client, sandbox } = await setup();
    sandbox.addNumberHolder('1004', 'CONFERENCE_ROOM');
    expect(await appErrorOf(client.createUser(numberedPbxUser(4)))).toMatchObject({
      code: 'CONFLICT',
      upstreamStatus: 400,
      upstreamCode: 'VALIDATE_FAILED',
    });
    const invalid = await appErrorOf(client.createUser({ ...numberedPbxUser(5), email: 'not-an-address' }));
    expect(invalid).toMatchObject({ code: 'INVALID', upstreamStatus: 400, upstreamCode: 'VALIDATE_FAILED' });
    expect(invalid.message).toBe('creating extension 1005 (user5): PortSIP answered 400 VALIDATE_FAILED (email: must be an email address)');
    const { id } = await client.createUser(numberedPbxUser(6));
    expect((await appErrorOf(client.updateUser(id, { displayName: 'x'.repeat(129) }))).code).toBe('INVALID');
  });

  it('creates users under a strict password policy', async () => {
    const { client, sandbox } = await setup();
    sandbox.setPasswordPolicy({ min_length: 12, max_length: 14 });
    for (let i = 10; i < 60; i += 1) await client.createUser(numberedPbxUser(i));
    expect(sandbox.listUsers()).toHaveLength(50);
  });

  it('retries 429 (honouring Retry-After) and 503, including a refused create', async () => {
    const { client, sandbox, exchanges } = await setup();
    await client.findNumberOwner('100'); // signed in
    sandbox.faults.throttleNext(2, 1);
    sandbox.faults.failNext(1, 503);
    const started = Date.now();
    await client.createUser(numberedPbxUser(7));
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    sandbox.faults.failNextMatching('POST', /^\/api\/users$/, 2, 503);
    await client.createUser(numberedPbxUser(8));
    expect(sandbox.findByExtension('1007')).toBeDefined();
    expect(sandbox.findByExtension('1008')).toBeDefined();
    expect(sandbox.stats.writes).toBe(2);
    expect(exchanges.filter((e) => e.status === 429)).toHaveLength(2);
    expect(exchanges.filter((e) => e.status === 503)).toHaveLength(3);
  });

  it('gives up after maxRetries with THROTTLED', async () => {
    const { client, sandbox } = await setup({}, { maxRetries: 1 });
    await client.findNumberOwner('100');
    sandbox.faults.throttleNext(2, 0);
    expect(await appErrorOf(client.findNumberOwner('101'))).toMatchObject({ code: 'THROTTLED', upstreamStatus: 429 });
  });

  it('refuses wrong credentials with a clear UNAUTHORIZED that does not contain the password', async () => {
    const { sandbox } = await setup();
    const wrong = new PortSipClient({
      baseUrl: sandbox.baseUrl,
      domain: sandbox.credentials.domain,
      username: 'syncadmin',
      password: 'Wrong#Pass1',
      role: 'StandardUser',
      rateLimitPerMinute: 6000,
      maxConcurrency: 2,
    });
    const err = await appErrorOf(wrong.getUser('x'));
    expect(err.code).toBe('UNAUTHORIZED');
    expect(err.message).toContain('the service account of sandbox.pbx.local');
    expect(err.message).not.toContain('syncadmin');
    expect(err.message).not.toContain('Wrong#Pass1');
  });

  it('paces itself to the PBX limit: a burst at 600 requests/minute sees no 429 and runs at the limit', async () => {
    const { client, sandbox } = await setup({ rateLimitPerMinute: 600 }, { rateLimitPerMinute: 600 });
    const started = Date.now();
    await Promise.all(Array.from({ length: 40 }, (_, i) => client.findNumberOwner(String(5000 + i))));
    const elapsed = Date.now() - started;
    expect(sandbox.stats.throttled).toBe(0);
    expect(client.requestCount()).toBe(41); // sign-in + 40
    // 41 requests at 10/s after a 10-request burst: 3.1 s is what the limit allows.
    expect(elapsed).toBeGreaterThanOrEqual(2900);
    expect(elapsed).toBeLessThan(3100 * 1.15);
  });
});
