import type { TokenCredential } from '@azure/identity';
import { CryptographyClient, KeyClient, type KeyVaultKey, parseKeyVaultKeyIdentifier } from '@azure/keyvault-keys';
import { AppError } from '../../core/errors/AppError';
import { keyVaultErrorFor } from '../secrets/keyVaultErrorFor';
import { type KeyWrapper, type WrappedKey } from './KeyWrapper';

const ALGORITHM = 'RSA-OAEP-256';
/** What the identity needs (named in access-denied errors). */
const ROLES = 'the Key Vault Crypto User role on the key (Crypto Officer to create it)';
/** Key Vault's object names. */
const KEY_NAME = /^[0-9A-Za-z-]{1,127}$/;
/** Key versions the wrapper keeps a CryptographyClient for; a key has a handful, one per rotation. */
const MAX_CLIENTS = 32;

/** Passed to both SDK clients (core-rest-pipeline options): trust for a local stand-in, its challenge check. */
export interface KeyVaultKeyClientOptions {
  tlsOptions?: { ca?: string };
  disableChallengeResourceVerification?: boolean;
}

export interface KeyVaultKeyWrapperOptions {
  /** How long wrap() reuses the current version it last read (default 5 minutes); currentKeyId() always reads. */
  currentKeyTtlMs?: number;
  /** RSA size of a key ensureKey() creates: 2048 or 3072 (default 3072). */
  keySize?: 2048 | 3072;
  now?: () => number;
}

/**
 * KeyWrapper over a Key Vault key (@azure/keyvault-keys). Wrap and unwrap run in Key Vault: RSA-OAEP-256 is not
 * one of the SDK's local algorithms, and the private key cannot leave the vault anyway. One CryptographyClient per
 * key version is kept, so a version's key is fetched once per process (the SDK reads it before its first
 * operation). A wrapped key names its version; unwrap refuses a key id of another vault or key, so a row edited
 * to point elsewhere never sends the identity's token there. Errors carry no SDK error (its request holds the
 * data key).
 */
export class KeyVaultKeyWrapper implements KeyWrapper {
  private readonly keys: KeyClient;
  private readonly sdkOptions: KeyVaultKeyClientOptions;
  private readonly clients = new Map<string, CryptographyClient>();
  private current: { key: KeyVaultKey; readAt: number } | undefined;
  private readonly currentKeyTtlMs: number;
  private readonly keySize: 2048 | 3072;
  private readonly now: () => number;
  private readonly vaultOrigin: string;

  constructor(
    vaultUrl: string,
    private readonly credential: TokenCredential,
    private readonly keyName: string,
    clientOptions: KeyVaultKeyClientOptions = {},
    options: KeyVaultKeyWrapperOptions = {},
  ) {
    if (!KEY_NAME.test(keyName))
      throw new AppError('CONFIG', `Key Vault key name "${keyName}" is invalid: 1-127 letters, digits and dashes`);
    this.sdkOptions = {
      ...(clientOptions.tlsOptions ? { tlsOptions: clientOptions.tlsOptions } : {}),
      ...(clientOptions.disableChallengeResourceVerification ? { disableChallengeResourceVerification: true } : {}),
    };
    if (!URL.canParse(vaultUrl) || new URL(vaultUrl).protocol !== 'https:')
      throw new AppError('CONFIG', `Key Vault URL "${vaultUrl}" is not an https URL`);
    this.keys = new KeyClient(vaultUrl, credential, this.sdkOptions);
    this.vaultOrigin = new URL(vaultUrl).origin.toLowerCase();
    this.currentKeyTtlMs = options.currentKeyTtlMs ?? 5 * 60_000;
    this.keySize = options.keySize ?? 3072;
    this.now = options.now ?? Date.now;
  }

