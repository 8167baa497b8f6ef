import { createHash } from 'node:crypto';
import type { TokenCredential } from '@azure/identity';
import { CertificateClient, type CertificatePolicy as KeyVaultPolicy, type CertificateProperties } from '@azure/keyvault-certificates';
import { SecretClient } from '@azure/keyvault-secrets';
import { AppError } from '../../core/errors/AppError';
import { keyVaultErrorFor } from '../secrets/keyVaultErrorFor';
import { type CertificatePolicy, type CertificateStore, type CertificateVersion } from './CertificateStore';

const PEM = 'application/x-pem-file';
/** What the identity needs for these calls (named in access-denied errors). */
const ROLES = 'the Key Vault Certificates Officer role (create, list, delete, purge) and Secrets User (read the key)';
/** Key Vault version ids; anything else would reach another route (e.g. `policy`, `versions`) instead of a version. */
const VERSION = /^[0-9a-f]{32}$/i;

/** The SDK calls this store makes; the real clients fit, and tests pass real clients pointed at a local vault. */
export interface KeyVaultCertificateClients {
  certificates: Pick<
    CertificateClient,
    | 'beginCreateCertificate'
    | 'getCertificate'
    | 'getCertificateVersion'
    | 'getCertificatePolicy'
    | 'listPropertiesOfCertificateVersions'
    | 'beginDeleteCertificate'
    | 'getDeletedCertificate'
    | 'purgeDeletedCertificate'
  >;
  secrets: Pick<SecretClient, 'getSecret'>;
}

/** Passed to both SDK clients (core-rest-pipeline options): trust for a local stand-in, its challenge check. */
export interface KeyVaultCertificateClientOptions {
  tlsOptions?: { ca?: string };
  disableChallengeResourceVerification?: boolean;
}

export interface KeyVaultCertificateStoreOptions {
  /** Wait between polls of a pending creation and of a purge; default 2,000 ms (Key Vault's own pace; tests: 0). */
  pollIntervalMs?: number;
  /** How many checks before giving up on a purge; default 30. */
  purgePolls?: number;
}

/**
 * Key Vault adapter of CertificateStore: self-signed certificates whose policy makes Key Vault renew them itself
 * (AutoRenew lifetime action), read back version by version; the private key comes from the backing secret
 * (same name and version), which holds PEM because the policy asks for `application/x-pem-file`.
 *
 * Creating is check-then-create: Key Vault's create on an existing name silently makes a new version, so the store
 * looks first and answers CONFLICT; two connectors creating the same name at the same instant could both pass the
 * check, which only costs an extra version. Secret values never reach errors (keyVaultErrorFor keeps no cause).
 */
export class KeyVaultCertificateStore implements CertificateStore {
  private readonly clients: KeyVaultCertificateClients;
  private readonly pollIntervalMs: number;
  private readonly purgePolls: number;

  constructor(
    vaultUrl: string,
    credential: TokenCredential,
    clientOptions?: KeyVaultCertificateClientOptions,
    options?: KeyVaultCertificateStoreOptions,
  );
  constructor(clients: KeyVaultCertificateClients, options?: KeyVaultCertificateStoreOptions);
  constructor(
    vault: string | KeyVaultCertificateClients,
    second?: TokenCredential | KeyVaultCertificateStoreOptions,
    clientOptions: KeyVaultCertificateClientOptions = {},
    storeOptions?: KeyVaultCertificateStoreOptions,
  ) {
    let options: KeyVaultCertificateStoreOptions;
    if (typeof vault === 'string') {
      if (!second) throw new AppError('CONFIG', 'KeyVaultCertificateStore needs a credential for the vault URL');
      const credential = second as TokenCredential;
      const sdkOptions = {
        ...(clientOptions.tlsOptions ? { tlsOptions: clientOptions.tlsOptions } : {}),
        ...(clientOptions.disableChallengeResourceVerification ? { disableChallengeResourceVerification: true } : {}),
      };
      this.clients = {
        certificates: new CertificateClient(vault, credential, sdkOptions),
        secrets: new SecretClient(vault, credential, sdkOptions),
      };
      options = storeOptions ?? {};
    } else {
      this.clients = vault;
      options = (second as KeyVaultCertificateStoreOptions | undefined) ?? {};
    }
    this.pollIntervalMs = options.pollIntervalMs ?? 2000;
    this.purgePolls = options.purgePolls ?? 30;
  }

