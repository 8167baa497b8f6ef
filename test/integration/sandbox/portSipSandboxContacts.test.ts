import { afterEach, describe, expect, it } from 'vitest';
import { PortSipSandbox } from '../../../sandbox/portsip';
import { expectPortSipError } from '../../support/expectPortSipError';
import { portSipRestCall } from '../../support/portSipRestCall';

let pbx: PortSipSandbox | undefined;
afterEach(async () => {
  await pbx?.stop();
  pbx = undefined;
});

async function signIn(username: string, password: string): Promise<string> {
  const reply = await portSipRestCall(pbx!, 'POST', '/api/auth/sign_in', { body: { username, password, domain: pbx!.credentials.domain } });
  expect(reply.status, reply.text).toBe(200);
  return (reply.body as { access_token: string }).access_token;
}

/** A sandbox with the admin signed in and two users created over REST (so they can sign in). */
async function start(): Promise<{ admin: string; users: Array<{ id: string; name: string; password: string }> }> {
  pbx = await PortSipSandbox.start();
  const admin = await signIn(pbx.credentials.username, pbx.credentials.password);
  const users = [];
  for (const [n, name] of ['alice', 'bob'].entries()) {
    const password = `Portal#${n}Xy7q`;
    const reply = await portSipRestCall(pbx, 'POST', '/api/users', {
      token: admin,
      body: {
        name,
        password,
        email: `${name}@contoso.com`,
        display_name: name,
        role: 'StandardUser',
        extension_number: String(1001 + n),
        extension_password: 'Sip!Pass4wq',
        voicemail_pin: '250794',
      },
    });
    expect(reply.status, reply.text).toBe(201);
    users.push({ id: (reply.body as { id: string }).id, name, password });
  }
  return { admin, users };
}

describe('the sandbox PortSIP: company contacts', () => {
  it('creates, reads, lists (paged), updates as a merge (clearing with "" or null) and destroys', async () => {
    const { admin } = await start();
    const created = await portSipRestCall(pbx!, 'POST', '/api/contacts', {
      token: admin,
      body: { name: 'Fabrikam Reception', email: 'desk@fabrikam.com', business: '+1 425 555 0100', notes: 'front desk', favorite: true },
    });
    expect(created.status, created.text).toBe(201);
    const id = (created.body as { id: string }).id;
    const read = await portSipRestCall(pbx!, 'GET', `/api/contacts/${encodeURIComponent(id)}`, { token: admin });
    expect(read.body).toMatchObject({
      id,
      name: 'Fabrikam Reception',
      email: 'desk@fabrikam.com',
      business: '+1 425 555 0100',
      company: null,
    });
    expect(read.body).not.toHaveProperty('favorite'); // company contacts have none

    const update = await portSipRestCall(pbx!, 'POST', `/api/contacts/${encodeURIComponent(id)}`, {
      token: admin,
      body: { email: '', business: null, title: 'Desk' },
    });
    expect(update.status).toBe(200);
    expect(update.text).toBe('');
    expect(pbx!.companyContacts()[0]).toMatchObject({
      name: 'Fabrikam Reception',
      email: null,
      business: null,
      title: 'Desk',
      notes: 'front desk',
    });

    for (let i = 0; i < 3; i += 1) await portSipRestCall(pbx!, 'POST', '/api/contacts', { token: admin, body: { name: `Contact ${i}` } });
    const page = await portSipRestCall(pbx!, 'GET', '/api/contacts?skip=1&top=2', { token: admin });
    expect(page.body).toMatchObject({ count: 4, items: [{ name: 'Contact 0' }, { name: 'Contact 1' }] });
    expectPortSipError(await portSipRestCall(pbx!, 'GET', '/api/contacts?top=101', { token: admin }), 400, 'VALIDATE_FAILED', 'top');
    expectPortSipError(await portSipRestCall(pbx!, 'GET', '/api/contacts?filter=name', { token: admin }), 400, 'VALIDATE_FAILED', 'filter');

    const destroyed = await portSipRestCall(pbx!, 'POST', `/api/contacts/${encodeURIComponent(id)}/destroy`, { token: admin });
    expect(destroyed.status).toBe(204);
    expectPortSipError(await portSipRestCall(pbx!, 'GET', `/api/contacts/${encodeURIComponent(id)}`, { token: admin }), 404, 'NOT_FOUND');
    expectPortSipError(
      await portSipRestCall(pbx!, 'POST', `/api/contacts/${encodeURIComponent(id)}/destroy`, { token: admin }),
      404,
      'NOT_FOUND',
    );
    expect(pbx!.stats.writesByKind.companyContacts).toBe(6); // 4 creates, 1 update, 1 destroy
  });

  it('refuses fields beyond PortSIP’s limits with 400 VALIDATE_FAILED naming the field, and changes nothing', async () => {
    const { admin } = await start();
    expectPortSipError(await portSipRestCall(pbx!, 'POST', '/api/contacts', { token: admin, body: {} }), 400, 'VALIDATE_FAILED', 'name');
    expectPortSipError(
      await portSipRestCall(pbx!, 'POST', '/api/contacts', { token: admin, body: { name: 'x'.repeat(65) } }),
      400,
      'VALIDATE_FAILED',
      'name',
    );
    expectPortSipError(
      await portSipRestCall(pbx!, 'POST', '/api/contacts', { token: admin, body: { name: 'A', company: 'c'.repeat(129) } }),
      400,
      'VALIDATE_FAILED',
      'company',
    );
    expectPortSipError(
      await portSipRestCall(pbx!, 'POST', '/api/contacts', { token: admin, body: { name: 'A', notes: 'n'.repeat(1025) } }),
      400,
      'VALIDATE_FAILED',
      'notes',
    );
    expect(
      (await portSipRestCall(pbx!, 'POST', '/api/contacts', { token: admin, body: { name: 'x'.repeat(64), notes: 'n'.repeat(1024) } }))
        .status,
    ).toBe(201);
    const id = pbx!.companyContacts()[0]!.id;
    expectPortSipError(
      await portSipRestCall(pbx!, 'POST', `/api/contacts/${encodeURIComponent(id)}`, { token: admin, body: { name: '' } }),
      400,
      'VALIDATE_FAILED',
      'name',
    );
    expectPortSipError(
      await portSipRestCall(pbx!, 'POST', `/api/contacts/${encodeURIComponent(id)}`, {
        token: admin,
        body: { home_phone2: 'p'.repeat(129) },
      }),
      400,
      'VALIDATE_FAILED',
      'home_phone2',
    );
    expect(pbx!.companyContacts()).toHaveLength(1);
    expect(pbx!.companyContacts()[0]!.home_phone2).toBeNull();
  });

  it('answers a user’s token with 403 on company contacts and an admin’s with 403 on personal contacts', async () => {
    const { admin, users } = await start();
    const alice = await signIn('alice', users[0]!.password);
    expectPortSipError(await portSipRestCall(pbx!, 'GET', '/api/contacts', { token: alice }), 403, 'FORBIDDEN');
    expectPortSipError(await portSipRestCall(pbx!, 'POST', '/api/contacts', { token: alice, body: { name: 'Nope' } }), 403, 'FORBIDDEN');
    expectPortSipError(await portSipRestCall(pbx!, 'GET', '/api/users', { token: alice }), 403, 'FORBIDDEN');
    expectPortSipError(await portSipRestCall(pbx!, 'GET', '/api/user/contacts', { token: admin }), 403, 'FORBIDDEN');
    expectPortSipError(
      await portSipRestCall(pbx!, 'POST', '/api/user/contacts', { token: admin, body: { name: 'Nope' } }),
      403,
      'FORBIDDEN',
    );
    expect(pbx!.companyContacts()).toHaveLength(0);
  });
});

