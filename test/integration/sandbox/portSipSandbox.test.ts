import { afterEach, describe, expect, it } from 'vitest';
import { PortSipSandbox, type PortSipSandboxOptions } from '../../../sandbox/portsip';
import { passwordProblem, SANDBOX_PASSWORD_POLICY } from '../../../sandbox/portsip/passwordRules';

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  body: unknown;
}

interface ErrorBody {
  errors: Array<{ code: string; message: string; detail?: { field?: string } }>;
}

interface Page {
  count: number;
  items: Array<Record<string, unknown>>;
}

let pbx: PortSipSandbox | undefined;
afterEach(async () => {
  await pbx?.stop();
  pbx = undefined;
});

async function start(options: PortSipSandboxOptions = {}): Promise<PortSipSandbox> {
  pbx = await PortSipSandbox.start(options);
  return pbx;
}

async function call(method: string, path: string, options: { token?: string; body?: unknown; rawBody?: string } = {}): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const payload = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (payload !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${pbx!.baseUrl}${path}`, { method, headers, ...(payload === undefined ? {} : { body: payload }) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: text ? (JSON.parse(text) as unknown) : undefined };
}

async function signIn(): Promise<string> {
  const { username, password, domain } = pbx!.credentials;
  const reply = await call('POST', '/api/auth/sign_in', { body: { username, password, domain } });
  expect(reply.status).toBe(200);
  return (reply.body as { access_token: string }).access_token;
}

const errorOf = (reply: Reply) => (reply.body as ErrorBody).errors[0]!;

function expectError(reply: Reply, status: number, code: string, field?: string): void {
  expect(reply.status, reply.text).toBe(status);
  expect(reply.headers.get('content-type')).toContain('application/json');
  expect(errorOf(reply).code).toBe(code);
  expect(typeof errorOf(reply).message).toBe('string');
  if (field !== undefined) expect(errorOf(reply).detail?.field).toBe(field);
}

/** A create body that passes every rule of the default policy. */
function newUser(n: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: `user${n}`,
    display_name: `User ${n}`,
    password: 'Pw#7x9Kq2m',
    email: `user${n}@contoso.com`,
    role: 'StandardUser',
    extension_number: String(1000 + n),
    extension_password: 'Sip#4z8Wq1',
    voicemail_pin: '258147',
    ...overrides,
  };
}

async function createUser(token: string, body: Record<string, unknown>): Promise<string> {
  const reply = await call('POST', '/api/users', { token, body });
  expect(reply.status, reply.text).toBe(201);
  return (reply.body as { id: string }).id;
}

const SUMMARY_FIELDS = [
  'id',
  'name',
  'enabled',
  'email',
  'display_name',
  'role',
  'mobile_phone',
  'work_phone',
  'home_phone',
  'address',
  'department',
  'extension_number',
  'created_at',
  'avatar_file_name',
  'avatar_file_size',
  'avatar_file_url',
  'sync_type',
];

describe('PortSipSandbox: authentication', () => {
  it('signs the tenant admin in with its domain and refuses wrong credentials as the auth page documents', async () => {
    await start();
    const { username, password, domain } = pbx!.credentials;
    expect(pbx!.credentials).toEqual({ username: 'syncadmin', password: expect.any(String), domain: 'sandbox.pbx.local' });
    expect(passwordProblem(password, SANDBOX_PASSWORD_POLICY, username)).toBeUndefined();

    const ok = await call('POST', '/api/auth/sign_in', { body: { username, password, domain } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toContain('application/json');
    expect(ok.body).toEqual({
      token_type: 'Bearer',
      access_token: expect.stringMatching(/^[\w-]{48}$/),
      refresh_token: expect.stringMatching(/^[\w-]{48}$/),
      expires_in: 3600,
    });

    for (const body of [
      { username, password: 'Wrong#Pass1', domain },
      { username, password, domain: 'other.pbx.local' },
      { username, password },
      { username: 'someone', password, domain },
    ]) {
      const refused = await call('POST', '/api/auth/sign_in', { body });
      expectError(refused, 400, 'UNAUTHORIZED');
      expect(errorOf(refused).message).toBe('Login failed, authentication error');
    }
    expectError(await call('POST', '/api/auth/sign_in', { body: { password, domain } }), 400, 'VALIDATE_FAILED', 'username');
  });

  it('answers 401 UNAUTHORIZED without a valid bearer token, and tells the signed-in admin who it is', async () => {
    await start();
    expectError(await call('GET', '/api/users'), 401, 'UNAUTHORIZED');
    expectError(await call('GET', '/api/users', { token: 'not-a-token' }), 401, 'UNAUTHORIZED');
    const token = await signIn();
    const me = await call('GET', '/api/auth/user', { token });
    expect(me.body).toEqual({ role: 'Admin', password_verified: true, password_force_reset: false });
  });

  it('expires access tokens after tokenTtlSeconds and rotates refresh tokens', async () => {
    await start({ tokenTtlSeconds: 1 });
    const { username, password, domain } = pbx!.credentials;
    const first = (await call('POST', '/api/auth/sign_in', { body: { username, password, domain } })).body as {
      access_token: string;
      refresh_token: string;
      expires_in: number;
    };
    expect(first.expires_in).toBe(1);
    expect((await call('GET', '/api/roles', { token: first.access_token })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));
    expectError(await call('GET', '/api/roles', { token: first.access_token }), 401, 'UNAUTHORIZED');

    const refreshed = await call('POST', '/api/auth/refresh_token', { body: { refresh_token: first.refresh_token } });
    expect(refreshed.status).toBe(200);
    const second = refreshed.body as { access_token: string; refresh_token: string };
    expect(second.access_token).not.toBe(first.access_token);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect((await call('GET', '/api/roles', { token: second.access_token })).status).toBe(200);

    // The used refresh token no longer works; the new one does, once.
    expectError(await call('POST', '/api/auth/refresh_token', { body: { refresh_token: first.refresh_token } }), 400, 'UNAUTHORIZED');
    expect((await call('POST', '/api/auth/refresh_token', { body: { refresh_token: second.refresh_token } })).status).toBe(200);
    expectError(await call('POST', '/api/auth/refresh_token', { body: { refresh_token: second.refresh_token } }), 400, 'UNAUTHORIZED');
    expectError(await call('POST', '/api/auth/refresh_token', { body: {} }), 400, 'VALIDATE_FAILED', 'refresh_token');
  });

  it('faults.expireTokens() invalidates every access token but leaves refresh tokens working', async () => {
    await start();
    const { username, password, domain } = pbx!.credentials;
    const tokens = (await call('POST', '/api/auth/sign_in', { body: { username, password, domain } })).body as {
      access_token: string;
      refresh_token: string;
    };
    const other = await signIn();
    pbx!.faults.expireTokens();
    expectError(await call('GET', '/api/users', { token: tokens.access_token }), 401, 'UNAUTHORIZED');
    expectError(await call('GET', '/api/users', { token: other }), 401, 'UNAUTHORIZED');
    const refreshed = await call('POST', '/api/auth/refresh_token', { body: { refresh_token: tokens.refresh_token } });
    expect((await call('GET', '/api/users', { token: (refreshed.body as { access_token: string }).access_token })).status).toBe(200);
  });

  it('sign_out ends the session: its access and refresh tokens stop working, other sessions do not', async () => {
    await start();
    const { username, password, domain } = pbx!.credentials;
    const tokens = (await call('POST', '/api/auth/sign_in', { body: { username, password, domain } })).body as {
      access_token: string;
      refresh_token: string;
    };
    const other = await signIn();
    const out = await call('POST', '/api/auth/sign_out', { token: tokens.access_token });
    expect(out.status).toBe(200);
    expect(out.text).toBe('');
    expectError(await call('GET', '/api/users', { token: tokens.access_token }), 401, 'UNAUTHORIZED');
    expectError(await call('POST', '/api/auth/refresh_token', { body: { refresh_token: tokens.refresh_token } }), 400, 'UNAUTHORIZED');
    expect((await call('GET', '/api/users', { token: other })).status).toBe(200);
  });
});

describe('PortSipSandbox: tenant facts', () => {
  it('serves the password policy (and its changes) and the built-in roles', async () => {
    await start();
    const token = await signIn();
    const policy = await call('GET', '/api/tenant/password_policy', { token });
    expect(policy.body).toEqual({
      min_length: 8,
      max_length: 32,
      contains_letters: true,
      contains_numbers: true,
      contains_special_letters: true,
      disable_sequential_characters: true,
      disable_repeating_characters: true,
      disable_account_information: true,
    });
    pbx!.setPasswordPolicy({ min_length: 12, disable_sequential_characters: false });
    expect((await call('GET', '/api/tenant/password_policy', { token })).body).toMatchObject({
      min_length: 12,
      max_length: 32,
      disable_sequential_characters: false,
    });

    const roles = (await call('GET', '/api/roles', { token })).body as Page;
    expect(roles.count).toBe(7);
    expect(roles.items.map((r) => r.name)).toEqual(expect.arrayContaining(['Admin', 'StandardUser', 'QueueManager']));
    for (const role of roles.items) expect(Object.keys(role).sort()).toEqual(['description', 'name']);
    expect(((await call('GET', '/api/roles?skip=5&top=1', { token })).body as Page).items).toHaveLength(1);
  });
});

describe('PortSipSandbox: creating users', () => {
  it('creates a user (201 {id}, an opaque base64 id) and shows every create field, the passwords too (as PortSIP v22.3+ does)', async () => {
    await start();
    const token = await signIn();
    const reply = await call('POST', '/api/users', {
      token,
      body: newUser(1, { mobile_phone: '+1 425 555 0101', department: '', enable_dnd: true, unknown_field: 'ignored' }),
    });
    expect(reply.status).toBe(201);
    expect(reply.headers.get('content-type')).toContain('application/json');
    const { id } = reply.body as { id: string };
    expect(Object.keys(reply.body as object)).toEqual(['id']);
    expect(Buffer.from(id, 'base64').toString()).toMatch(/^[0-9]{18,}$/);

    const detail = (await call('GET', `/api/users/${encodeURIComponent(id)}`, { token })).body as Record<string, unknown>;
    expect(detail).toMatchObject({
      id,
      name: 'user1',
      display_name: 'User 1',
      email: 'user1@contoso.com',
      role: 'StandardUser',
      enabled: true,
      extension_number: '1001',
      mobile_phone: '+1 425 555 0101',
      work_phone: null,
      department: null,
      voicemail_pin: '258147',
      enable_dnd: true,
      enable_hot_desking: false,
      delivery_outbound_cid: true,
      sms: 'DISABLE',
      sync_type: null,
      avatar_file_url: null,
    });
    expect(detail.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const sent = newUser(1);
    expect(detail).toMatchObject({ password: sent.password, extension_password: sent.extension_password });
    expect(pbx!.userSecrets(id)).toEqual({ password: sent.password, extensionPassword: sent.extension_password, voicemailPin: '258147' });
    for (const field of ['unknown_field', 'ms365_binding']) expect(detail).not.toHaveProperty(field);
    // The list view and the sandbox's own view never show them.
    const listed = (await call('GET', '/api/users', { token })).body as { items: Record<string, unknown>[] };
    expect(listed.items[0]).not.toHaveProperty('password');
    expect(JSON.stringify(pbx!.getUser(id))).not.toContain(String(sent.password));
    expect(pbx!.getUser(id)).toMatchObject({ name: 'user1', ms365_binding: null, department: null });
    expect(pbx!.stats.writes).toBe(1);
  });

  const long = (n: number) => 'x'.repeat(n);
  const invalid: Array<[string, Record<string, unknown>, string]> = [
    ...['name', 'display_name', 'password', 'email', 'role', 'extension_number', 'extension_password', 'voicemail_pin'].map(
      (field): [string, Record<string, unknown>, string] => [`missing ${field}`, { [field]: undefined }, field],
    ),
    ['a name with a space', { name: 'jane doe' }, 'name'],
    ['a name with @', { name: 'jane@doe' }, 'name'],
    ['a name starting with a period', { name: '.jane' }, 'name'],
    ['a name ending with a period', { name: 'jane.' }, 'name'],
    ['a name of 65 characters', { name: long(65) }, 'name'],
    ['the reserved name admin', { name: 'admin' }, 'name'],
    ['the reserved name ROOT (any case)', { name: 'ROOT' }, 'name'],
    ['the reserved name System', { name: 'System' }, 'name'],
    ['the reserved name administrator', { name: 'administrator' }, 'name'],
    ['an email without @', { email: 'not-an-address' }, 'email'],
    ['an email of 129 characters', { email: `${long(117)}@contoso.com` }, 'email'],
    ['an empty display name', { display_name: '' }, 'display_name'],
    ['a display name of 129 characters', { display_name: long(129) }, 'display_name'],
    ['a mobile phone of 33 characters', { mobile_phone: '1'.repeat(33) }, 'mobile_phone'],
    ['a work phone of 33 characters', { work_phone: '1'.repeat(33) }, 'work_phone'],
    ['a department of 129 characters', { department: long(129) }, 'department'],
    ['an address of 129 characters', { address: long(129) }, 'address'],
    ['an extension number with letters', { extension_number: '10a1' }, 'extension_number'],
    ['an extension number of 2 digits', { extension_number: '12' }, 'extension_number'],
    ['an extension number of 65 digits', { extension_number: '1'.repeat(65) }, 'extension_number'],
    ['an unknown role', { role: 'Overlord' }, 'role'],
    ['a password shorter than 8', { password: 'Pw#7x9K' }, 'password'],
    ['a password longer than 32', { password: `Pw#7${'x9K2'.repeat(8)}` }, 'password'],
    ['a password without a digit', { password: 'Pw#xqKzmr' }, 'password'],
    ['a password without a letter', { password: '#7#9#2#5#8' }, 'password'],
    ['a password without upper case or special', { password: 'pw7x9kq2m' }, 'password'],
    ['a password with a run (abc)', { password: 'Pw#7abcq2m' }, 'password'],
    ['a password with a run (123)', { password: 'Pw#7x123m' }, 'password'],
    ['a password with a descending run (CbA)', { password: 'Pw#7CbAq2m' }, 'password'],
    ['a password with repeats (aaa)', { password: 'Pw#7aaaq2m' }, 'password'],
    ['a password containing the user name', { password: 'X#9User7#w' }, 'password'],
    ['an empty extension password', { extension_password: '' }, 'extension_password'],
    ['an extension password breaking the policy', { extension_password: 'sip12345' }, 'extension_password'],
    ['a PIN of 5 digits', { voicemail_pin: '25814' }, 'voicemail_pin'],
    ['a PIN of 11 digits', { voicemail_pin: '25814725814' }, 'voicemail_pin'],
    ['a PIN with a letter', { voicemail_pin: '25814a' }, 'voicemail_pin'],
    ['a PIN with repeated digits (111)', { voicemail_pin: '251114' }, 'voicemail_pin'],
    ['a PIN with an ascending run (012)', { voicemail_pin: '790124' }, 'voicemail_pin'],
    ['a PIN with a descending run (987)', { voicemail_pin: '298741' }, 'voicemail_pin'],
    ['enabled as a string', { enabled: 'yes' }, 'enabled'],
    ['a phone as a number', { mobile_phone: 4255550101 }, 'mobile_phone'],
    ['an unknown sms mode', { sms: 'SOMETIMES' }, 'sms'],
    ['enable_dnd as a number', { enable_dnd: 1 }, 'enable_dnd'],
  ];

  it.each(invalid)('refuses %s with 400 VALIDATE_FAILED naming the field, and stores nothing', async (_what, overrides, field) => {
    await start();
    const token = await signIn();
    const body = newUser(7, overrides);
    for (const [key, value] of Object.entries(overrides)) if (value === undefined) delete body[key];
    expectError(await call('POST', '/api/users', { token, body }), 400, 'VALIDATE_FAILED', field);
    expect(pbx!.listUsers()).toEqual([]);
    expect(pbx!.stats.writes).toBe(0);
  });

  it('accepts what the rules allow: an upper case letter instead of a special, a special instead of upper case, PIN of 10', async () => {
    await start();
    const token = await signIn();
    await createUser(token, newUser(1, { password: 'Pw7x9kq2m' }));
    await createUser(token, newUser(2, { password: 'pw#7x9kq2m', voicemail_pin: '2581472581' }));
    await createUser(token, newUser(3, { name: "o'brien.j-2_x", enabled: false, address: null }));
    expect(pbx!.findByExtension('1003')).toMatchObject({ name: "o'brien.j-2_x", enabled: false, address: null });
  });

  it('follows the tenant policy as it changes', async () => {
    await start();
    const token = await signIn();
    pbx!.setPasswordPolicy({ disable_sequential_characters: false, disable_account_information: false });
    await createUser(token, newUser(1, { password: 'User1#abc9' }));
    pbx!.setPasswordPolicy({ min_length: 16 });
    expectError(await call('POST', '/api/users', { token, body: newUser(2) }), 400, 'VALIDATE_FAILED', 'password');
  });

  it('refuses a taken extension number (user or number holder) and a taken name (any case); allows a repeated email', async () => {
    await start();
    const token = await signIn();
    await createUser(token, newUser(1));
    const sameNumber = await call('POST', '/api/users', { token, body: newUser(2, { extension_number: '1001' }) });
    expectError(sameNumber, 400, 'VALIDATE_FAILED', 'extension_number');
    expect(errorOf(sameNumber).message).toMatch(/already in use/);
    expectError(await call('POST', '/api/users', { token, body: newUser(2, { name: 'USER1' }) }), 400, 'VALIDATE_FAILED', 'name');
    // The admin account's own name is taken too.
    expectError(await call('POST', '/api/users', { token, body: newUser(2, { name: 'SyncAdmin' }) }), 400, 'VALIDATE_FAILED', 'name');

    const holders = ['RING_GROUP', 'CALL_QUEUE', 'CONFERENCE_ROOM', 'VIRTUAL_RECEPTIONIST'] as const;
    holders.forEach((type, i) => pbx!.addNumberHolder(String(600 + i), type));
    for (let i = 0; i < holders.length; i += 1) {
      const taken = await call('POST', '/api/users', { token, body: newUser(10 + i, { extension_number: String(600 + i) }) });
      expectError(taken, 400, 'VALIDATE_FAILED', 'extension_number');
      expect(errorOf(taken).message).toMatch(/already in use/);
    }

    // ⚠ Real behaviour unknown; the sandbox allows a repeated email.
    await createUser(token, newUser(3, { email: 'USER1@contoso.com' }));
    expect(pbx!.listUsers().map((u) => u.name)).toEqual(['user1', 'user3']);
  });
});

