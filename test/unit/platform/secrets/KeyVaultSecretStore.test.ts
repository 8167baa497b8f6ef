import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { KeyVaultSecretStore, type KeyVaultSecretsClient } from '../../../../shared/platform/secrets/KeyVaultSecretStore';
import { refusal } from '../../../support/refusal';

interface StoredSecret {
  value: string;
  contentType?: string;
}

/** A RestError-shaped failure, as the Key Vault SDK throws them. */
function restError(statusCode: number | undefined, code: string, extra: object = {}): Error {
  return Object.assign(new Error(`${code}: Key Vault said no`), { name: 'RestError', statusCode, code, ...extra });
}

const done = { pollUntilDone: async () => undefined };

/**
 * A SecretClient-shaped fake with soft delete, as Key Vault has it: a deleted secret keeps its name (setSecret
 * answers 409 ObjectIsDeletedButRecoverable) until recovered or purged; a purge takes `purgeLag` checks to finish;
 * the identity may be refused recover or purge (403), and purge protection refuses purge.
 */
class FakeSecretClient implements KeyVaultSecretsClient {
  readonly secrets = new Map<string, StoredSecret>();
  readonly deleted = new Map<string, StoredSecret>();
  readonly purging = new Map<string, number>();
  readonly calls: string[] = [];
  failWith?: Error;
  mayRecover = true;
  mayPurge = true;
  purgeLag = 0;

  async getSecret(name: string) {
    if (this.failWith) throw this.failWith;
    const secret = this.secrets.get(name);
    if (!secret) throw restError(404, 'SecretNotFound');
    return { value: secret.value, properties: { contentType: secret.contentType, updatedOn: new Date('2026-11-23T12:00:00Z') } };
  }

  async setSecret(name: string, value: string) {
    this.calls.push(`set ${name}`);
    if (this.failWith) throw this.failWith;
    if (this.deleted.has(name))
      throw restError(409, 'Conflict', { details: { error: { innererror: { code: 'ObjectIsDeletedButRecoverable' } } } });
    if (this.purging.has(name)) throw restError(409, 'Conflict');
    if (name === 'taken') throw restError(409, 'Conflict');
    this.secrets.set(name, { value });
    return {};
  }

  async beginDeleteSecret(name: string) {
    this.calls.push(`delete ${name}`);
    const secret = this.secrets.get(name);
    if (!secret) throw restError(404, 'SecretNotFound');
    this.secrets.delete(name);
    this.deleted.set(name, secret);
    return done;
  }

  async beginRecoverDeletedSecret(name: string) {
    this.calls.push(`recover ${name}`);
    if (!this.mayRecover) throw restError(403, 'Forbidden');
    const secret = this.deleted.get(name);
    if (!secret) throw restError(404, 'DeletedSecretNotFound');
    this.deleted.delete(name);
    this.secrets.set(name, secret);
    return done;
  }

  async getDeletedSecret(name: string) {
    const left = this.purging.get(name);
    if (left !== undefined) {
      if (left <= 0) this.purging.delete(name);
      else this.purging.set(name, left - 1);
      return {};
    }
    if (!this.deleted.has(name)) throw restError(404, 'DeletedSecretNotFound');
    return {};
  }

