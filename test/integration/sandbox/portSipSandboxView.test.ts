import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PortSipSandbox } from '../../../sandbox/portsip';

let pbx: PortSipSandbox;
beforeEach(async () => {
  pbx = await PortSipSandbox.start({});
});
afterEach(async () => {
  await pbx.stop();
});

const SECRETS = { password: 'Pw#7x9Kq2m', extension_password: 'Sip#4z8Wq1', voicemail_pin: '258147' };
const SECRET_FIELDS = ['password', 'extension_password', 'voicemail_pin', 'enable_voicemail_pin', 'pin'];

async function call(method: string, path: string, init: { token?: string; body?: unknown } = {}) {
  const res = await fetch(`${pbx.baseUrl}${path}`, {
    method,
    headers: {
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.body ? { 'content-type': 'application/json' } : {}),
    },
    ...(init.body ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : undefined };
}

/** Two users created through the real PortSIP API (sign-in, create, bind), as the connector would. */
async function createUsersThroughTheApi(): Promise<{ alice: string; bob: string }> {
  const { username, password, domain } = pbx.credentials;
  const token = (await call('POST', '/api/auth/sign_in', { body: { username, password, domain } })).body.access_token as string;
  const create = async (body: Record<string, unknown>) => {
    const reply = await call('POST', '/api/users', { token, body: { role: 'StandardUser', ...SECRETS, ...body } });
    expect(reply.status, reply.text).toBe(201);
    return reply.body.id as string;
  };
  const alice = await create({
    name: 'alice',
    display_name: 'Alice Adams',
    email: 'alice@contoso.com',
    extension_number: '1001',
    mobile_phone: '+15550001',
    work_phone: '+15550101',
    department: 'Sales',
  });
  const bob = await create({ name: 'bob', display_name: 'Bob Brown', email: 'bob@contoso.com', extension_number: '1002', enabled: false });
  const bound = await call('POST', `/api/users/${alice}/ms365_binding`, { token, body: { id: '11111111-2222-3333-4444-555555555555' } });
  expect(bound.status, bound.text).toBeLessThan(300);
  return { alice, bob };
}

function expectNoSecret(text: string): void {
  for (const field of SECRET_FIELDS) expect(text).not.toContain(`"${field}"`);
  for (const value of Object.values(SECRETS)) expect(text).not.toContain(value);
  expect(text).not.toContain(pbx.credentials.password);
}

describe('the sandbox PBX view (/_sandbox)', () => {
  it('listens on loopback only', () => {
    expect(new URL(pbx.baseUrl).hostname).toBe('127.0.0.1');
  });

  it('GET /_sandbox/users shows the users as stored, without sign-in and without secrets', async () => {
    const { alice, bob } = await createUsersThroughTheApi();
    const reply = await call('GET', '/_sandbox/users');
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toContain('application/json');
    expect(reply.body.count).toBe(2);
    expect(reply.body.value).toEqual([
      {
        id: alice,
        extension_number: '1001',
        name: 'alice',
        display_name: 'Alice Adams',
        email: 'alice@contoso.com',
        mobile_phone: '+15550001',
        work_phone: '+15550101',
        department: 'Sales',
        enabled: true,
        role: 'StandardUser',
        ms365_binding: '11111111-2222-3333-4444-555555555555',
        sync_type: null,
        created_at: expect.any(String),
      },
      expect.objectContaining({ id: bob, extension_number: '1002', name: 'bob', enabled: false, ms365_binding: null, department: null }),
    ]);
    expectNoSecret(reply.text);
  });

  it('GET /_sandbox/users/{id} shows one user; an unknown id is 404', async () => {
    const { bob } = await createUsersThroughTheApi();
    const reply = await call('GET', `/_sandbox/users/${bob}`);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ id: bob, name: 'bob', display_name: 'Bob Brown', email: 'bob@contoso.com', enabled: false });
    expectNoSecret(reply.text);
    const missing = await call('GET', '/_sandbox/users/nope');
    expect(missing.status).toBe(404);
    expect(missing.body.errors[0].code).toBe('NOT_FOUND');
    expect((await call('GET', '/_sandbox/users/%E0%A4%A')).status).toBe(400);
  });

  it('GET /_sandbox is an index: counts, routes and what comes later', async () => {
    const { alice } = await createUsersThroughTheApi();
    pbx.addNumberHolder('2000', 'RING_GROUP');
    const aliceNumber = pbx.getUser(alice)!.extension_number;
    const group = pbx.addGroup('Front desk', [aliceNumber]);
    const reply = await call('GET', '/_sandbox');
    expect(reply.status).toBe(200);
    expect(reply.body.counts).toEqual({
      users: 2,
      enabledUsers: 1,
      boundToMicrosoft365: 1,
      groups: 1,
      numberHolders: { RING_GROUP: 1, CALL_QUEUE: 0, CONFERENCE_ROOM: 0, VIRTUAL_RECEPTIONIST: 0 },
    });
    expect(reply.body.routes.map((r: { method: string; path: string }) => `${r.method} ${r.path}`)).toEqual([
      'GET /_sandbox',
      'GET /_sandbox/users',
      'GET /_sandbox/users/{id}',
      'GET /_sandbox/groups',
      'GET /_sandbox/contacts',
      'GET /_sandbox/users/{id}/contacts',
    ]);
    expect(reply.body.note).toMatch(/passwords/);
    expectNoSecret(reply.text);
    const groups = await call('GET', '/_sandbox/groups');
    expect(groups.body).toEqual({ count: 1, value: [{ id: group.id, name: 'Front desk', description: null, members: [aliceNumber] }] });
  });

  it.each(['POST', 'PUT', 'PATCH', 'DELETE'])('%s is 405: the view is read-only', async (method) => {
    const { alice } = await createUsersThroughTheApi();
    for (const path of ['/_sandbox', '/_sandbox/users', `/_sandbox/users/${alice}`]) {
      const reply = await call(method, path, { body: { name: 'changed' } });
      expect(reply.status, `${method} ${path}`).toBe(405);
      expect(reply.headers.get('allow')).toBe('GET');
      expect(reply.body.errors[0].code).toBe('METHOD_NOT_ALLOWED');
    }
    expect(pbx.getUser(alice)?.name).toBe('alice');
    expect(pbx.listUsers()).toHaveLength(2);
  });

  it('shows the company phonebook and a user’s personal contacts and whether they have a picture', async () => {
    const { alice } = await createUsersThroughTheApi();
    pbx.addCompanyContact({ name: 'City Taxi', business: '+1 206 555 0170' });
    pbx.addPersonalContact(alice, { name: 'Dentist', business: '+1 206 555 0180' });
    const phonebook = await call('GET', '/_sandbox/contacts');
    expect(phonebook.body).toMatchObject({ count: 1, value: [{ name: 'City Taxi', business: '+1 206 555 0170' }] });
    const personal = await call('GET', `/_sandbox/users/${alice}/contacts`);
    expect(personal.body).toMatchObject({ count: 1, hasPicture: false, value: [{ name: 'Dentist' }] });
    expect((await call('GET', '/_sandbox/users/nobody/contacts')).status).toBe(404);
    expectNoSecret(personal.text);
  });

  it('an unknown view is 404, and the view is not PBX traffic (not in its stats)', async () => {
    const reply = await call('GET', '/_sandbox/calls');
    expect(reply.status).toBe(404);
    expect(reply.body.errors[0].message).toContain('GET /_sandbox lists them');
    expect(pbx.stats.requests).toBe(0);
  });
});

describe('the latency control', () => {
  it('delays PortSIP API answers from then on, off with 0; refuses a bad body or method; listed in the index', async () => {
    const timed = async () => {
      const started = performance.now();
      await call('POST', '/api/auth/sign_in', { body: { username: 'nobody', password: 'x', domain: 'd' } });
      return performance.now() - started;
    };
    expect(await call('POST', '/_sandbox/latency', { body: { ms: 300 } })).toMatchObject({ status: 200, body: { latencyMs: 300 } });
    expect(await timed()).toBeGreaterThanOrEqual(290);
    expect((await call('POST', '/_sandbox/latency', { body: { ms: 0 } })).status).toBe(200);
    expect(await timed()).toBeLessThan(250);
    expect((await call('POST', '/_sandbox/latency', { body: { ms: -1 } })).status).toBe(400);
    expect((await call('POST', '/_sandbox/latency', { body: { ms: 5, extra: 1 } })).status).toBe(400);
    expect((await call('GET', '/_sandbox/latency')).status).toBe(405);
    const index = await call('GET', '/_sandbox');
    expect(index.body.controls).toContainEqual(expect.objectContaining({ method: 'POST', path: '/_sandbox/latency' }));
  });
});
