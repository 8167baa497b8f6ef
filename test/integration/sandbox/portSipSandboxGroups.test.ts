import { afterEach, describe, expect, it } from 'vitest';
import { PortSipSandbox, type PortSipSandboxOptions } from '../../../sandbox/portsip';
import { expectPortSipError } from '../../support/expectPortSipError';
import { portSipRestCall } from '../../support/portSipRestCall';

let pbx: PortSipSandbox | undefined;
afterEach(async () => {
  await pbx?.stop();
  pbx = undefined;
});

async function start(options: PortSipSandboxOptions = {}): Promise<{ sandbox: PortSipSandbox; token: string }> {
  pbx = await PortSipSandbox.start(options);
  pbx.addUser({ name: 'alice', extension_number: '1001', email: 'alice@contoso.com', display_name: 'Alice' });
  pbx.addUser({ name: 'bob', extension_number: '1002', email: 'bob@contoso.com' });
  pbx.addNumberHolder('5000', 'RING_GROUP');
  const { username, password, domain } = pbx.credentials;
  const reply = await portSipRestCall(pbx, 'POST', '/api/auth/sign_in', { body: { username, password, domain } });
  expect(reply.status).toBe(200);
  return { sandbox: pbx, token: (reply.body as { access_token: string }).access_token };
}

async function createGroup(token: string, body: unknown): Promise<string> {
  const reply = await portSipRestCall(pbx!, 'POST', '/api/groups', { token, body });
  expect(reply.status, reply.text).toBe(201);
  return (reply.body as { id: string }).id;
}