describe('PortSipSandbox: listing users', () => {
  async function seeded(count: number): Promise<string> {
    await start();
    for (let i = 0; i < count; i += 1) pbx!.addUser({ name: `u${i}`, extension_number: String(3000 + i), email: `u${i}@contoso.com` });
    return signIn();
  }

  it('pages in creation order with 0-based skip and top 1-100 (default 100), with the summary fields', async () => {
    const token = await seeded(250);
    const first = (await call('GET', '/api/users', { token })).body as Page;
    expect(first.count).toBe(250);
    expect(first.items).toHaveLength(100);
    expect(Object.keys(first.items[0]!).sort()).toEqual([...SUMMARY_FIELDS].sort());
    expect(first.items[0]).toMatchObject({
      name: 'u0',
      extension_number: '3000',
      display_name: 'u0',
      enabled: true,
      role: 'StandardUser',
      department: null,
      avatar_file_name: null,
      sync_type: null,
    });

    const second = (await call('GET', '/api/users?skip=100&top=100', { token })).body as Page;
    expect(second.items.map((u) => u.name)).toEqual(Array.from({ length: 100 }, (_, i) => `u${100 + i}`));
    expect(((await call('GET', '/api/users?skip=240&top=100', { token })).body as Page).items.map((u) => u.name)).toEqual(
      Array.from({ length: 10 }, (_, i) => `u${240 + i}`),
    );
    expect((await call('GET', '/api/users?skip=250', { token })).body).toEqual({ count: 250, items: [] });
    expect(((await call('GET', '/api/users?skip=1&top=1', { token })).body as Page).items.map((u) => u.name)).toEqual(['u1']);

    for (const [query, field] of [
      ['top=101', 'top'],
      ['top=0', 'top'],
      ['top=-5', 'top'],
      ['top=ten', 'top'],
      ['skip=-1', 'skip'],
      ['skip=1.5', 'skip'],
    ]) {
      expectError(await call('GET', `/api/users?${query}`, { token }), 400, 'VALIDATE_FAILED', field);
    }
    expectError(await call('GET', '/api/users?orderby=name%20desc', { token }), 400, 'VALIDATE_FAILED', 'orderby');
  });

  it('keeps paging consistent after deletions', async () => {
    const token = await seeded(120);
    for (const n of [0, 5, 99, 100, 119]) {
      const { id } = pbx!.findByExtension(String(3000 + n))!;
      expect((await call('POST', `/api/users/${encodeURIComponent(id)}/destroy`, { token })).status).toBe(204);
    }
    const names: unknown[] = [];
    for (let skip = 0; ; skip += 7) {
      const page = (await call('GET', `/api/users?skip=${skip}&top=7`, { token })).body as Page;
      expect(page.count).toBe(115);
      if (page.items.length === 0) break;
      names.push(...page.items.map((u) => u.name));
    }
    expect(names).toEqual(pbx!.listUsers().map((u) => u.name));
    expect(names).not.toContain('u99');
    expect(names).toHaveLength(115);
  });

  it("filters by email (any case, every match), extension_number and name (with '' quoting); refuses other filters", async () => {
    const token = await seeded(5);
    pbx!.addUser({ name: "o'neil", extension_number: '4000', email: 'U3@Contoso.com' });
    const list = async (filter: string) => (await call('GET', `/api/users?filter=${encodeURIComponent(filter)}`, { token })).body as Page;

    const byEmail = await list("email eq 'u3@CONTOSO.com'");
    expect(byEmail.count).toBe(2);
    expect(byEmail.items.map((u) => u.name)).toEqual(['u3', "o'neil"]);
    expect((await list("extension_number eq '3002'")).items.map((u) => u.name)).toEqual(['u2']);
    expect((await list("name eq 'o''neil'")).items.map((u) => u.extension_number)).toEqual(['4000']);
    expect(await list("email eq 'nobody@contoso.com'")).toEqual({ count: 0, items: [] });

    for (const filter of [
      "department eq 'Sales'",
      "startswith(name,'u')",
      "email ne 'x@y.z'",
      'email eq u3@contoso.com',
      "name eq 'a' and name eq 'b'",
    ]) {
      expectError(await call('GET', `/api/users?filter=${encodeURIComponent(filter)}`, { token }), 400, 'VALIDATE_FAILED', 'filter');
    }
  });

  it('answers a deep page and an email lookup among 50,000 users', async () => {
    const token = await seeded(50_000);
    for (let i = 0; i < 20; i += 1) {
      const page = (await call('GET', `/api/users?skip=${49_000 + i * 50}&top=100`, { token })).body as Page;
      expect(page.items[0]!.name).toBe(`u${49_000 + i * 50}`);
    }
    const found = (await call('GET', `/api/users?filter=${encodeURIComponent("email eq 'u49999@contoso.com'")}`, { token })).body as Page;
    expect(found.items.map((u) => u.extension_number)).toEqual(['52999']);
  });
});

