import { SecretClient } from '@azure/keyvault-secrets';
import type { TokenCredential } from '@azure/identity';
import { AppError } from '../errors/AppError';
import { SecretStore } from './SecretStore';

type SecretClientLike = Pick<SecretClient, 'getSecret' | 'setSecret' | 'beginDeleteSecret'>;

function notFound(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { statusCode?: number }).statusCode === 404;
}

/** Key Vault adapter: managed identity in Azure; values never appear in errors. */
export class KeyVaultSecretStore implements SecretStore {
  private readonly client: SecretClientLike;

  constructor(vault: string | SecretClientLike, credential?: TokenCredential) {
    this.client = typeof vault === 'string' ? new SecretClient(vault, credential!) : vault;
  }

  async getSecret(name: string): Promise<string> {
    try {
      const secret = await this.client.getSecret(name);
      if (secret.value === undefined) throw new AppError('NOT_FOUND', `Key Vault secret ${name} has no value`);
      return secret.value;
    } catch (err) {
      if (notFound(err)) throw new AppError('NOT_FOUND', `Key Vault secret ${name} does not exist`);
      if (err instanceof AppError) throw err;
      throw new AppError('TRANSIENT', `Key Vault could not be read for secret ${name}`, { cause: err });
    }
  }

  async setSecret(name: string, value: string): Promise<void> {
    await this.client.setSecret(name, value);
  }

  async deleteSecret(name: string): Promise<void> {
    try {
      await this.client.beginDeleteSecret(name);
    } catch (err) {
      if (!notFound(err)) throw err;
    }
  }

  /** Key Vault keeps a certificate's private key in its backing secret of the same name. */
  async getCertificatePem(name: string): Promise<string> {
    try {
      const secret = await this.client.getSecret(name);
      if (secret.properties.contentType !== 'application/x-pem-file' || !secret.value) {
        throw new AppError('CONFIG', `Key Vault certificate ${name} must be created with content type PEM (application/x-pem-file)`);
      }
      return secret.value;
    } catch (err) {
      if (notFound(err)) throw new AppError('NOT_FOUND', `Key Vault certificate ${name} does not exist`);
      throw err;
    }
  }
}