describe('the sandbox PortSIP: personal contacts', () => {
  it('keeps each user’s contacts to that user, with favorite, and drops them with the user', async () => {
    const { admin, users } = await start();
    const alice = await signIn('alice', users[0]!.password);
    const bob = await signIn('bob', users[1]!.password);
    const created = await portSipRestCall(pbx!, 'POST', '/api/user/contacts', {
      token: alice,
      body: { name: 'Mum', mobile_phone: '+44 7700 900123' },
    });
    expect(created.status, created.text).toBe(201);
    const id = (created.body as { id: string }).id;
    const path = `/api/user/contacts/${encodeURIComponent(id)}`;

    expect((await portSipRestCall(pbx!, 'GET', '/api/user/contacts', { token: alice })).body).toMatchObject({
      count: 1,
      items: [{ id, name: 'Mum', mobile_phone: '+44 7700 900123', favorite: false, sync_type: null }],
    });
    expect((await portSipRestCall(pbx!, 'GET', '/api/user/contacts', { token: bob })).body).toEqual({ count: 0, items: [] });
    expectPortSipError(await portSipRestCall(pbx!, 'GET', path, { token: bob }), 404, 'NOT_FOUND');
    expectPortSipError(await portSipRestCall(pbx!, 'POST', path, { token: bob, body: { name: 'Mine now' } }), 404, 'NOT_FOUND');
    expectPortSipError(await portSipRestCall(pbx!, 'POST', `${path}/destroy`, { token: bob }), 404, 'NOT_FOUND');

    expect((await portSipRestCall(pbx!, 'POST', `${path}/favorite`, { token: alice })).status).toBe(200);
    expect((await portSipRestCall(pbx!, 'POST', path, { token: alice, body: { mobile_phone: '', notes: 'call on Sundays' } })).status).toBe(
      200,
    );
    expect((await portSipRestCall(pbx!, 'GET', path, { token: alice })).body).toMatchObject({
      name: 'Mum',
      mobile_phone: null,
      notes: 'call on Sundays',
      favorite: true,
    });
    expectPortSipError(
      await portSipRestCall(pbx!, 'POST', '/api/user/contacts', { token: alice, body: { name: 'A', email: 'e'.repeat(129) } }),
      400,
      'VALIDATE_FAILED',
      'email',
    );
    expect(pbx!.personalContacts(users[0]!.id)).toHaveLength(1);
    expect(pbx!.personalContacts(users[1]!.id)).toHaveLength(0);

    expect((await portSipRestCall(pbx!, 'POST', `/api/users/${encodeURIComponent(users[0]!.id)}/destroy`, { token: admin })).status).toBe(
      204,
    );
    expectPortSipError(await portSipRestCall(pbx!, 'GET', '/api/user/contacts', { token: alice }), 401, 'UNAUTHORIZED'); // the user's sessions went with them
    expect(pbx!.stats.writesByKind.personalContacts).toBe(3);
  });
});
