import { afterEach, describe, expect, it } from 'vitest';
import { type PbxUser } from '../../../shared/pbx/ports/PbxClient';
import { PortSipClient, type PortSipClientOptions } from '../../../shared/pbx/portsip/PortSipClient';
import { type FakeHandler, type FakePortSip, type FakeReply, startFakePortSip } from './fakePortSipServer';
import { appErrorOf } from '../../support/appErrorOf';

let fake: FakePortSip | undefined;
afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});

async function clientFor(handler: FakeHandler, options: Partial<PortSipClientOptions> = {}): Promise<PortSipClient> {
  fake = await startFakePortSip(handler);
  return new PortSipClient({
    baseUrl: `${fake.baseUrl}/`,
    domain: 'contoso.pbx',
    username: 'syncadmin',
    password: 'Admin!Pass#1',
    role: 'StandardUser',
    rateLimitPerMinute: 60_000,
    maxConcurrency: 4,
    maxRetries: 2,
    ...options,
  });
}

const ok = (body?: unknown, status = 200): FakeReply => ({ status, body });
const fail = (status: number, code: string, message: string, headers?: Record<string, string>): FakeReply => ({
  status,
  body: { errors: [{ code, message }] },
  headers,
});
const portSipUser = (n: number) => ({
  id: `id-${n}`,
  name: `user${n}`,
  extension_number: String(1000 + n),
  display_name: `User ${n}`,
  email: `user${n}@contoso.com`,
  mobile_phone: null,
  work_phone: null,
  department: null,
  enabled: true,
});
const newUser = {
  userName: 'kim',
  extensionNumber: '1001',
  displayName: 'Kim Lee',
  email: 'kim@contoso.com',
  mobilePhone: '',
  workPhone: '+1 425 555 0100',
  department: '',
  enabled: true,
};

async function collect(pages: AsyncIterable<PbxUser[]>): Promise<PbxUser[]> {
  const all: PbxUser[] = [];
  for await (const page of pages) all.push(...page);
  return all;
}