  async createCertificate(name: string, policy: CertificatePolicy): Promise<CertificateVersion> {
    const what = `certificate ${name}`;
    if (await this.exists(name)) throw new AppError('CONFLICT', `${what} already exists in Key Vault; renew it to make a new version`);
    const keyVaultPolicy: KeyVaultPolicy = {
      issuerName: 'Self',
      subject: policy.subject,
      validityInMonths: policy.validityMonths,
      keyType: 'RSA',
      keySize: policy.keySize,
      reuseKey: false,
      exportable: true,
      contentType: PEM,
      lifetimeActions: [{ action: 'AutoRenew', lifetimePercentage: policy.renewAtPercentOfLife }],
    };
    try {
      return await this.create(name, keyVaultPolicy);
    } catch (err) {
      if (statusOf(err) === 409) throw await this.conflictFor(name, err);
      throw keyVaultErrorFor(err, what, ROLES);
    }
  }

  async renewCertificate(name: string): Promise<CertificateVersion> {
    const what = `certificate ${name}`;
    try {
      const policy = await this.clients.certificates.getCertificatePolicy(name);
      return await this.create(name, policy);
    } catch (err) {
      throw keyVaultErrorFor(err, what, ROLES);
    }
  }

  async listVersions(name: string): Promise<CertificateVersion[]> {
    const versions: CertificateVersion[] = [];
    try {
      for await (const properties of this.clients.certificates.listPropertiesOfCertificateVersions(name))
        versions.push(versionOf(properties));
    } catch (err) {
      throw keyVaultErrorFor(err, `certificate ${name}`, ROLES);
    }
    // Key Vault lists nothing for an unknown name rather than answering 404.
    if (versions.length === 0 && !(await this.exists(name)))
      throw new AppError('NOT_FOUND', `certificate ${name} does not exist in Key Vault`);
    return versions.sort((a, b) => b.createdOn.getTime() - a.createdOn.getTime() || b.notBefore.getTime() - a.notBefore.getTime());
  }

  async getCertificateDer(name: string, version: string): Promise<Buffer> {
    const what = `certificate ${name} version ${version}`;
    checkVersion(version, what);
    try {
      const certificate = await this.clients.certificates.getCertificateVersion(name, version);
      if (!certificate.cer) throw new AppError('NOT_FOUND', `${what} has no issued certificate yet`);
      return Buffer.from(certificate.cer);
    } catch (err) {
      throw keyVaultErrorFor(err, what, ROLES);
    }
  }

  async getPrivateKeyPem(name: string, version: string): Promise<string> {
    const what = `certificate ${name} version ${version}`;
    checkVersion(version, what);
    let secret: Awaited<ReturnType<SecretClient['getSecret']>>;
    try {
      secret = await this.clients.secrets.getSecret(name, { version });
    } catch (err) {
      throw keyVaultErrorFor(err, what, ROLES);
    }
    const contentType = secret.properties.contentType?.toLowerCase();
    if (contentType !== PEM)
      throw new AppError(
        'CONFIG',
        `${what}: Key Vault keeps its key as ${contentType ?? 'no content type'}; the connector reads ${PEM} ` +
          `(certificate policy contentType); create the certificate with that content type`,
      );
    if (!secret.value || !/-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/.test(secret.value))
      throw new AppError('CONFIG', `${what}: the backing secret holds no private key (is the key exportable?)`);
    return secret.value;
  }