  async purgeDeletedSecret(name: string) {
    this.calls.push(`purge ${name}`);
    if (!this.mayPurge) throw restError(403, 'Forbidden');
    if (!this.deleted.has(name)) throw restError(404, 'DeletedSecretNotFound');
    this.deleted.delete(name);
    this.purging.set(name, this.purgeLag);
  }
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
    await refusal(store.getSecret('pbx-admin'), 'NOT_FOUND');
  });

  it('recovers a soft-deleted secret before writing its name again, and reports a real conflict', async () => {
    const client = new FakeSecretClient();
    const store = new KeyVaultSecretStore(client);
    await store.setSecret('pbx-admin', 'first');
    await store.deleteSecret('pbx-admin');
    await store.setSecret('pbx-admin', 'second');
    expect(await store.getSecret('pbx-admin')).toBe('second');
    expect(client.calls).toEqual(['set pbx-admin', 'delete pbx-admin', 'set pbx-admin', 'recover pbx-admin', 'set pbx-admin']);
    await refusal(store.setSecret('taken', 'x'), 'CONFLICT');
  });

  it('a tenant deleted and created again: delete, then write the same name at once (soft delete on)', async () => {
    const client = new FakeSecretClient();
    const store = new KeyVaultSecretStore(client, { purgePollMs: 0 });
    await store.setSecret('tenant-acme-pbx', 'old tenant');
    await store.deleteSecret('tenant-acme-pbx');
    await refusal(store.getSecret('tenant-acme-pbx'), 'NOT_FOUND');
    expect(await store.describeSecret('tenant-acme-pbx')).toBeUndefined();
    await store.setSecret('tenant-acme-pbx', 'new tenant');
    expect(await store.getSecret('tenant-acme-pbx')).toBe('new tenant');
    expect(await store.describeSecret('tenant-acme-pbx')).toEqual({ updatedOn: new Date('2026-11-23T12:00:00Z') });
  });

  it('purges instead when the identity may not recover, waits for the purge, and writes once', async () => {
    const client = new FakeSecretClient();
    client.mayRecover = false;
    client.purgeLag = 3;
    const store = new KeyVaultSecretStore(client, { purgePollMs: 0 });
    await store.setSecret('tenant-acme-pbx', 'old');
    await store.deleteSecret('tenant-acme-pbx');
    await store.setSecret('tenant-acme-pbx', 'new');
    expect(await store.getSecret('tenant-acme-pbx')).toBe('new');
    expect(client.calls.filter((c) => c.startsWith('set'))).toHaveLength(3);
    expect(client.calls).toContain('purge tenant-acme-pbx');
  });

  it('never loops on 409: neither recover nor purge allowed → one CONFLICT that says what to do', async () => {
    const client = new FakeSecretClient();
    client.mayRecover = false;
    client.mayPurge = false;
    const store = new KeyVaultSecretStore(client, { purgePollMs: 0 });
    await store.setSecret('tenant-acme-pbx', 'old');
    await store.deleteSecret('tenant-acme-pbx');
    const err = await refusal(store.setSecret('tenant-acme-pbx', 'new-SECRET'), 'CONFLICT');
    expect(err.message).toMatch(/deleted but recoverable.*recover it/);
    expect(err.message).not.toContain('new-SECRET');
    expect(client.calls.filter((c) => c === 'set tenant-acme-pbx')).toHaveLength(2);
  });

  it('gives up on a purge that never finishes with TRANSIENT, after a bounded number of checks', async () => {
    const client = new FakeSecretClient();
    client.mayRecover = false;
    client.purgeLag = 1000;
    const store = new KeyVaultSecretStore(client, { purgePollMs: 0, purgePolls: 5 });
    await store.setSecret('tenant-acme-pbx', 'old');
    await store.deleteSecret('tenant-acme-pbx');
    await refusal(store.setSecret('tenant-acme-pbx', 'new'), 'TRANSIENT');
  });

  it('maps Key Vault failures to stable codes', async () => {
    const client = new FakeSecretClient();
    const store = new KeyVaultSecretStore(client);
    const missing = await refusal(store.getSecret('nope'), 'NOT_FOUND');
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
      await refusal(store.getSecret('any'), code);
    }
  });

  it('never lets a written value reach the error, even through the SDK error it replaces', async () => {
    const client = new FakeSecretClient();
    client.failWith = restError(403, 'Forbidden', { request: { body: JSON.stringify({ value: 'TOP-SECRET-VALUE' }) } });
    const err = await refusal(new KeyVaultSecretStore(client).setSecret('pbx-admin', 'TOP-SECRET-VALUE'), 'CONFIG');
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
    const err = await refusal(new KeyVaultSecretStore(client).getCertificatePem('graph-cert'), 'CONFIG');
    expect(err.message).toContain('application/x-pem-file');
    expect(err.message).not.toContain('MIIKpAIBAzCCCl4');
  });

  it('accepts a plain secret holding PEM text, refuses other plain secrets without quoting them', async () => {
    const client = new FakeSecretClient();
    client.secrets.set('pem-secret', { value: PEM });
    client.secrets.set('password', { value: 'hunter2' });
    const store = new KeyVaultSecretStore(client);
    expect(await store.getCertificatePem('pem-secret')).toBe(PEM);
    const err = await refusal(store.getCertificatePem('password'), 'CONFIG');
    expect(err.message).not.toContain('hunter2');
    const missing = await refusal(store.getCertificatePem('absent'), 'NOT_FOUND');
    expect(missing.message).toContain('certificate absent');
  });
});
