import { SecretClient, type SecretClientOptions } from '@azure/keyvault-secrets';
import type { TokenCredential } from '@azure/identity';
import { AppError, isAppError } from '../../core/errors/AppError';
import { type SecretInfo, type SecretStore, type SetSecretOptions } from './SecretStore';
import { keyVaultErrorFor } from './keyVaultErrorFor';

/** The SecretClient calls this store makes (a fake of this shape stands in for Key Vault in tests). */
export interface KeyVaultSecretsClient {
  getSecret(name: string): Promise<{
    value?: string | undefined;
    properties: { contentType?: string | undefined; updatedOn?: Date | undefined; expiresOn?: Date | undefined };
  }>;
  setSecret(name: string, value: string, options?: { expiresOn?: Date }): Promise<unknown>;
  beginDeleteSecret(name: string): Promise<{ pollUntilDone(): Promise<unknown> }>;
  beginRecoverDeletedSecret(name: string): Promise<{ pollUntilDone(): Promise<unknown> }>;
  /** 404 once the deleted secret is gone for good (purged, or never deleted). */
  getDeletedSecret(name: string): Promise<unknown>;
  purgeDeletedSecret(name: string): Promise<unknown>;
}

export interface KeyVaultSecretStoreOptions {
  /** How long to wait between checks that a purge has finished; default 1,000 ms (tests: 0). */
  purgePollMs?: number;
  /** How many checks before giving up on a purge; default 30. */
  purgePolls?: number;
}

const PEM = 'application/x-pem-file';
const PKCS12 = 'application/x-pkcs12';

/**
 * Key Vault adapter (managed identity in Azure). Values never appear in errors or logs.
 *
 * Soft delete: a deleted secret keeps its name (deleted but recoverable) for the vault's retention period, and
 * writing that name answers 409 ObjectIsDeletedButRecoverable — e.g. when a tenant is deleted and created again.
 * A write then recovers the deleted secret and writes the new value over it; when the identity may not recover
 * (403), it purges the deleted secret (allowed unless the vault has purge protection) and writes once the purge
 * is done. Each way is tried once: a write never loops on 409.
 */
export class KeyVaultSecretStore implements SecretStore {
  private readonly client: KeyVaultSecretsClient;
  private readonly purgePollMs: number;
  private readonly purgePolls: number;

  /** `clientOptions` go to the SecretClient as they are (e.g. `tlsOptions` to trust a local stand-in's certificate). */
  constructor(vaultUrl: string, credential: TokenCredential, clientOptions?: SecretClientOptions);
  constructor(client: KeyVaultSecretsClient, options?: KeyVaultSecretStoreOptions);
  constructor(
    vault: string | KeyVaultSecretsClient,
    second?: TokenCredential | KeyVaultSecretStoreOptions,
    clientOptions?: SecretClientOptions,
  ) {
    const options = typeof vault === 'string' ? {} : ((second as KeyVaultSecretStoreOptions | undefined) ?? {});
    this.purgePollMs = options.purgePollMs ?? 1000;
    this.purgePolls = options.purgePolls ?? 30;
    if (typeof vault !== 'string') this.client = vault;
    else if (second) this.client = new SecretClient(vault, second as TokenCredential, clientOptions);
    else throw new AppError('CONFIG', 'KeyVaultSecretStore needs a credential for the vault URL');
  }

  async getSecret(name: string): Promise<string> {
    const secret = await this.read(name, `secret ${name}`);
    if (secret.value === undefined) throw new AppError('NOT_FOUND', `secret ${name} has no value in Key Vault`);
    return secret.value;
  }

  async setSecret(name: string, value: string, options: SetSecretOptions = {}): Promise<void> {
    const what = `secret ${name}`;
    const write = () =>
      options.expiresOn ? this.client.setSecret(name, value, { expiresOn: options.expiresOn }) : this.client.setSecret(name, value);
    try {
      await write();
      return;
    } catch (err) {
      if (!isStatus(err, 409)) throw keyVaultErrorFor(err, what);
      // Most likely the name is held by a soft-deleted secret; free it (or learn that the conflict is another one).
      await this.freeDeletedName(name, err);
    }
    try {
      await write();
    } catch (err) {
      throw keyVaultErrorFor(err, what);
    }
  }