describe('PortSipClient (against a scripted PortSIP)', () => {
  it('signs in as the tenant admin, sends the bearer token and counts every request, retries included', async () => {
    let failures = 2;
    const client = await clientFor((r) => {
      if (r.path === '/users/id%3D1') return failures-- > 0 ? fail(503, 'UNKNOWN', 'busy', { 'retry-after': '0' }) : ok(portSipUser(1));
      return undefined;
    });
    expect(await client.getUser('id=1')).toMatchObject({
      id: 'id-1',
      userName: 'user1',
      extensionNumber: '1001',
      email: 'user1@contoso.com',
      mobilePhone: '',
    });
    expect(fake!.requests[0]).toMatchObject({
      method: 'POST',
      path: '/auth/sign_in',
      body: { username: 'syncadmin', password: 'Admin!Pass#1', domain: 'contoso.pbx' },
    });
    expect(fake!.apiRequests().map((r) => r.authorization)).toEqual(['Bearer access-1', 'Bearer access-1', 'Bearer access-1']);
    expect(client.requestCount()).toBe(4);
  });

  it('re-authenticates once on a 401 and replays the request; a second 401 is UNAUTHORIZED', async () => {
    let rejections = 1;
    const client = await clientFor((r) => {
      if (r.path === '/users/a') return rejections-- > 0 ? fail(401, 'UNAUTHORIZED', 'Unauthorized') : ok(portSipUser(1));
      if (r.path === '/users/b') return fail(401, 'UNAUTHORIZED', 'Unauthorized');
      return undefined;
    });
    expect(await client.getUser('a')).not.toBeNull();
    expect(fake!.requests.map((r) => `${r.path} ${r.authorization ?? ''}`.trim())).toEqual([
      '/auth/sign_in',
      '/users/a Bearer access-1',
      '/auth/refresh_token',
      '/users/a Bearer access-2',
    ]);
    const err = await appErrorOf(client.getUser('b'));
    expect(err.code).toBe('UNAUTHORIZED');
    expect(err.message).not.toMatch(/access-|refresh-|Admin!Pass/);
  });

  it('honours Retry-After on a 429 and holds its other requests meanwhile', async () => {
    let throttledAt = 0;
    const client = await clientFor((r) => {
      if (!r.path.startsWith('/users/')) return undefined;
      if (r.path === '/users/slow' && throttledAt === 0) {
        throttledAt = r.at;
        return fail(429, 'TOO_MANY_REQUESTS', 'Rate limit exceeded', { 'retry-after': '1' });
      }
      return ok(portSipUser(2));
    });
    const first = client.getUser('slow');
    await new Promise((r) => setTimeout(r, 100));
    await Promise.all([first, client.getUser('x'), client.getUser('y')]);
    const after = fake!.apiRequests().filter((r) => r.at > throttledAt);
    expect(after).toHaveLength(3);
    for (const r of after) expect(r.at - throttledAt).toBeGreaterThanOrEqual(950);
  });

  it('gives up after maxRetries: THROTTLED with retryAfterMs, TRANSIENT for outages and network failures', async () => {
    const client = await clientFor(
      (r) => {
        if (r.path === '/users/t') return fail(429, 'TOO_MANY_REQUESTS', 'slow down', { 'retry-after': '0' });
        if (r.path === '/users/d') return fail(503, 'UNKNOWN', 'down', { 'retry-after': '0' });
        if (r.path === '/users/n') return 'reset';
        return undefined;
      },
      { maxRetries: 1 },
    );
    const throttled = await appErrorOf(client.getUser('t'));
    expect(throttled).toMatchObject({ code: 'THROTTLED', upstreamStatus: 429, retryAfterMs: 0 });
    expect(await appErrorOf(client.getUser('d'))).toMatchObject({ code: 'TRANSIENT', upstreamStatus: 503 });
    const network = await appErrorOf(client.getUser('n'));
    expect(network.code).toBe('TRANSIENT');
    expect(network.message).toMatch(/^PortSIP GET \/api\/users\/n failed after 2 attempts: /);
    expect(fake!.apiRequests().filter((r) => r.path === '/users/n')).toHaveLength(2);
  });

  it('times out a request that gets no answer', async () => {
    const client = await clientFor((r) => (r.path === '/users/h' ? 'hang' : undefined), { maxRetries: 0, requestTimeoutMs: 200 });
    const err = await appErrorOf(client.getUser('h'));
    expect(err.code).toBe('TRANSIENT');
    expect(err.message).toContain('no answer within 0.2 s');
  });

  it('returns null for a missing user or a free number, and maps number types', async () => {
    const client = await clientFor((r) => {
      if (r.path === '/extension_numbers/600') return ok({ id: 'rg', extension_number: '600', name: 'Sales', type: 'RING_GROUP' });
      if (r.path === '/extension_numbers/700') return ok({ id: 'x', extension_number: '700', name: null, type: 'PAGING_GROUP' });
      return undefined;
    });
    expect(await client.getUser('gone')).toBeNull();
    expect(await client.findNumberOwner('999')).toBeNull();
    expect(await client.findNumberOwner('600')).toEqual({ id: 'rg', extensionNumber: '600', name: 'Sales', type: 'RING_GROUP' });
    expect(await client.findNumberOwner('700')).toEqual({ id: 'x', extensionNumber: '700', name: '', type: 'OTHER' });
  });

  it('pages users until count, advancing by what came back when the server caps top', async () => {
    const users = Array.from({ length: 95 }, (_, i) => portSipUser(i));
    const client = await clientFor((r) => {
      if (r.path !== '/users') return undefined;
      const skip = Number(r.query.get('skip'));
      return ok({ count: users.length, items: users.slice(skip, skip + Math.min(40, Number(r.query.get('top')))) });
    });
    expect((await collect(client.listUsers())).map((u) => u.id)).toEqual(users.map((u) => u.id));
    expect(fake!.apiRequests().map((r) => r.query.toString())).toEqual(['skip=0&top=100', 'skip=40&top=100', 'skip=80&top=100']);
  });

  it('loses no user if skip turns out to be 1-based (⚠ the docs disagree with the spec)', async () => {
    const users = Array.from({ length: 250 }, (_, i) => portSipUser(i));
    const client = await clientFor((r) => {
      if (r.path !== '/users') return undefined;
      const from = Math.max(0, Number(r.query.get('skip')) - 1);
      return ok({ count: users.length, items: users.slice(from, from + 100) });
    });
    const all = await collect(client.listUsers());
    expect(all.map((u) => u.id)).toEqual(users.map((u) => u.id));
  });

  it('stops at an empty page, at a short page without count, and at a page with nothing new', async () => {
    const client = await clientFor((r) => {
      if (r.path === '/users') return ok({ count: 500, items: Number(r.query.get('skip')) === 0 ? [portSipUser(1)] : [] });
      if (r.path === '/ring_groups') return ok({ items: [{ id: 'rg', extension_number: '600' }] });
      if (r.path === '/call_queues')
        return ok({ count: 999, items: Array.from({ length: 100 }, () => ({ id: 'same', extension_number: '601' })) });
      return undefined;
    });
    expect(await collect(client.listUsers())).toHaveLength(1);
    expect((await client.listNonUserNumbers()).sort()).toEqual(['600', '601']);
  });

  it('lists numbers held by ring groups, queues, conference rooms and IVRs; a missing list counts as empty', async () => {
    const client = await clientFor((r) => {
      if (r.path === '/ring_groups')
        return ok({
          count: 2,
          items: [
            { id: 'a', name: 'Sales', extension_number: '600' },
            { id: 'b', name: 'Support', extension_number: '601' },
          ],
        });
      if (r.path === '/call_queues') return ok({ count: 1, items: [{ id: 'c', extension_number: '700' }] });
      if (r.path === '/conference_rooms')
        return ok({
          count: 2,
          items: [
            { id: 'd', extension_number: '800' },
            { id: 'e', extension_number: null },
          ],
        });
      return undefined; // /ivrs: 404
    });
    expect((await client.listNonUserNumbers()).sort()).toEqual(['600', '601', '700', '800']);
    expect(
      fake!
        .apiRequests()
        .map((r) => r.path)
        .sort(),
    ).toEqual(['/call_queues', '/conference_rooms', '/ivrs', '/ring_groups']);
  });

  it('creates a user with policy-compliant credentials, reading the policy once', async () => {
    let next = 1;
    const client = await clientFor(
      (r) => {
        if (r.path === '/tenant/password_policy')
          return ok({
            min_length: 10,
            max_length: 12,
            contains_letters: true,
            contains_numbers: true,
            contains_special_letters: true,
            disable_sequential_characters: true,
            disable_repeating_characters: true,
            disable_account_information: true,
          });
        if (r.method === 'POST' && r.path === '/users') return ok({ id: `new-${next++}` }, 201);
        return undefined;
      },
      { role: 'User' },
    );
    expect(await client.createUser(newUser)).toEqual({ id: 'new-1' });
    expect(
      await client.createUser({ ...newUser, userName: 'lee', extensionNumber: '1002', mobilePhone: '+1 206', department: 'Sales' }),
    ).toEqual({ id: 'new-2' });
    const creates = fake!.apiRequests().filter((r) => r.path === '/users');
    expect(fake!.apiRequests().filter((r) => r.path === '/tenant/password_policy')).toHaveLength(1);
    const first = creates[0]!.body as Record<string, unknown>;
    expect(Object.keys(first).sort()).toEqual([
      'display_name',
      'email',
      'enabled',
      'extension_number',
      'extension_password',
      'name',
      'password',
      'role',
      'voicemail_pin',
      'work_phone',
    ]);
    expect(first).toMatchObject({
      name: 'kim',
      display_name: 'Kim Lee',
      email: 'kim@contoso.com',
      role: 'User',
      extension_number: '1001',
      enabled: true,
      work_phone: '+1 425 555 0100',
    });
    expect(String(first.password)).toHaveLength(12);
    expect(first.password).not.toBe(first.extension_password);
    expect(first.voicemail_pin).toMatch(/^[0-9]{6}$/);
    expect(creates[1]!.body).toMatchObject({ name: 'lee', mobile_phone: '+1 206', department: 'Sales' });
  });

  it('maps a taken number to CONFLICT and a refused field to INVALID with PortSIP’s message, never echoing a password', async () => {
    const client = await clientFor((r) => {
      if (r.path === '/tenant/password_policy') return ok({});
      if (r.method === 'POST' && r.path === '/users') {
        const body = r.body as { extension_number: string; password: string };
        if (body.extension_number === '1001') return fail(400, 'VALIDATE_FAILED', 'The extension number 1001 is already in use');
        return fail(400, 'VALIDATE_FAILED', `password ${body.password} must not contain the account name`);
      }
      return undefined;
    });
    expect(await appErrorOf(client.createUser(newUser))).toMatchObject({
      code: 'CONFLICT',
      upstreamStatus: 400,
      upstreamCode: 'VALIDATE_FAILED',
    });
    const invalid = await appErrorOf(client.createUser({ ...newUser, extensionNumber: '1002' }));
    expect(invalid.code).toBe('INVALID');
    expect(invalid.message).toBe(
      'creating extension 1002 (kim): PortSIP answered 400 VALIDATE_FAILED (password *** must not contain the account name)',
    );
  });

  it('updates only the given fields, sends "" to clear, and sends nothing for no change', async () => {
    const client = await clientFor((r) => (r.method === 'POST' && r.path === '/users/u1' ? ok() : undefined));
    await client.updateUser('u1', { department: '', enabled: false });
    await client.updateUser('u1', {});
    expect(fake!.apiRequests().map((r) => r.body)).toEqual([{ department: '', enabled: false }]);
  });

  it('deletes (already gone is fine), binds Microsoft 365, and surfaces other refusals', async () => {
    const client = await clientFor((r) => {
      if (r.path === '/users/u1/destroy') return { status: 204 };
      if (r.path === '/users/u2/destroy') return fail(404, 'NOT_FOUND', 'The user does not exist');
      if (r.path === '/users/u3/destroy') return fail(403, 'UNKNOWN', 'Only system-wide users may delete Admin users');
      if (r.path === '/users/u1/ms365_binding') return ok();
      return undefined;
    });
    await client.deleteUser('u1');
    await client.deleteUser('u2');
    expect(await appErrorOf(client.deleteUser('u3'))).toMatchObject({ code: 'FORBIDDEN', upstreamStatus: 403 });
    await client.bindMicrosoft365('u1', '5f0e…-oid');
    expect(fake!.apiRequests().filter((r) => r.path.endsWith('ms365_binding'))[0]).toMatchObject({
      method: 'POST',
      body: { id: '5f0e…-oid' },
    });
  });

  it('reports an answer it does not understand as INTERNAL naming the endpoint', async () => {
    const client = await clientFor((r) => (r.path === '/users' ? ok({ total: 1, users: [] }) : undefined));
    const err = await appErrorOf(collect(client.listUsers()));
    expect(err.code).toBe('INTERNAL');
    expect(err.message).toContain('GET /api/users');
  });
});
