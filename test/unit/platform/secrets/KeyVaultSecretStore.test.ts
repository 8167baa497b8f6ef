import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/core/errors/AppError';
import { KeyVaultSecretStore, type KeyVaultSecretsClient } from '../../../../shared/platform/secrets/KeyVaultSecretStore';

interface StoredSecret {
  value: string;
  contentType?: string;
}

/** A RestError-shaped failure, as the Key Vault SDK throws them. */
function restError(statusCode: number | undefined, code: string, extra: object = {}): Error {
  return Object.assign(new Error(`${code}: Key Vault said no`), { name: 'RestError', statusCode, code, ...extra });
}

const done = { pollUntilDone: async () => undefined };

/** A SecretClient-shaped fake with soft delete, as Key Vault has it. */
class FakeSecretClient implements KeyVaultSecretsClient {
  readonly secrets = new Map<string, StoredSecret>();
  readonly deleted = new Map<string, StoredSecret>();
  failWith?: Error;

  async getSecret(name: string) {
    if (this.failWith) throw this.failWith;
    const secret = this.secrets.get(name);
    if (!secret) throw restError(404, 'SecretNotFound');
    return { value: secret.value, properties: { contentType: secret.contentType } };
  }

  async setSecret(name: string, value: string) {
    if (this.failWith) throw this.failWith;
    if (this.deleted.has(name) || name === 'taken') throw restError(409, 'Conflict');
    this.secrets.set(name, { value });
    return {};
  }

  async beginDeleteSecret(name: string) {
    const secret = this.secrets.get(name);
    if (!secret) throw restError(404, 'SecretNotFound');
    this.secrets.delete(name);
    this.deleted.set(name, secret);
    return done;
  }

  async beginRecoverDeletedSecret(name: string) {
    const secret = this.deleted.get(name);
    if (!secret) throw restError(404, 'DeletedSecretNotFound');
    this.deleted.delete(name);
    this.secrets.set(name, secret);
    return done;
  }
}

async function failure(promise: Promise<unknown>, code: string): Promise<AppError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe(code);
  return err as AppError;
}

const PEM = '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n';

describe('KeyVaultSecretStore', () => {
  it('reads, writes and deletes secrets', async () => {
    const client = new FakeSecretClient();
    const store = new KeyVaultSecretStore(client);
    await store.setSecret('pbx-admin', 'p@ss');
    expect(await store.getSecret('pbx-admin')).toBe('p@ss');
    await store.deleteSecret('pbx-admin');
    await store.deleteSecret('pbx-admin');
    await failure(store.getSecret('pbx-admin'), 'NOT_FOUND');
  });

  it('recovers a soft-deleted secret before writing its name again, and reports a real conflict', async () => {
    const client = new FakeSecretClient();
    const store = new KeyVaultSecretStore(client);
    await store.setSecret('pbx-admin', 'first');
    await store.deleteSecret('pbx-admin');
    await store.setSecret('pbx-admin', 'second');
    expect(await store.getSecret('pbx-admin')).toBe('second');
    await failure(store.setSecret('taken', 'x'), 'CONFLICT');
  });

  it('maps Key Vault failures to stable codes', async () => {
    const client = new FakeSecretClient();
    const store = new KeyVaultSecretStore(client);
    const missing = await failure(store.getSecret('nope'), 'NOT_FOUND');
    expect(missing.message).toContain('secret nope');
    for (const [err, code] of [
      [restError(403, 'Forbidden'), 'CONFIG'],
      [restError(401, 'Unauthorized'), 'CONFIG'],
      [restError(400, 'BadParameter'), 'CONFIG'],
      [restError(429, 'Throttled'), 'TRANSIENT'],
      [restError(503, 'ServiceUnavailable'), 'TRANSIENT'],
      [restError(undefined, 'REQUEST_SEND_ERROR'), 'TRANSIENT'],
      [Object.assign(new Error('no identity'), { name: 'CredentialUnavailableError' }), 'CONFIG'],
    ] as const) {
      client.failWith = err;
      await failure(store.getSecret('any'), code);
    }
  });

  it('never lets a written value reach the error, even through the SDK error it replaces', async () => {
    const client = new FakeSecretClient();
    client.failWith = restError(403, 'Forbidden', { request: { body: JSON.stringify({ value: 'TOP-SECRET-VALUE' }) } });
    const err = await failure(new KeyVaultSecretStore(client).setSecret('pbx-admin', 'TOP-SECRET-VALUE'), 'CONFIG');
    expect(inspect(err, { depth: 10, showHidden: true })).not.toContain('TOP-SECRET-VALUE');
  });

  it('returns a certificate backing secret stored as PEM', async () => {
    const client = new FakeSecretClient();
    client.secrets.set('graph-cert', { value: PEM, contentType: 'application/x-pem-file' });
    expect(await new KeyVaultSecretStore(client).getCertificatePem('graph-cert')).toBe(PEM);
  });

  it('asks for a PEM certificate when Key Vault holds it as PKCS#12', async () => {
    const client = new FakeSecretClient();
    client.secrets.set('graph-cert', { value: 'MIIKpAIBAzCCCl4GCSqGSIb3DQEHAaCCCk8', contentType: 'application/x-pkcs12' });
    const err = await failure(new KeyVaultSecretStore(client).getCertificatePem('graph-cert'), 'CONFIG');
    expect(err.message).toContain('application/x-pem-file');
    expect(err.message).not.toContain('MIIKpAIBAzCCCl4');
  });

  it('accepts a plain secret holding PEM text, refuses other plain secrets without quoting them', async () => {
    const client = new FakeSecretClient();
    client.secrets.set('pem-secret', { value: PEM });
    client.secrets.set('password', { value: 'hunter2' });
    const store = new KeyVaultSecretStore(client);
    expect(await store.getCertificatePem('pem-secret')).toBe(PEM);
    const err = await failure(store.getCertificatePem('password'), 'CONFIG');
    expect(err.message).not.toContain('hunter2');
    const missing = await failure(store.getCertificatePem('absent'), 'NOT_FOUND');
    expect(missing.message).toContain('certificate absent');
  });
});
