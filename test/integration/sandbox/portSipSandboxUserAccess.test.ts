import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { PortSipSandbox, type PortSipSandboxOptions } from '../../../sandbox/portsip';
import { aliceUserBody } from '../../support/aliceUserBody';

interface Reply {
  status: number;
  text: string;
  body: unknown;
  headers: Headers;
}

interface ErrorBody {
  errors: Array<{ code: string; message: string; detail?: { field?: string } }>;
}

interface Tokens {
  access_token: string;
  refresh_token: string;
  expires_in: number;
}

let pbx: PortSipSandbox | undefined;
afterEach(async () => {
  await pbx?.stop();
  pbx = undefined;
});

async function call(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; bytes?: Uint8Array; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | Uint8Array | undefined;
  if (options.bytes) {
    headers['content-type'] = 'application/octet-stream';
    body = options.bytes;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const res = await fetch(`${pbx!.baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body: body as string }) });
  const text = res.headers.get('content-type')?.includes('json') || res.status >= 400 ? await res.text() : '';
  return { status: res.status, text, body: text ? (JSON.parse(text) as unknown) : undefined, headers: res.headers };
}

function expectError(reply: Reply, status: number, code: string, field?: string): void {
  expect(reply.status, reply.text).toBe(status);
  const error = (reply.body as ErrorBody).errors[0]!;
  expect(error.code).toBe(code);
  if (field !== undefined) expect(error.detail?.field).toBe(field);
}

const signInReply = (username: string, password: string, domain = pbx!.credentials.domain) =>
  call('POST', '/api/auth/sign_in', { body: { username, password, domain } });

async function signIn(username: string, password: string): Promise<Tokens> {
  const reply = await signInReply(username, password);
  expect(reply.status, reply.text).toBe(200);
  return reply.body as Tokens;
}

const PASSWORD = 'Portal#4Xy7q';

/** A sandbox, the admin's token, and one user (alice) created over REST with PASSWORD. */
async function start(options: PortSipSandboxOptions = {}): Promise<{ admin: string; userId: string }> {
  pbx = await PortSipSandbox.start(options);
  const admin = (await signIn(pbx.credentials.username, pbx.credentials.password)).access_token;
  const reply = await call('POST', '/api/users', {
    token: admin,
    body: aliceUserBody(PASSWORD),
  });
  expect(reply.status, reply.text).toBe(201);
  return { admin, userId: (reply.body as { id: string }).id };
}

describe('the sandbox PortSIP: users signing in', () => {
  it('signs a user in with the portal password they were created with, refreshes, and says who they are', async () => {
    await start();
    const tokens = await signIn('ALICE', PASSWORD); // names are case-insensitive
    expect(tokens.expires_in).toBe(3600);
    expect((await call('GET', '/api/auth/user', { token: tokens.access_token })).body).toEqual({
      role: 'StandardUser',
      password_verified: true,
      password_force_reset: false,
    });
    const refreshed = await call('POST', '/api/auth/refresh_token', { body: { refresh_token: tokens.refresh_token } });
    expect(refreshed.status).toBe(200);
    const renewed = refreshed.body as Tokens;
    expect((await call('GET', '/api/user/contacts', { token: renewed.access_token })).status).toBe(200);
    expectError(await call('POST', '/api/auth/refresh_token', { body: { refresh_token: tokens.refresh_token } }), 400, 'UNAUTHORIZED');
    expect(pbx!.stats.userSignIns).toBe(1);
  });

  it('refuses a wrong password, another domain and a user made without a password, as the auth page documents', async () => {
    await start();
    pbx!.addUser({ name: 'carol', extension_number: '1003', email: 'carol@contoso.com' });
    expectError(await signInReply('alice', 'Wrong#Pass9'), 400, 'UNAUTHORIZED');
    expectError(await signInReply('alice', PASSWORD, 'other.pbx.local'), 400, 'UNAUTHORIZED');
    expectError(await signInReply('carol', ''), 400, 'UNAUTHORIZED');
    expectError(await signInReply('nobody', PASSWORD), 400, 'UNAUTHORIZED');
    expect(pbx!.stats.userSignIns).toBe(0);
  });

  it('stops the kept password and the user’s sessions when the user changes it; the admin sets a new one within the policy', async () => {
    const { admin, userId } = await start();
    const before = await signIn('alice', PASSWORD);
    pbx!.changePasswordAsUser(userId, 'Mine!Now8wz');
    expectError(await signInReply('alice', PASSWORD), 400, 'UNAUTHORIZED');
    expectError(await call('GET', '/api/user/contacts', { token: before.access_token }), 401, 'UNAUTHORIZED');
    expectError(await call('POST', '/api/auth/refresh_token', { body: { refresh_token: before.refresh_token } }), 400, 'UNAUTHORIZED');
    await signIn('alice', 'Mine!Now8wz');

    const path = `/api/users/${encodeURIComponent(userId)}/password`;
    expectError(await call('POST', path, { token: admin, body: { password: 'short1!' } }), 400, 'VALIDATE_FAILED', 'password');
    expectError(await call('POST', path, { token: admin, body: { password: 'alice#Pass42' } }), 400, 'VALIDATE_FAILED', 'password');
    const alice = (await signIn('alice', 'Mine!Now8wz')).access_token;
    expectError(await call('POST', path, { token: alice, body: { password: 'Admin!Set7wq' } }), 403, 'FORBIDDEN');
    const reset = await call('POST', path, { token: admin, body: { password: 'Admin!Set7wq' } });
    expect(reset.status, reset.text).toBe(200);
    expect(reset.text).toBe('');
    await signIn('alice', 'Admin!Set7wq');
    expect(pbx!.userSecrets(userId)?.password).toBe('Admin!Set7wq');
    expect(pbx!.stats.writesByKind.passwords).toBe(1);
  });

  it('forces a reset: sign-in still answers tokens, /api/auth/user says so, and every /api/user call answers 403', async () => {
    const { admin, userId } = await start();
    const before = (await signIn('alice', PASSWORD)).access_token;
    pbx!.forcePasswordReset(userId);
    const token = (await signIn('alice', PASSWORD)).access_token;
    expect((await call('GET', '/api/auth/user', { token })).body).toMatchObject({ password_force_reset: true });
    expectError(await call('GET', '/api/user/contacts', { token }), 403, 'PASSWORD_RESET_REQUIRED');
    expectError(await call('POST', '/api/user', { token: before, body: { avatar_file_id: null } }), 403, 'PASSWORD_RESET_REQUIRED');
    expect(
      (await call('POST', `/api/users/${encodeURIComponent(userId)}/password`, { token: admin, body: { password: 'Admin!Set7wq' } }))
        .status,
    ).toBe(200);
    const after = (await signIn('alice', 'Admin!Set7wq')).access_token;
    expect((await call('GET', '/api/user/contacts', { token: after })).status).toBe(200);
  });

  it('answers a user with two-factor sign-in on with {two_factor_enabled, token} and no access token', async () => {
    const { userId } = await start();
    pbx!.enableTwoFactor(userId);
    const reply = await signInReply('alice', PASSWORD);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ two_factor_enabled: true, token: expect.any(String) });
    expect(pbx!.stats.userSignIns).toBe(0);
  });

  it('counts user sign-ins against the same rate limit as everything else', async () => {
    await start({ rateLimitPerMinute: 60 }); // two seconds' worth: a burst of 2 (the admin's sign-in and create took them)
    const reply = await signInReply('alice', PASSWORD);
    expect(reply.status).toBe(429);
    expect(pbx!.stats.throttled).toBe(1);
  });
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function upload(token: string, bytes: Uint8Array, digest = `sha256:${sha256(bytes)}`): Promise<Reply> {
  const started = await call('POST', '/api/blobs/uploads?filename=avatar.png&temporary=false', { token });
  expect(started.status, started.text).toBe(202);
  const uploadId = started.headers.get('portsip-upload-id')!;
  const uploadToken = started.headers.get('portsip-upload-token')!;
  expect(uploadId).toMatch(/^[0-9a-f-]{36}$/);
  const appended = await call('POST', `/api/blobs/uploads/${uploadId}/append`, {
    token,
    bytes,
    headers: { 'portsip-upload-token': uploadToken },
  });
  if (appended.status !== 203) return appended;
  return call('POST', `/api/blobs/uploads/${uploadId}/complete?digest=${encodeURIComponent(digest)}`, {
    token,
    headers: { 'portsip-upload-token': uploadToken },
  });
}

describe('the sandbox PortSIP: blob uploads and avatars', () => {
  it('uploads in chunks with the upload token, completes with the digest, and serves the bytes without a token', async () => {
    await start();
    const token = (await signIn('alice', PASSWORD)).access_token;
    const started = await call('POST', '/api/blobs/uploads?filename=a.bin', { token });
    const id = started.headers.get('portsip-upload-id')!;
    const uploadToken = started.headers.get('portsip-upload-token')!;
    const part = (text: string) => new TextEncoder().encode(text);
    expectError(
      await call('POST', `/api/blobs/uploads/${id}/append`, { token, bytes: part('x'), headers: { 'portsip-upload-token': 'nope' } }),
      403,
      'FORBIDDEN',
    );
    const first = await call('POST', `/api/blobs/uploads/${id}/append`, {
      token,
      bytes: part('hello '),
      headers: { 'portsip-upload-token': uploadToken },
    });
    expect(first.status).toBe(203);
    expect(first.headers.get('range')).toBe('0-5');
    // The last bytes may come with the completion itself.
    const digest = sha256(part('hello world'));
    const completed = await fetch(`${pbx!.baseUrl}/api/blobs/uploads/${id}/complete?digest=${digest}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'portsip-upload-token': uploadToken, 'content-type': 'application/octet-stream' },
      body: 'world',
    });
    expect(completed.status).toBe(201);
    expect(await completed.json()).toEqual({ id: expect.any(String) });
    const download = await fetch(`${pbx!.baseUrl}/api/blobs/sha256:${digest}`);
    expect(download.status).toBe(200);
    expect(await download.text()).toBe('hello world');
    expectError(await call('GET', `/api/blobs/sha256:${'0'.repeat(64)}`), 404, 'NOT_FOUND');
    expectError(
      await call('POST', `/api/blobs/uploads/${id}/append`, { token, bytes: part('x'), headers: { 'portsip-upload-token': uploadToken } }),
      404,
      'NOT_FOUND',
    );
  });

  it('refuses a digest that does not match (400) and an upload over 4 MiB (413)', async () => {
    await start();
    const token = (await signIn('alice', PASSWORD)).access_token;
    expectError(
      await upload(token, new Uint8Array([1, 2, 3]), `sha256:${sha256(new Uint8Array([1, 2]))}`),
      400,
      'VALIDATE_FAILED',
      'digest',
    );
    expectError(await upload(token, new Uint8Array([1, 2, 3]), 'md5:abc'), 400, 'VALIDATE_FAILED', 'digest');
    expectError(await upload(token, new Uint8Array(4 * 1024 * 1024 + 1)), 413, 'VALIDATE_FAILED');
    expect((await upload(token, new Uint8Array(4 * 1024 * 1024))).status).toBe(201);
    expectError(await call('POST', '/api/blobs/uploads'), 401, 'UNAUTHORIZED');
  });

  it('sets the signed-in user’s avatar from an uploaded file, shows it on the user, and removes it with null', async () => {
    const { admin, userId } = await start();
    const token = (await signIn('alice', PASSWORD)).access_token;
    const image = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const fileId = ((await upload(token, image)).body as { id: string }).id;
    expectError(
      await call('POST', '/api/user', { token, body: { avatar_file_id: 'no-such-file' } }),
      400,
      'VALIDATE_FAILED',
      'avatar_file_id',
    );
    expectError(await call('POST', '/api/user', { token: admin, body: { avatar_file_id: fileId } }), 403, 'FORBIDDEN');
    expect((await call('POST', '/api/user', { token, body: { avatar_file_id: fileId } })).status).toBe(200);

    const user = (await call('GET', `/api/users/${encodeURIComponent(userId)}`, { token: admin })).body;
    expect(user).toMatchObject({
      avatar_file_name: 'avatar.png',
      avatar_file_size: 7,
      avatar_file_url: `/api/blobs/sha256:${sha256(image)}`,
    });
    const listed = (await call('GET', '/api/users', { token: admin })).body as { items: unknown[] };
    expect(listed.items[0]).toMatchObject({ avatar_file_size: 7 });
    expect(pbx!.avatarOf(userId)).toMatchObject({ fileId, digest: sha256(image), bytes: Buffer.from(image) });

    expect((await call('POST', '/api/user', { token, body: { avatar_file_id: null } })).status).toBe(200);
    expect(pbx!.avatarOf(userId)).toBeUndefined();
    expect((await call('GET', `/api/users/${encodeURIComponent(userId)}`, { token: admin })).body).toMatchObject({ avatar_file_url: null });
    expect(pbx!.stats.writesByKind.avatars).toBe(2);
  });
});
