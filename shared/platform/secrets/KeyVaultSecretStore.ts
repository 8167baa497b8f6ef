import { SecretClient } from '@azure/keyvault-secrets';
import type { TokenCredential } from '@azure/identity';
import { AppError } from '../../core/errors/AppError';
import { type SecretStore } from './SecretStore';
import { keyVaultErrorFor } from './keyVaultErrorFor';

/** The SecretClient calls this store makes (a fake of this shape stands in for Key Vault in tests). */
export interface KeyVaultSecretsClient {
  getSecret(name: string): Promise<{ value?: string | undefined; properties: { contentType?: string | undefined } }>;
  setSecret(name: string, value: string): Promise<unknown>;
  beginDeleteSecret(name: string): Promise<{ pollUntilDone(): Promise<unknown> }>;
  beginRecoverDeletedSecret(name: string): Promise<{ pollUntilDone(): Promise<unknown> }>;
}

const PEM = 'application/x-pem-file';
const PKCS12 = 'application/x-pkcs12';

/** Key Vault adapter (managed identity in Azure). Values never appear in errors or logs. */
export class KeyVaultSecretStore implements SecretStore {
  private readonly client: KeyVaultSecretsClient;

  constructor(vaultUrl: string, credential: TokenCredential);
  constructor(client: KeyVaultSecretsClient);
  constructor(vault: string | KeyVaultSecretsClient, credential?: TokenCredential) {
    if (typeof vault !== 'string') this.client = vault;
    else if (credential) this.client = new SecretClient(vault, credential);
    else throw new AppError('CONFIG', 'KeyVaultSecretStore needs a credential for the vault URL');
  }

  async getSecret(name: string): Promise<string> {
    const secret = await this.read(name, `secret ${name}`);
    if (secret.value === undefined) throw new AppError('NOT_FOUND', `secret ${name} has no value in Key Vault`);
    return secret.value;
  }

  async setSecret(name: string, value: string): Promise<void> {
    try {
      await this.client.setSecret(name, value);
    } catch (err) {
      if (!isStatus(err, 409)) throw keyVaultErrorFor(err, `secret ${name}`);
      // A soft-deleted secret blocks its name until recovered (or purged); recover it, then write the new version.
      await this.recover(name, err);
      try {
        await this.client.setSecret(name, value);
      } catch (retryErr) {
        throw keyVaultErrorFor(retryErr, `secret ${name}`);
      }
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

  private async recover(name: string, conflict: unknown): Promise<void> {
    try {
      await (await this.client.beginRecoverDeletedSecret(name)).pollUntilDone();
    } catch (err) {
      // Nothing deleted to recover: the conflict was something else; report that one.
      throw keyVaultErrorFor(isStatus(err, 404) ? conflict : err, `secret ${name}`);
    }
  }
}

function isStatus(err: unknown, status: number): boolean {
  return typeof err === 'object' && err !== null && (err as { statusCode?: unknown }).statusCode === status;
}