describe('PortSipSandbox: updating, deleting and binding users', () => {
  async function withUser(): Promise<{ token: string; id: string; path: string }> {
    await start();
    const token = await signIn();
    const id = await createUser(
      token,
      newUser(1, { mobile_phone: '+1 111', work_phone: '+1 222', department: 'Sales', address: '1 Main St' }),
    );
    return { token, id, path: `/api/users/${encodeURIComponent(id)}` };
  }

  it('merges: only the fields sent change; "" and null clear; the answer is 200 with no body', async () => {
    const { token, id, path } = await withUser();
    const reply = await call('POST', path, { token, body: { department: 'Ops', display_name: 'Jane Roe', enabled: false } });
    expect(reply.status).toBe(200);
    expect(reply.text).toBe('');
    expect(pbx!.getUser(id)).toMatchObject({
      department: 'Ops',
      display_name: 'Jane Roe',
      enabled: false,
      mobile_phone: '+1 111',
      work_phone: '+1 222',
      email: 'user1@contoso.com',
      address: '1 Main St',
    });

    expect(
      (await call('POST', path, { token, body: { mobile_phone: '', work_phone: null, enable_dnd: true, voicemail_pin: '369258' } })).status,
    ).toBe(200);
    const detail = (await call('GET', path, { token })).body as Record<string, unknown>;
    expect(detail).toMatchObject({
      mobile_phone: null,
      work_phone: null,
      department: 'Ops',
      address: '1 Main St',
      enable_dnd: true,
      voicemail_pin: '369258',
    });
    await call('POST', path, { token, body: { department: null } });
    expect((await call('GET', path, { token })).body).toMatchObject({
      department: null,
      enable_dnd: true,
      voicemail_pin: '369258',
      display_name: 'Jane Roe',
    });
    expect(pbx!.stats.writes).toBe(4);
  });

  it('moves the email index with an email change', async () => {
    const { token, path } = await withUser();
    await call('POST', path, { token, body: { email: 'jane.roe@contoso.com' } });
    const byOld = (await call('GET', `/api/users?filter=${encodeURIComponent("email eq 'user1@contoso.com'")}`, { token })).body as Page;
    const byNew = (await call('GET', `/api/users?filter=${encodeURIComponent("email eq 'Jane.Roe@contoso.com'")}`, { token })).body as Page;
    expect(byOld.count).toBe(0);
    expect(byNew.items.map((u) => u.name)).toEqual(['user1']);
  });

  it.each([
    ['name', { name: 'other' }],
    ['password', { password: 'Pw#7x9Kq2z' }],
    ['role', { role: 'Admin' }],
    ['extension_number', { extension_number: '2001' }],
    ['extension_password', { extension_password: 'Sip#4z8Wq9' }],
    ['email', { email: 'not-an-address' }],
    ['email', { email: '' }],
    ['display_name', { display_name: '' }],
    ['display_name', { display_name: 'x'.repeat(129) }],
    ['enabled', { enabled: 'no' }],
    ['department', { department: 'x'.repeat(129) }],
    ['voicemail_pin', { voicemail_pin: '123456' }],
    ['voicemail_pin', { voicemail_pin: '' }],
  ])('refuses an update of %s (%j) with 400 and changes nothing, even the valid fields beside it', async (field, change) => {
    const { token, id, path } = await withUser();
    const before = pbx!.getUser(id);
    expectError(await call('POST', path, { token, body: { department: 'Changed', ...change } }), 400, 'VALIDATE_FAILED', field);
    expect(pbx!.getUser(id)).toEqual(before);
    expect(pbx!.stats.writes).toBe(1);
  });

  it('destroys with 204 and no body; the user and its number are gone', async () => {
    const { token, id, path } = await withUser();
    const reply = await call('POST', `${path}/destroy`, { token });
    expect(reply.status).toBe(204);
    expect(reply.text).toBe('');
    expect(reply.headers.get('content-type')).toBeNull();
    expect(pbx!.getUser(id)).toBeUndefined();
    expectError(await call('GET', path, { token }), 404, 'NOT_FOUND');
    expectError(await call('POST', `${path}/destroy`, { token }), 404, 'NOT_FOUND');
    expectError(await call('POST', path, { token, body: { department: 'x' } }), 404, 'NOT_FOUND');
    expectError(await call('GET', '/api/extension_numbers/1001', { token }), 404, 'NOT_FOUND');
    await createUser(token, newUser(1));
  });

  it('binds to Microsoft 365 (200, idempotent) and unbinds (204)', async () => {
    const { token, id, path } = await withUser();
    const bind = await call('POST', `${path}/ms365_binding`, { token, body: { id: 'entra-oid-1' } });
    expect(bind.status).toBe(200);
    expect(bind.text).toBe('');
    expect((await call('POST', `${path}/ms365_binding`, { token, body: { id: 'entra-oid-1' } })).status).toBe(200);
    expect(pbx!.getUser(id)?.ms365_binding).toBe('entra-oid-1');
    expectError(await call('POST', `${path}/ms365_binding`, { token, body: {} }), 400, 'VALIDATE_FAILED', 'id');
    expectError(await call('POST', '/api/users/bm9ib2R5/ms365_binding', { token, body: { id: 'x' } }), 404, 'NOT_FOUND');

    const unbind = await call('POST', `${path}/ms365_binding/destroy`, { token });
    expect(unbind.status).toBe(204);
    expect(pbx!.getUser(id)?.ms365_binding).toBeNull();
    expect(pbx!.stats.writes).toBe(4); // create, bind, bind again, unbind
  });
});