describe('the sandbox PortSIP: user groups', () => {
  it('creates, reads, lists (paged), updates and destroys a group with PortSIP’s shapes', async () => {
    const { token } = await start();
    const id = await createGroup(token, { name: 'Sales', description: 'The sales team' });
    expect((await portSipRestCall(pbx!, 'GET', `/api/groups/${id}`, { token })).body).toEqual({
      id,
      name: 'Sales',
      description: 'The sales team',
      outbound_caller_ids: [],
    });
    const second = await createGroup(token, { name: 'Sales' }); // ⚠ duplicate names are allowed (undocumented)
    expect((await portSipRestCall(pbx!, 'GET', '/api/groups?skip=1&top=1', { token })).body).toEqual({
      count: 2,
      items: [{ id: second, name: 'Sales', description: null }],
    });

    const updated = await portSipRestCall(pbx!, 'POST', `/api/groups/${id}`, { token, body: { name: 'Sales EMEA' } });
    expect(updated.status).toBe(200);
    expect(updated.text).toBe('');
    expect((await portSipRestCall(pbx!, 'GET', `/api/groups/${id}`, { token })).body).toMatchObject({
      name: 'Sales EMEA',
      description: 'The sales team',
    });

    const destroyed = await portSipRestCall(pbx!, 'POST', `/api/groups/${id}/destroy`, { token });
    expect(destroyed.status).toBe(204);
    expectPortSipError(await portSipRestCall(pbx!, 'GET', `/api/groups/${id}`, { token }), 404, 'NOT_FOUND');
    expectPortSipError(await portSipRestCall(pbx!, 'POST', `/api/groups/${id}/destroy`, { token }), 404, 'NOT_FOUND');
    expectPortSipError(await portSipRestCall(pbx!, 'POST', `/api/groups/${id}`, { token, body: { name: 'x' } }), 404, 'NOT_FOUND');
  });

  it('requires a name of 1 to 64 characters and refuses list options it does not implement', async () => {
    const { token } = await start();
    expectPortSipError(await portSipRestCall(pbx!, 'POST', '/api/groups', { token, body: {} }), 400, 'VALIDATE_FAILED', 'name');
    expectPortSipError(await portSipRestCall(pbx!, 'POST', '/api/groups', { token, body: { name: '' } }), 400, 'VALIDATE_FAILED', 'name');
    expectPortSipError(
      await portSipRestCall(pbx!, 'POST', '/api/groups', { token, body: { name: 'x'.repeat(65) } }),
      400,
      'VALIDATE_FAILED',
      'name',
    );
    expectPortSipError(
      await portSipRestCall(pbx!, 'POST', '/api/groups', { token, body: { name: 'ok', description: 'd'.repeat(1025) } }),
      400,
      'VALIDATE_FAILED',
      'description',
    );
    const id = await createGroup(token, { name: 'x'.repeat(64) });
    expectPortSipError(
      await portSipRestCall(pbx!, 'POST', `/api/groups/${id}`, { token, body: { name: 'y'.repeat(65) } }),
      400,
      'VALIDATE_FAILED',
      'name',
    );
    expectPortSipError(await portSipRestCall(pbx!, 'GET', '/api/groups?top=101', { token }), 400, 'VALIDATE_FAILED', 'top');
    expectPortSipError(await portSipRestCall(pbx!, 'GET', '/api/groups?search=x', { token }), 400, 'VALIDATE_FAILED', 'search');
  });

  it('adds, checks, lists and removes members by extension number; only existing user extensions', async () => {
    const { sandbox, token } = await start();
    const id = await createGroup(token, { name: 'Support' });
    expect((await portSipRestCall(pbx!, 'POST', `/api/groups/${id}/members/1001`, { token })).status).toBe(200);
    expect((await portSipRestCall(pbx!, 'POST', `/api/groups/${id}/members/1002`, { token })).status).toBe(200);
    expect((await portSipRestCall(pbx!, 'GET', `/api/groups/${id}/members/1001`, { token })).body).toEqual({
      id: sandbox.findByExtension('1001')!.id,
      name: 'alice',
      display_name: 'Alice',
      extension_number: '1001',
    });
    const list = (await portSipRestCall(pbx!, 'GET', `/api/groups/${id}/members`, { token })).body as {
      items: Array<{ extension_number: string }>;
    };
    expect(Object.keys(list)).toEqual(['items']); // no count, no paging
    expect(list.items.map((m) => m.extension_number)).toEqual(['1001', '1002']);

    expectPortSipError(await portSipRestCall(pbx!, 'POST', `/api/groups/${id}/members/1001`, { token }), 400, 'VALIDATE_FAILED'); // already a member
    expectPortSipError(await portSipRestCall(pbx!, 'POST', `/api/groups/${id}/members/4242`, { token }), 404, 'NOT_FOUND'); // no such extension
    expectPortSipError(await portSipRestCall(pbx!, 'POST', `/api/groups/${id}/members/5000`, { token }), 404, 'NOT_FOUND'); // a ring group, not a user
    expectPortSipError(await portSipRestCall(pbx!, 'POST', `/api/groups/bm8tc3VjaA==/members/1001`, { token }), 404, 'NOT_FOUND');

    expect((await portSipRestCall(pbx!, 'POST', `/api/groups/${id}/members/1001/destroy`, { token })).status).toBe(204);
    expectPortSipError(await portSipRestCall(pbx!, 'GET', `/api/groups/${id}/members/1001`, { token }), 404, 'NOT_FOUND');
    expectPortSipError(await portSipRestCall(pbx!, 'POST', `/api/groups/${id}/members/1001/destroy`, { token }), 404, 'NOT_FOUND');

    // A deleted user leaves the group with it.
    const bobId = sandbox.findByExtension('1002')!.id;
    expect((await portSipRestCall(pbx!, 'POST', `/api/users/${bobId}/destroy`, { token })).status).toBe(204);
    expect(((await portSipRestCall(pbx!, 'GET', `/api/groups/${id}/members`, { token })).body as { items: unknown[] }).items).toEqual([]);
  });

  it('puts the group routes behind sign-in', async () => {
    const { token } = await start();
    expectPortSipError(await portSipRestCall(pbx!, 'GET', '/api/groups'), 401, 'UNAUTHORIZED');
    expectPortSipError(await portSipRestCall(pbx!, 'POST', '/api/groups', { body: { name: 'x' } }), 401, 'UNAUTHORIZED');
    expectPortSipError(await portSipRestCall(pbx!, 'GET', '/api/groups/abc/members', { token: 'not-a-token' }), 401, 'UNAUTHORIZED');
    expect((await portSipRestCall(pbx!, 'GET', '/api/groups', { token })).status).toBe(200);
  });

  it('puts the group routes behind the rate limit', async () => {
    // 60/min holds a burst of 2: the sign-in and one more request.
    const { sandbox, token } = await start({ rateLimitPerMinute: 60 });
    expect((await portSipRestCall(pbx!, 'GET', '/api/groups', { token })).status).toBe(200);
    expectPortSipError(await portSipRestCall(pbx!, 'POST', '/api/groups', { token, body: { name: 'x' } }), 429, 'TOO_MANY_REQUESTS');
    expect(sandbox.stats.throttled).toBe(1);
  });
});