  /**
   * Deletes, then purges so the name can be used again at once, and waits for the purge to finish. Where the
   * identity may not purge (403: purge protection, or a role without purge) the certificate stays soft-deleted,
   * and createCertificate says how to recover or purge it.
   */
  async deleteCertificate(name: string): Promise<void> {
    const what = `certificate ${name}`;
    try {
      await (await this.clients.certificates.beginDeleteCertificate(name, { intervalInMs: this.pollIntervalMs })).pollUntilDone();
    } catch (err) {
      // 404: nothing live; a soft-deleted leftover of an earlier delete is still purged below.
      if (statusOf(err) !== 404) throw keyVaultErrorFor(err, what, ROLES);
    }
    try {
      await this.clients.certificates.purgeDeletedCertificate(name);
    } catch (err) {
      const status = statusOf(err);
      if (status === 404 || status === 403) return;
      throw keyVaultErrorFor(err, what, ROLES);
    }
    for (let poll = 0; poll < this.purgePolls; poll++) {
      try {
        await this.clients.certificates.getDeletedCertificate(name);
      } catch (err) {
        if (statusOf(err) === 404) return;
        throw keyVaultErrorFor(err, what, ROLES);
      }
      await new Promise((resolve) => setTimeout(resolve, this.pollIntervalMs));
    }
    throw new AppError('TRANSIENT', `${what}: Key Vault is still purging the deleted certificate; try again in a minute`);
  }

  private async create(name: string, policy: KeyVaultPolicy): Promise<CertificateVersion> {
    const poller = await this.clients.certificates.beginCreateCertificate(name, policy, { intervalInMs: this.pollIntervalMs });
    const certificate = await poller.pollUntilDone();
    return versionOf(certificate.properties, certificate.cer);
  }

  private async exists(name: string): Promise<boolean> {
    try {
      await this.clients.certificates.getCertificate(name);
      return true;
    } catch (err) {
      const mapped = keyVaultErrorFor(err, `certificate ${name}`, ROLES);
      if (mapped.code === 'NOT_FOUND') return false;
      throw mapped;
    }
  }

  /** A 409 on create: most often the name is held by a soft-deleted certificate, which only recover or purge frees. */
  private async conflictFor(name: string, conflict: unknown): Promise<AppError> {
    const what = `certificate ${name}`;
    try {
      await this.clients.certificates.getDeletedCertificate(name);
    } catch {
      return keyVaultErrorFor(conflict, what, ROLES);
    }
    return new AppError(
      'CONFLICT',
      `${what} is deleted but recoverable in Key Vault, which keeps its name until it is recovered or purged: ` +
        `recover it (az keyvault certificate recover --vault-name <vault> --name ${name}) to use it again, or purge it ` +
        `(az keyvault certificate purge --vault-name <vault> --name ${name}; not possible with purge protection) and create it again`,
      { upstreamStatus: 409, upstreamCode: 'ObjectIsDeletedButRecoverable' },
    );
  }
}

function versionOf(properties: CertificateProperties, cer?: Uint8Array): CertificateVersion {
  if (!properties.version || !properties.notBefore || !properties.expiresOn)
    throw new AppError('INTERNAL', `Key Vault answered certificate ${properties.name} without its version or dates`);
  // The DER, when at hand, is the authority for the thumbprint; list items only carry Key Vault's x5t.
  const thumbprint = cer
    ? createHash('sha1').update(cer).digest('hex')
    : Buffer.from(properties.x509Thumbprint ?? new Uint8Array()).toString('hex');
  return {
    version: properties.version,
    thumbprint: thumbprint.toUpperCase(),
    notBefore: properties.notBefore,
    notAfter: properties.expiresOn,
    createdOn: properties.createdOn ?? properties.notBefore,
    enabled: properties.enabled ?? true,
  };
}

function checkVersion(version: string, what: string): void {
  if (!VERSION.test(version)) throw new AppError('NOT_FOUND', `${what} does not exist in Key Vault (not a Key Vault version id)`);
}

function statusOf(err: unknown): number | undefined {
  const status = typeof err === 'object' && err !== null ? (err as { statusCode?: unknown }).statusCode : undefined;
  return typeof status === 'number' ? status : undefined;
}