describe('PortSipSandbox: extension numbers and their other holders', () => {
  it('says who owns a number (200) or that it is free (404)', async () => {
    await start();
    const token = await signIn();
    const id = await createUser(token, newUser(1));
    pbx!.addNumberHolder('600', 'RING_GROUP', 'Sales line');
    expect((await call('GET', '/api/extension_numbers/1001', { token })).body).toEqual({
      id,
      extension_number: '1001',
      name: 'user1',
      type: 'EXTENSION',
    });
    expect((await call('GET', '/api/extension_numbers/600', { token })).body).toMatchObject({
      extension_number: '600',
      name: 'Sales line',
      type: 'RING_GROUP',
    });
    expectError(await call('GET', '/api/extension_numbers/999', { token }), 404, 'NOT_FOUND');
    expectError(await call('GET', '/api/extension_numbers/ab', { token }), 400, 'VALIDATE_FAILED', 'extension_number');
  });

  it('lists ring groups, call queues, conference rooms and virtual receptionists (/ivrs) with the spec fields', async () => {
    await start();
    const token = await signIn();
    pbx!.addNumberHolder('600', 'RING_GROUP', 'Sales');
    pbx!.addNumberHolder('601', 'RING_GROUP');
    pbx!.addNumberHolder('700', 'CALL_QUEUE', 'Support');
    pbx!.addNumberHolder('800', 'CONFERENCE_ROOM', 'Weekly');
    pbx!.addNumberHolder('900', 'VIRTUAL_RECEPTIONIST', 'Main menu');
    const list = async (path: string) => (await call('GET', path, { token })).body as Page;

    const ringGroups = await list('/api/ring_groups');
    expect(ringGroups.count).toBe(2);
    expect(ringGroups.items[0]).toEqual({ id: expect.any(String), name: 'Sales', extension_number: '600' });
    expect((await list('/api/call_queues')).items).toEqual([{ id: expect.any(String), name: 'Support', extension_number: '700' }]);
    expect((await list('/api/conference_rooms')).items).toEqual([{ id: expect.any(String), subject: 'Weekly', extension_number: '800' }]);
    expect((await list('/api/ivrs')).items).toEqual([{ id: expect.any(String), name: 'Main menu', extension_number: '900' }]);
    expect((await list('/api/ring_groups?skip=1&top=1')).items.map((h) => h.extension_number)).toEqual(['601']);
    expectError(await call('GET', '/api/call_queues?top=101', { token }), 400, 'VALIDATE_FAILED', 'top');
    expectError(await call('GET', '/api/virtual_receptionists', { token }), 404, 'NOT_FOUND');
  });

  it('refuses, through its own API, a number or name that is already taken', async () => {
    await start();
    pbx!.addUser({ name: 'front', extension_number: '100', email: 'front@contoso.com' });
    pbx!.addNumberHolder('200', 'CALL_QUEUE');
    expect(() => pbx!.addUser({ name: 'other', extension_number: '200', email: 'o@contoso.com' })).toThrow(/already in use/);
    expect(() => pbx!.addUser({ name: 'FRONT', extension_number: '101', email: 'o@contoso.com' })).toThrow(/already in use/);
    expect(() => pbx!.addNumberHolder('100', 'RING_GROUP')).toThrow(/already in use/);
    const copy = pbx!.listUsers()[0]!;
    copy.display_name = 'changed outside';
    expect(pbx!.findByExtension('100')?.display_name).toBe('front');
  });
});

