import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/core/errors/AppError';
import { LocalSecretStore } from '../../../../shared/platform/secrets/LocalSecretStore';

const tempFile = () => join(mkdtempSync(join(tmpdir(), 'local-secrets-')), '.local', 'secrets.json');
const modeOf = (path: string) => statSync(path).mode & 0o777;

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('LocalSecretStore', () => {
  it('sets, reads and deletes secrets in a 0600 JSON file, creating its folder', async () => {
    const file = tempFile();
    const store = new LocalSecretStore(file);
    await store.setSecret('pbx-admin', '{"username":"admin","password":"p@ss"}');
    expect(await store.getSecret('pbx-admin')).toBe('{"username":"admin","password":"p@ss"}');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ 'pbx-admin': '{"username":"admin","password":"p@ss"}' });
    expect(modeOf(file)).toBe(0o600);
    await store.deleteSecret('pbx-admin');
    await store.deleteSecret('pbx-admin');
    expect((await failure(store.getSecret('pbx-admin'))).code).toBe('NOT_FOUND');
    expect(readdirSync(join(file, '..'))).toEqual(['secrets.json']);
  });

  it('behaves as Key Vault does for a deleted tenant created again: delete, then write the same name at once', async () => {
    const store = new LocalSecretStore(tempFile());
    await store.setSecret('tenant-acme-pbx', 'old');
    expect(await store.describeSecret('tenant-acme-pbx')).toEqual({});
    await store.deleteSecret('tenant-acme-pbx');
    expect(await store.describeSecret('tenant-acme-pbx')).toBeUndefined();
    await store.setSecret('tenant-acme-pbx', 'new');
    expect(await store.getSecret('tenant-acme-pbx')).toBe('new');
    expect(await store.describeSecret('constructor')).toBeUndefined();
  });

  it('reads nothing and writes nothing while the file does not exist', async () => {
    const file = tempFile();
    const store = new LocalSecretStore(file);
    const err = await failure(store.getSecret('missing'));
    expect(err.code).toBe('NOT_FOUND');
    expect(err.message).toContain('missing');
    await store.deleteSecret('missing');
    expect(existsSync(file)).toBe(false);
  });

  it('writes a seed into the file, where it wins over stored values and other stores see it', async () => {
    const file = tempFile();
    await new LocalSecretStore(file).setSecret('a', 'old');
    await new LocalSecretStore(file).setSecret('keep', 'kept');
    new LocalSecretStore(file, { a: 'seeded', b: 'new' });
    const other = new LocalSecretStore(file);
    expect([await other.getSecret('a'), await other.getSecret('b'), await other.getSecret('keep')]).toEqual(['seeded', 'new', 'kept']);
  });

  it('keeps certificates as PEM strings under their name', async () => {
    const pem =
      '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n';
    const store = new LocalSecretStore(tempFile(), { 'graph-cert': pem });
    expect(await store.getCertificatePem('graph-cert')).toBe(pem);
    expect((await failure(store.getCertificatePem('other-cert'))).code).toBe('NOT_FOUND');
  });

  it('tightens a file that others could read on the next write', async () => {
    const file = tempFile();
    await new LocalSecretStore(file).setSecret('a', '1');
    chmodSync(file, 0o644);
    await new LocalSecretStore(file).setSecret('b', '2');
    expect(modeOf(file)).toBe(0o600);
  });

  it('reports a broken file as CONFIG without quoting its content', async () => {
    const file = tempFile();
    new LocalSecretStore(file, { x: 'y' });
    writeFileSync(file, '{"token": "hunter2-secret"');
    const err = await failure(new LocalSecretStore(file).getSecret('token'));
    expect(err.code).toBe('CONFIG');
    expect(err.message).not.toContain('hunter2');
    writeFileSync(file, '{"token": 42}');
    expect((await failure(new LocalSecretStore(file).getSecret('token'))).code).toBe('CONFIG');
  });
});
