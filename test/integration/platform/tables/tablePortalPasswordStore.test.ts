import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyVaultSandbox } from '../../../../sandbox/keyvault/KeyVaultSandbox';
import { AppError } from '../../../../shared/core/errors/AppError';
import { rewrapTenantDataKeys } from '../../../../shared/credentials/portalPasswords/rewrapTenantDataKeys';
import { KeyVaultKeyWrapper } from '../../../../shared/platform/keys/KeyVaultKeyWrapper';
import { type KeyWrapper } from '../../../../shared/platform/keys/KeyWrapper';
import { createTableStores } from '../../../../shared/platform/tables/createTableStores';
import { freshStores, rejection, testTableStorage } from './storeTestTables';

/** A password no test could produce by accident, so finding it anywhere means it leaked. */
const secret = (label: string) => `Pw-${label}-${randomBytes(9).toString('base64url')}`;

describe('TablePortalPasswordStore (Azurite + Key Vault sandbox, real SDK clients)', () => {
  let sandbox: KeyVaultSandbox;
  let keyCount = 0;

  beforeAll(async () => {
    sandbox = await KeyVaultSandbox.start();
  });
  afterAll(() => sandbox?.stop());

  /** A wrapper over a Key Vault key of its own, created. */
  async function freshKey(): Promise<{ wrapper: KeyVaultKeyWrapper; keyName: string }> {
    const keyName = `portal-passwords-${keyCount++}`;
    const wrapper = new KeyVaultKeyWrapper(sandbox.vaultUrl, sandbox.credential, keyName, sandbox.clientOptions, { keySize: 2048 });
    await wrapper.ensureKey();
    return { wrapper, keyName };
  }

  /** Fresh tables, and a factory of stores over them as separate instances (each with its own cache) would build. */
  async function fresh(keyWrapper?: KeyWrapper) {
    const tables = await freshStores();
    const key = keyWrapper ? { wrapper: keyWrapper, keyName: '' } : await freshKey();
    const instance = async (wrapper: KeyWrapper = key.wrapper) => {
      const stores = await createTableStores(testTableStorage(tables.prefix), { keyWrapper: wrapper });
      return stores.portalPasswords!;
    };
    return { tables, ...key, passwords: await instance(), instance };
  }

  const calls = (operation: 'wrapkey' | 'unwrapkey', keyName: string) =>
    sandbox.requests.filter((r) => r.status === 200 && r.path.startsWith(`/keys/${keyName}/`) && r.path.endsWith(`/${operation}`)).length;

  it('builds the store only when given a key wrapper', async () => {
    const { portalPasswords, tenantDataKeys } = await freshStores();
    expect(portalPasswords).toBeUndefined();
    expect(tenantDataKeys).toBeDefined();
  });

  it('reserves, gets, replaces, marks refused and forgets, by login name in any case', async () => {
    const { passwords } = await fresh();
    const acme = passwords.forTenant('acme');
    const first = secret('first');
    expect(await acme.get('1001')).toBeNull();
    expect(await acme.reserve('1001', () => first)).toBe(first);
    // A second reserve (a replayed create) answers the kept one and does not generate.
    expect(await acme.reserve('1001', () => 'not-this')).toBe(first);
    expect(await acme.get('1001')).toEqual({ password: first });
    expect(await acme.get('USER.1001'.replace('USER.', ''))).toEqual({ password: first });

    await acme.markRefused('1001', 'passwordRejected');
    const refused = await acme.get('1001');
    expect(refused?.password).toBe(first);
    expect(refused?.refused?.reason).toBe('passwordRejected');
    expect(Date.parse(refused!.refused!.at)).toBeGreaterThan(Date.now() - 60_000);

    const second = secret('second');
    await acme.replace('1001', second);
    expect(await acme.get('1001')).toEqual({ password: second });

    await acme.reserve('Alice.Smith', () => 'alice-pw');
    expect((await acme.get('alice.smith'))?.password).toBe('alice-pw');
    expect((await acme.get('ALICE.SMITH'))?.password).toBe('alice-pw');

    await acme.forget('1001');
    await acme.forget('1001');
    expect(await acme.get('1001')).toBeNull();
    await rejection(acme.markRefused('1001', 'twoFactorRequired'), 'NOT_FOUND');
    expect(await passwords.forTenant('other').get('alice.smith')).toBeNull();
  });

  it('refuses login names and tenant ids that cannot be table keys', async () => {
    const { passwords } = await fresh();
    await rejection(passwords.forTenant('acme').get('a/b'), 'INVALID');
    await rejection(
      passwords.forTenant('acme').reserve('', () => 'x'),
      'INVALID',
    );
    expect(() => passwords.forTenant('ac#me')).toThrow(AppError);
  });

  it('concurrent reserves of one user, also from separate instances, all answer the one kept password', async () => {
    const { passwords, instance, tables } = await fresh();
    const other = await instance();
    const generated: string[] = [];
    const generate = () => {
      const password = secret(`gen${generated.length}`);
      generated.push(password);
      return password;
    };
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, n) => (n % 2 ? other : passwords).forTenant('acme').reserve('2001', generate)),
    );
    expect(new Set(answers).size).toBe(1);
    expect(generated).toContain(answers[0]);
    expect((await other.forTenant('acme').get('2001'))?.password).toBe(answers[0]);
    // Both instances raced to make the tenant's first data key: one version exists, and both use it.
    expect((await tables.tenantDataKeys.list('acme')).map((k) => k.version)).toEqual([1]);
  });

  it('keeps no password in clear in any stored row, and none in any error', async () => {
    const { passwords, tables } = await fresh();
    const kept = new Map<string, string>();
    for (const user of ['3001', '3002', 'carol']) {
      const password = secret(user);
      kept.set(user, password);
      await passwords.forTenant('acme').reserve(user, () => password);
    }
    await passwords.forTenant('acme').markRefused('3002', 'passwordResetRequired');
    const rows: Record<string, unknown>[] = [];
    for (const table of ['portalpasswords', 'tenantdatakeys'])
      for await (const row of tables.rawTable(table).listEntities<Record<string, unknown>>()) rows.push(row);
    expect(rows.length).toBe(4);
    const stored = JSON.stringify(rows);
    for (const password of kept.values()) {
      expect(stored).not.toContain(password);
      expect(stored).not.toContain(Buffer.from(password).toString('base64'));
      expect(stored).not.toContain(Buffer.from(password).toString('base64url'));
    }
    const passwordRow = rows.find((r) => r['rowKey'] === '3001')!;
    expect(
      Object.keys(passwordRow)
        .filter((k) => !k.startsWith('odata') && k !== 'etag' && k !== 'timestamp')
        .sort(),
    ).toEqual(['ciphertext', 'dataKeyVersion', 'iv', 'partitionKey', 'rowKey', 'tag', 'updatedAt']);

    // Errors of every kind this store raises name users and tenants, never a password.
    const raw = tables.rawTable('portalpasswords');
    const original = (await raw.getEntity<Record<string, unknown>>('acme', '3001')) as Record<string, unknown>;
    await raw.upsertEntity(
      { ...original, partitionKey: 'acme', rowKey: '3001', ciphertext: Buffer.from('tampered').toString('base64') },
      'Replace',
    );
    const errors = [
      await rejection(passwords.forTenant('acme').get('3001'), 'INTERNAL'),
      await rejection(passwords.forTenant('acme').markRefused('nobody', 'adopted'), 'NOT_FOUND'),
      await rejection(
        passwords.forTenant('acme').reserve('x/y', () => kept.get('carol')!),
        'INVALID',
      ),
    ];
    for (const err of errors)
      for (const password of kept.values()) expect(`${err.message} ${JSON.stringify(err.details ?? null)}`).not.toContain(password);
  });

  it('binds each row to its user and tenant: a row copied to another user or tenant does not decrypt', async () => {
    const { passwords, tables } = await fresh();
    const password = secret('moved');
    await passwords.forTenant('acme').reserve('4001', () => password);
    await passwords.forTenant('acme').reserve('4002', () => secret('other'));
    await passwords.forTenant('beta').reserve('4001', () => secret('beta'));
    const raw = tables.rawTable('portalpasswords');
    const row = await raw.getEntity<Record<string, unknown>>('acme', '4001');
    const { ciphertext, iv, tag, dataKeyVersion, updatedAt } = row;
    const copy = { ciphertext, iv, tag, dataKeyVersion, updatedAt } as Record<string, unknown>;
    await raw.upsertEntity({ partitionKey: 'acme', rowKey: '4002', ...copy }, 'Replace');
    await raw.upsertEntity({ partitionKey: 'beta', rowKey: '4001', ...copy }, 'Replace');
    const toUser = await rejection(passwords.forTenant('acme').get('4002'), 'INTERNAL');
    const toTenant = await rejection(passwords.forTenant('beta').get('4001'), 'INTERNAL');
    for (const err of [toUser, toTenant]) {
      expect(err.message).toContain('cannot be decrypted');
      expect(err.message).not.toContain(password);
    }
    expect((await passwords.forTenant('acme').get('4001'))?.password).toBe(password);
  });

  it('unwraps each tenant’s data key once for 500 users, however many are read at once', async () => {
    const { passwords, instance, keyName } = await fresh();
    const users = Array.from({ length: 500 }, (_, n) => `u${5000 + n}`);
    const expected = new Map(users.map((u) => [u, secret(u)]));
    const wrapsBefore = calls('wrapkey', keyName);
    for (let at = 0; at < users.length; at += 50)
      await Promise.all(users.slice(at, at + 50).map((u) => passwords.forTenant('acme').reserve(u, () => expected.get(u)!)));
    await passwords.forTenant('beta').reserve('u1', () => 'beta-pw');
    // One wrap per tenant's data key, at its creation; the creating instance never needs to unwrap it.
    expect(calls('wrapkey', keyName) - wrapsBefore).toBe(2);

    const reader = await instance();
    const unwrapsBefore = calls('unwrapkey', keyName);
    const read = await Promise.all(users.map((u) => reader.forTenant('acme').get(u)));
    expect(read.map((r) => r?.password)).toEqual(users.map((u) => expected.get(u)));
    for (const u of users.slice(0, 100)) expect((await reader.forTenant('acme').get(u))?.password).toBe(expected.get(u));
    expect((await reader.forTenant('beta').get('u1'))?.password).toBe('beta-pw');
    expect(calls('unwrapkey', keyName) - unwrapsBefore).toBe(2);
  });

  it('after the Key Vault key rotates: old versions still unwrap, the re-wrap moves every data key to the new version', async () => {
    const { passwords, instance, tables, keyName, wrapper } = await fresh();
    const tenants = ['t1', 't2', 't3', 't4', 't5'];
    const expected = new Map(tenants.map((t) => [t, secret(t)]));
    for (const t of tenants) await passwords.forTenant(t).reserve('1001', () => expected.get(t)!);
    const v1 = await wrapper.currentKeyId();

    const v2 = await sandbox.rotateKeyNow(keyName);
    expect(v2).not.toBe(v1);
    // Before the re-wrap, a fresh instance reads every password through v1.
    const before = await instance();
    for (const t of tenants) expect((await before.forTenant(t).get('1001'))?.password).toBe(expected.get(t));
    expect(new Set((await Promise.all(tenants.map((t) => tables.tenantDataKeys.list(t)))).flat().map((k) => k.keyId))).toEqual(
      new Set([v1]),
    );

    // Resumable: stop after one page of two, then go on from the token.
    const first = await rewrapTenantDataKeys({ dataKeys: tables.tenantDataKeys, keyWrapper: wrapper }, { pageSize: 2, maxPages: 1 });
    expect(first).toMatchObject({ keyId: v2, examined: 2, rewrapped: 2, done: false });
    expect(first.continuationToken).toBeTruthy();
    const rest = await rewrapTenantDataKeys(
      { dataKeys: tables.tenantDataKeys, keyWrapper: wrapper },
      { pageSize: 2, continuationToken: first.continuationToken },
    );
    expect(rest).toMatchObject({ keyId: v2, examined: 3, rewrapped: 3, changedMeanwhile: 0, failed: [], done: true });
    const keys = (await Promise.all(tenants.map((t) => tables.tenantDataKeys.list(t)))).flat();
    expect(keys.map((k) => k.keyId)).toEqual(tenants.map(() => v2));

    // Idempotent: nothing left to do.
    expect(await rewrapTenantDataKeys({ dataKeys: tables.tenantDataKeys, keyWrapper: wrapper })).toMatchObject({
      examined: 0,
      rewrapped: 0,
      done: true,
    });

    // After: a fresh instance reads everything, unwrapping with v2 only.
    const v2Version = v2.split('/').at(-1)!;
    const start = sandbox.requests.length;
    const after = await instance();
    for (const t of tenants) expect((await after.forTenant(t).get('1001'))?.password).toBe(expected.get(t));
    const unwraps = sandbox.requests.slice(start).filter((r) => r.path.endsWith('/unwrapkey') && r.status === 200);
    expect(unwraps.map((r) => r.path)).toEqual(tenants.map(() => `/keys/${keyName}/${v2Version}/unwrapkey`));
  });

  it('re-wrap reports a data key whose Key Vault version is gone, and goes on with the others', async () => {
    const { passwords, tables, keyName, wrapper } = await fresh();
    await passwords.forTenant('good').reserve('1', () => 'a');
    await passwords.forTenant('bad').reserve('1', () => 'b');
    const [bad] = await tables.tenantDataKeys.list('bad');
    // A row naming a version of this key that does not exist (e.g. restored from an old backup).
    await tables
      .rawTable('tenantdatakeys')
      .updateEntity({ partitionKey: 'bad', rowKey: '0000000001', keyId: bad!.keyId.replace(/[0-9a-f]{32}$/, 'f'.repeat(32)) }, 'Merge');
    await sandbox.rotateKeyNow(keyName);
    const report = await rewrapTenantDataKeys({ dataKeys: tables.tenantDataKeys, keyWrapper: wrapper });
    expect(report).toMatchObject({ examined: 2, rewrapped: 1, done: true });
    expect(report.failed).toEqual([expect.objectContaining({ tenantId: 'bad', version: 1, code: 'NOT_FOUND' })]);
  });

  it('rotates a tenant’s data key: every password re-encrypted with the new version, refusals kept, the old version dropped', async () => {
    const { passwords, instance, tables } = await fresh();
    const users = ['a1', 'a2', 'a3'];
    const expected = new Map(users.map((u) => [u, secret(u)]));
    for (const u of users) await passwords.forTenant('acme').reserve(u, () => expected.get(u)!);
    await passwords.forTenant('acme').markRefused('a2', 'passwordRejected');
    await passwords.forTenant('beta').reserve('b1', () => 'beta-pw');

    const rotation = await passwords.rotateTenantDataKey('acme');
    expect(rotation).toEqual({ version: 2, reencrypted: 3, droppedVersions: [1] });
    expect((await tables.tenantDataKeys.list('acme')).map((k) => k.version)).toEqual([2]);
    const rows: Record<string, unknown>[] = [];
    for await (const row of tables.rawTable('portalpasswords').listEntities<Record<string, unknown>>()) rows.push(row);
    expect(rows.filter((r) => r['partitionKey'] === 'acme').map((r) => r['dataKeyVersion'])).toEqual([2, 2, 2]);

    const reader = await instance();
    for (const u of users) expect((await reader.forTenant('acme').get(u))?.password).toBe(expected.get(u));
    expect((await reader.forTenant('acme').get('a2'))?.refused?.reason).toBe('passwordRejected');
    expect((await reader.forTenant('beta').get('b1'))?.password).toBe('beta-pw');
    // New passwords use the new version.
    await passwords.forTenant('acme').reserve('a4', () => 'new');
    expect((await tables.rawTable('portalpasswords').getEntity('acme', 'a4'))['dataKeyVersion']).toBe(2);
  });

  it('deletes a tenant’s passwords and data keys, and no other tenant’s', async () => {
    const { passwords, tables } = await fresh();
    await passwords.forTenant('acme').reserve('1', () => 'a');
    await passwords.forTenant('beta').reserve('1', () => 'b');
    await passwords.deleteAllForTenant('acme');
    await passwords.deleteAllForTenant('acme');
    expect(await passwords.forTenant('acme').get('1')).toBeNull();
    expect(await tables.tenantDataKeys.list('acme')).toEqual([]);
    expect((await passwords.forTenant('beta').get('1'))?.password).toBe('b');
    // The tenant made again starts with a new data key, also in this instance's cache.
    await passwords.forTenant('acme').reserve('1', () => 'again');
    expect((await passwords.forTenant('acme').get('1'))?.password).toBe('again');
  });

  it('never writes with a cached key of a tenant that another instance deleted and made again', async () => {
    const { passwords, instance } = await fresh();
    const other = await instance();
    await passwords.forTenant('acme').reserve('1', () => 'before');
    expect((await other.forTenant('acme').get('1'))?.password).toBe('before');
    // `other` holds data key version 1 of the old tenant; this instance deletes the tenant and makes a new version 1.
    await passwords.deleteAllForTenant('acme');
    await passwords.forTenant('acme').reserve('1', () => 'after');
    await other.forTenant('acme').reserve('2', () => 'written by other');
    expect((await passwords.forTenant('acme').get('2'))?.password).toBe('written by other');
    expect((await other.forTenant('acme').get('1'))?.password).toBe('after');
  });
});