describe('PortSipSandbox: rate limit, faults and statistics', () => {
  it('throttles a burst beyond two seconds’ worth with 429, Retry-After and TOO_MANY_REQUESTS, on every /api route', async () => {
    await start({ rateLimitPerMinute: 600 }); // 10/s, a bucket of 20
    const token = await signIn();
    const replies = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        i % 2 ? call('GET', '/api/roles', { token }) : call('POST', '/api/auth/sign_in', { body: pbx!.credentials }),
      ),
    );
    const throttled = replies.filter((r) => r.status === 429);
    expect(replies.length - throttled.length).toBeGreaterThanOrEqual(19);
    expect(replies.length - throttled.length).toBeLessThanOrEqual(21);
    expect(pbx!.stats.throttled).toBe(throttled.length);
    expect(throttled.some((r) => r.text.includes('TOO_MANY_REQUESTS') && r.headers.get('retry-after') !== null)).toBe(true);
    for (const reply of throttled) {
      expectError(reply, 429, 'TOO_MANY_REQUESTS');
      expect(Number(reply.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    await new Promise((r) => setTimeout(r, Number(throttled[0]!.headers.get('retry-after')) * 1000));
    expect((await call('GET', '/api/roles', { token })).status).toBe(200);
  });

  it('throttleNext and failNext answer the next requests in order, changing nothing', async () => {
    await start();
    const token = await signIn();
    pbx!.faults.throttleNext(2, 7);
    pbx!.faults.failNext(1);
    pbx!.faults.failNext(1, 500);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const reply = await call('POST', '/api/users', { token, body: newUser(i) });
      statuses.push(reply.status);
      if (reply.status === 429) expect(reply.headers.get('retry-after')).toBe('7');
      if (reply.status >= 500) expectError(reply, reply.status, 'UNKNOWN');
    }
    expect(statuses).toEqual([429, 429, 503, 500, 201]);
    expect(pbx!.listUsers().map((u) => u.name)).toEqual(['user4']);
    expect(pbx!.stats.throttled).toBe(2);
    expect(pbx!.stats.writes).toBe(1);
  });

  it('failNextMatching fails only matching requests, and the failed write has no effect', async () => {
    await start();
    const token = await signIn();
    const id = await createUser(token, newUser(1));
    pbx!.faults.failNextMatching('POST', /^\/api\/users$/, 1, 503);
    pbx!.faults.failNextMatching('post', /\/destroy$/, 1, 502);
    expect((await call('GET', '/api/users', { token })).status).toBe(200);
    expect((await call('POST', `/api/users/${encodeURIComponent(id)}`, { token, body: { department: 'Ops' } })).status).toBe(200);
    expectError(await call('POST', '/api/users', { token, body: newUser(2) }), 503, 'UNKNOWN');
    expect(pbx!.findByExtension('1002')).toBeUndefined();
    expect((await call('POST', `/api/users/${encodeURIComponent(id)}/destroy`, { token })).status).toBe(502);
    expect(pbx!.getUser(id)).toBeDefined();
    await createUser(token, newUser(2));
    expect((await call('POST', `/api/users/${encodeURIComponent(id)}/destroy`, { token })).status).toBe(204);
    expect(pbx!.stats.writes).toBe(4); // create, update, create, destroy
  });

  it('counts requests per route, and resets', async () => {
    await start();
    const token = await signIn();
    const id = await createUser(token, newUser(1));
    await call('GET', `/api/users/${encodeURIComponent(id)}`, { token });
    await call('GET', `/api/users/${encodeURIComponent(id)}`, { token });
    await call('GET', '/api/nothing/here', { token });
    expect(pbx!.stats.requests).toBe(5);
    expect(pbx!.stats.byRoute).toEqual({
      'POST /api/auth/sign_in': 1,
      'POST /api/users': 1,
      'GET /api/users/{id}': 2,
      'GET (no route)': 1,
    });
    pbx!.stats.reset();
    expect(pbx!.stats).toMatchObject({ requests: 0, writes: 0, throttled: 0, byRoute: {} });
  });

  it('adds the configured latency', async () => {
    await start({ latencyMs: 120 });
    let started = performance.now();
    await signIn();
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    pbx!.faults.setLatency(0);
    started = performance.now();
    await signIn();
    expect(performance.now() - started).toBeLessThan(100);
  });
});

