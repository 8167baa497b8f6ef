import { randomBytes } from 'node:crypto';
import { CryptographyClient, KeyClient } from '@azure/keyvault-keys';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyVaultSandbox } from '../../../sandbox/keyvault/KeyVaultSandbox';

async function failureOf(call: Promise<unknown>): Promise<{ statusCode?: number; code?: string; message: string }> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Error);
  return err as { statusCode?: number; code?: string; message: string };
}

describe('KeyVaultSandbox keys with the real @azure/keyvault-keys clients', () => {
  let sandbox: KeyVaultSandbox;
  let keys: KeyClient;

  beforeAll(async () => {
    sandbox = await KeyVaultSandbox.start({ pageSize: 2 });
    keys = new KeyClient(sandbox.vaultUrl, sandbox.credential, sandbox.clientOptions);
  });
  afterAll(() => sandbox?.stop());

  const pathsSince = (start: number) =>
    sandbox.requests
      .slice(start)
      .filter((r) => r.status !== 401)
      .map((r) => `${r.method} ${r.path.replace(/[0-9a-f]{32}/g, '{v}')}`);

  it('creates an RSA key and reads it back, latest and by version, with its public JWK', async () => {
    const created = await keys.createRsaKey('wrap-test', { keySize: 3072, keyOps: ['wrapKey', 'unwrapKey'] });
    expect(created.id).toMatch(new RegExp(`^${sandbox.vaultUrl}/keys/wrap-test/[0-9a-f]{32}$`));
    expect(created.keyType).toBe('RSA');
    expect(created.keyOperations).toEqual(['wrapKey', 'unwrapKey']);
    expect(created.key?.n).toHaveLength(384);
    expect(Buffer.from(created.key!.e!).toString('hex')).toBe('010001');
    expect(created.key?.d).toBeUndefined();
    const latest = await keys.getKey('wrap-test');
    expect(latest.id).toBe(created.id);
    const byVersion = await keys.getKey('wrap-test', { version: created.properties.version! });
    expect(byVersion.id).toBe(created.id);
    const missing = await failureOf(keys.getKey('no-such-key'));
    expect(missing.statusCode).toBe(404);
    expect(missing.code).toBe('KeyNotFound');
  });

  it('rotates: a new version becomes the latest, and versions are listed across pages', async () => {
    const first = await keys.createRsaKey('rotating', { keySize: 2048 });
    const rotated = await keys.rotateKey('rotating');
    const byPolicy = await sandbox.rotateKeyNow('rotating');
    expect(rotated.id).not.toBe(first.id);
    expect((await keys.getKey('rotating')).id).toBe(byPolicy);
    const versions: string[] = [];
    for await (const version of keys.listPropertiesOfKeyVersions('rotating')) versions.push(version.id!);
    expect(versions.sort()).toEqual([first.id!, rotated.id!, byPolicy].sort());
  });

  it('wraps and unwraps RSA-OAEP-256 in the vault, by the version named, also after a rotation', async () => {
    const key = await keys.createRsaKey('remote-wrap', { keySize: 2048, keyOps: ['wrapKey', 'unwrapKey'] });
    const dataKey = randomBytes(32);
    const start = sandbox.requests.length;
    const crypto = new CryptographyClient(key.id!, sandbox.credential, sandbox.clientOptions);
    const wrapped = await crypto.wrapKey('RSA-OAEP-256', dataKey);
    expect(wrapped.keyID).toBe(key.id);
    // The SDK reads the key once, then wraps in the vault: RSA-OAEP-256 is not one of its local algorithms.
    expect(pathsSince(start)).toEqual(['GET /keys/remote-wrap/{v}', 'POST /keys/remote-wrap/{v}/wrapkey']);
    await keys.rotateKey('remote-wrap');
    const unwrapped = await new CryptographyClient(key.id!, sandbox.credential, sandbox.clientOptions).unwrapKey(
      'RSA-OAEP-256',
      wrapped.result,
    );
    expect(Buffer.from(unwrapped.result).equals(dataKey)).toBe(true);
    // Another version cannot unwrap it: Key Vault answers 400.
    const latest = await keys.getKey('remote-wrap');
    const wrong = await failureOf(
      new CryptographyClient(latest, sandbox.credential, sandbox.clientOptions).unwrapKey('RSA-OAEP-256', wrapped.result),
    );
    expect(wrong.statusCode).toBe(400);
  });

  it('lets the SDK wrap RSA-OAEP locally with the public key it read; the vault unwraps it', async () => {
    const key = await keys.createRsaKey('local-wrap', { keySize: 2048 });
    const dataKey = randomBytes(32);
    const crypto = new CryptographyClient(key.id!, sandbox.credential, sandbox.clientOptions);
    const start = sandbox.requests.length;
    const wrapped = await crypto.wrapKey('RSA-OAEP', dataKey);
    expect(pathsSince(start)).toEqual(['GET /keys/local-wrap/{v}']);
    const unwrapped = await crypto.unwrapKey('RSA-OAEP', wrapped.result);
    expect(pathsSince(start)).toEqual(['GET /keys/local-wrap/{v}', 'POST /keys/local-wrap/{v}/unwrapkey']);
    expect(Buffer.from(unwrapped.result).equals(dataKey)).toBe(true);
  });

  it('refuses operations a key does not allow, and a disabled version', async () => {
    const key = await keys.createRsaKey('sign-only', { keySize: 2048, keyOps: ['sign', 'verify'] });
    const crypto = new CryptographyClient(key.id!, sandbox.credential, sandbox.clientOptions);
    const refused = await failureOf(crypto.wrapKey('RSA-OAEP-256', randomBytes(32)));
    expect(refused.message).toMatch(/wrapKey is not supported/);
    const usable = await keys.createRsaKey('disabled', { keySize: 2048 });
    sandbox.disableKeyVersion('disabled', usable.properties.version!);
    const disabled = await failureOf(keys.getKey('disabled'));
    expect(disabled.statusCode).toBe(403);
  });

  it('soft-deletes keys: the name is held until purged or recovered', async () => {
    await keys.createRsaKey('to-delete', { keySize: 2048 });
    await (await keys.beginDeleteKey('to-delete')).pollUntilDone();
    expect((await failureOf(keys.getKey('to-delete'))).statusCode).toBe(404);
    const held = await failureOf(keys.createRsaKey('to-delete', { keySize: 2048 }));
    expect(held.statusCode).toBe(409);
    await (await keys.beginRecoverDeletedKey('to-delete')).pollUntilDone();
    expect((await keys.getKey('to-delete')).name).toBe('to-delete');
    await (await keys.beginDeleteKey('to-delete')).pollUntilDone();
    await keys.purgeDeletedKey('to-delete');
    await keys.createRsaKey('to-delete', { keySize: 2048 });
  });

  it('retries injected 503 faults on key operations as the SDK does', async () => {
    const key = await keys.createRsaKey('faulty', { keySize: 2048 });
    const crypto = new CryptographyClient(key, sandbox.credential, sandbox.clientOptions);
    sandbox.faults.failNext(2, 503);
    const wrapped = await crypto.wrapKey('RSA-OAEP-256', randomBytes(32));
    expect(sandbox.faults.pending).toBe(0);
    expect(wrapped.result.length).toBe(256);
  });
});