  async describeSecret(name: string): Promise<SecretInfo | undefined> {
    try {
      const secret = await this.read(name, `secret ${name}`);
      const { updatedOn, expiresOn } = secret.properties;
      return { ...(updatedOn ? { updatedOn } : {}), ...(expiresOn ? { expiresOn } : {}) };
    } catch (err) {
      if (isAppError(err, 'NOT_FOUND')) return undefined;
      throw err;
    }
  }

  /** Waits until Key Vault reports the secret deleted, so the name can be written again right after. */
  async deleteSecret(name: string): Promise<void> {
    try {
      await (await this.client.beginDeleteSecret(name)).pollUntilDone();
    } catch (err) {
      if (!isStatus(err, 404)) throw keyVaultErrorFor(err, `secret ${name}`);
    }
  }

  /**
   * Key Vault keeps a certificate's private key and chain in its backing secret of the same name, in the
   * content type chosen by the certificate policy. A plain secret holding PEM text is accepted too.
   */
  async getCertificatePem(name: string): Promise<string> {
    const secret = await this.read(name, `certificate ${name}`);
    const contentType = secret.properties.contentType?.toLowerCase();
    if (contentType === PKCS12) {
      throw new AppError(
        'CONFIG',
        `certificate ${name} is stored as PKCS#12; create it in Key Vault with ` +
          `content type ${PEM} (certificate policy secretProperties.contentType)`,
      );
    }
    const isPemText = !contentType && secret.value?.trimStart().startsWith('-----BEGIN ');
    if ((contentType !== PEM && !isPemText) || !secret.value) {
      throw new AppError(
        'CONFIG',
        `Key Vault item ${name} is not a PEM certificate (content type ` +
          `${contentType ?? 'none'}); create the certificate with content type ${PEM}`,
      );
    }
    return secret.value;
  }

  private async read(name: string, what: string) {
    try {
      return await this.client.getSecret(name);
    } catch (err) {
      throw keyVaultErrorFor(err, what);
    }
  }

  /**
   * Makes a soft-deleted secret's name writable: recover it (the write that follows replaces its value), else
   * purge it and wait until Key Vault has let the name go. `conflict` is the 409 that brought us here; when
   * nothing deleted holds the name, that conflict is the one reported.
   */
  private async freeDeletedName(name: string, conflict: unknown): Promise<void> {
    const what = `secret ${name}`;
    try {
      await (await this.client.beginRecoverDeletedSecret(name)).pollUntilDone();
      return;
    } catch (err) {
      if (isStatus(err, 404)) throw keyVaultErrorFor(conflict, what);
      if (!isStatus(err, 403)) throw keyVaultErrorFor(err, what);
    }
    try {
      await this.client.purgeDeletedSecret(name);
    } catch (err) {
      if (isStatus(err, 404)) return;
      throw new AppError(
        'CONFLICT',
        `${what} is deleted but recoverable in Key Vault, and the connector's identity may neither recover nor purge it ` +
          `(${statusOf(err) ?? 'no status'}); recover it (az keyvault secret recover) or purge it, then write it again`,
        { upstreamStatus: statusOf(err) },
      );
    }
    for (let poll = 0; poll < this.purgePolls; poll++) {
      try {
        await this.client.getDeletedSecret(name);
      } catch (err) {
        if (isStatus(err, 404)) return;
        throw keyVaultErrorFor(err, what);
      }
      await new Promise((resolve) => setTimeout(resolve, this.purgePollMs));
    }
    throw new AppError('TRANSIENT', `${what}: Key Vault is still purging the deleted secret; try again in a minute`);
  }
}

function statusOf(err: unknown): number | undefined {
  const status = typeof err === 'object' && err !== null ? (err as { statusCode?: unknown }).statusCode : undefined;
  return typeof status === 'number' ? status : undefined;
}

function isStatus(err: unknown, status: number): boolean {
  return statusOf(err) === status;
}