describe('PortSipSandbox: protocol', () => {
  it('answers unknown routes 404, other verbs 405, bad JSON 400, always in the PortSIP error shape', async () => {
    await start();
    const token = await signIn();
    expectError(await call('GET', '/api/nothing', { token }), 404, 'NOT_FOUND');
    expectError(await call('PUT', '/api/users', { token, body: {} }), 405, 'METHOD_NOT_ALLOWED');
    expectError(await call('DELETE', '/api/users/abc', { token }), 405, 'METHOD_NOT_ALLOWED');
    expectError(await call('POST', '/api/users', { token, rawBody: '{"name":' }), 400, 'VALIDATE_FAILED', 'body');
    expectError(await call('POST', '/api/users', { token, body: [newUser(1)] }), 400, 'VALIDATE_FAILED', 'body');
    expect(pbx!.listUsers()).toEqual([]);
  });
});

describe('PortSIP sandbox: providers (trunks) and outbound caller IDs', () => {
  it('keeps outbound_caller_ids on create and update, shows them on GET, and checks provider and DID rule', async () => {
    const sandbox = await start();
    const token = await signIn();
    const open = sandbox.addProvider({ name: 'Open trunk', didNumbers: '14255550100' });
    const strict = sandbox.addProvider({ name: 'Strict trunk', didNumbers: '14255550100-14255550199;3000', callerIdMustBeDid: true });
    const entry = { provider_id: strict, caller_id: '+14255550142', preferred: true, description: 'office', display_name: 'Ann' };
    const id = await createUser(token, newUser(1, { outbound_caller_ids: [entry] }));
    expect(((await call('GET', `/api/users/${id}`, { token })).body as Record<string, unknown>).outbound_caller_ids).toEqual([entry]);

    // Any number on a trunk without the rule; only DIDs on one with it.
    const update = (list: unknown) => call('POST', `/api/users/${id}`, { token, body: { outbound_caller_ids: list } });
    expect((await update([entry, { provider_id: open, caller_id: '+18005550100' }])).status).toBe(200);
    expect(sandbox.outboundCallerIds(id)).toEqual([entry, { provider_id: open, caller_id: '+18005550100' }]);
    const refused = await update([{ provider_id: strict, caller_id: '+12065550199' }]);
    expectError(refused, 400, 'VALIDATE_FAILED', 'outbound_caller_ids.0.caller_id');
    expect(errorOf(refused).message).toContain('is not a DID of the trunk Strict trunk');
    expect(sandbox.outboundCallerIds(id)).toHaveLength(2); // a refused update changes nothing
    expectError(await update([{ provider_id: 'nope', caller_id: '+1' }]), 400, 'VALIDATE_FAILED', 'outbound_caller_ids.0.provider_id');
    expectError(await update([{ provider_id: open }]), 400, 'VALIDATE_FAILED', 'outbound_caller_ids.0.caller_id');
    expectError(
      await update([{ provider_id: open, caller_id: '1'.repeat(65) }]),
      400,
      'VALIDATE_FAILED',
      'outbound_caller_ids.0.caller_id',
    );
    expectError(
      await call('POST', '/api/users', {
        token,
        body: newUser(2, { outbound_caller_ids: [{ provider_id: strict, caller_id: '+15550000' }] }),
      }),
      400,
      'VALIDATE_FAILED',
      'outbound_caller_ids.0.caller_id',
    );
    expect(sandbox.listUsers()).toHaveLength(1);
    expect((await update([])).status).toBe(200);
    expect(sandbox.outboundCallerIds(id)).toEqual([]);

    const providers = await call('GET', '/api/providers', { token });
    expect(providers.body).toEqual({
      count: 2,
      items: [
        { id: open, name: 'Open trunk', enabled: true, did_numbers: '14255550100' },
        { id: strict, name: 'Strict trunk', enabled: true, did_numbers: '14255550100-14255550199;3000' },
      ],
    });
    expect((await call('GET', `/api/providers/${strict}`, { token })).body).toMatchObject({ name: 'Strict trunk' });
    expectError(await call('GET', '/api/providers/nope', { token }), 404, 'NOT_FOUND');
  });
});