  async wrap(dataKey: Buffer): Promise<WrappedKey> {
    const cached = this.current;
    const key = cached && this.now() - cached.readAt < this.currentKeyTtlMs ? cached.key : await this.readCurrent();
    const keyId = versionedIdOf(key, this.keyName);
    try {
      const result = await this.clientFor(keyId, key).wrapKey(ALGORITHM, dataKey);
      return { wrappedKey: Buffer.from(result.result).toString('base64url'), keyId };
    } catch (err) {
      throw errorFor(err, `wrapping with key ${this.keyName}`);
    }
  }

  async unwrap(wrappedKey: string, keyId: string): Promise<Buffer> {
    this.checkKeyId(keyId);
    try {
      const result = await this.clientFor(keyId).unwrapKey(ALGORITHM, Buffer.from(wrappedKey, 'base64url'));
      return Buffer.from(result.result);
    } catch (err) {
      throw errorFor(err, `unwrapping with key ${this.keyName}`);
    }
  }

  async currentKeyId(): Promise<string> {
    return versionedIdOf(await this.readCurrent(), this.keyName);
  }

  async ensureKey(): Promise<string> {
    try {
      return await this.currentKeyId();
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'NOT_FOUND') throw err;
    }
    // Two instances creating at once make two versions; both unwrap, so the race costs nothing.
    try {
      const key = await this.keys.createRsaKey(this.keyName, { keySize: this.keySize, keyOps: ['wrapKey', 'unwrapKey'] });
      this.current = { key, readAt: this.now() };
      return versionedIdOf(key, this.keyName);
    } catch (err) {
      throw errorFor(err, `creating key ${this.keyName}`);
    }
  }

  private async readCurrent(): Promise<KeyVaultKey> {
    try {
      const key = await this.keys.getKey(this.keyName);
      this.current = { key, readAt: this.now() };
      return key;
    } catch (err) {
      throw errorFor(err, `key ${this.keyName}`);
    }
  }

  /** A client per version; given the key already read, the SDK needs no extra GET before its operation. */
  private clientFor(keyId: string, key?: KeyVaultKey): CryptographyClient {
    let client = this.clients.get(keyId);
    if (!client) {
      if (this.clients.size >= MAX_CLIENTS) this.clients.delete(this.clients.keys().next().value!);
      client = new CryptographyClient(key ?? keyId, this.credential, this.sdkOptions);
      this.clients.set(keyId, client);
    }
    return client;
  }

  private checkKeyId(keyId: string): void {
    let parsed: { vaultUrl: string; name: string; version?: string | undefined };
    try {
      parsed = parseKeyVaultKeyIdentifier(keyId);
    } catch {
      throw new AppError('INTERNAL', `wrapped key names an invalid key id ${JSON.stringify(keyId.slice(0, 200))}`);
    }
    const sameVault = new URL(parsed.vaultUrl).origin.toLowerCase() === this.vaultOrigin;
    if (!sameVault || parsed.name.toLowerCase() !== this.keyName.toLowerCase() || !parsed.version)
      throw new AppError(
        'INTERNAL',
        `wrapped key names ${JSON.stringify(keyId.slice(0, 200))}, not a version of key ${this.keyName} in this vault`,
      );
  }
}

function versionedIdOf(key: KeyVaultKey, keyName: string): string {
  if (!key.id || !key.properties.version) throw new AppError('INTERNAL', `Key Vault answered key ${keyName} without a versioned id`);
  return key.id;
}

/**
 * keyVaultErrorFor reads a failure without a status as the network; CryptographyClient's own checks (a disabled,
 * expired or wrong-purpose key) throw plain errors before any request, which are configuration problems.
 */
function errorFor(err: unknown, what: string): AppError {
  const failure = typeof err === 'object' && err !== null ? (err as { name?: unknown; statusCode?: unknown }) : {};
  const isSdkCheck = err instanceof Error && failure.name === 'Error' && failure.statusCode === undefined;
  if (isSdkCheck) return new AppError('CONFIG', `${what}: ${err.message.split('\n')[0]}`);
  return keyVaultErrorFor(err, what, ROLES);
}
