import { constants, generateKeyPair, type KeyObject, privateDecrypt, publicEncrypt, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { z } from 'zod';
import { VaultError } from './VaultError';

const generateRsa = promisify(generateKeyPair);
const RECOVERABLE_DAYS = 90;
const DAY_SECONDS = 86_400;
const KEY_SIZES = [2048, 3072, 4096] as const;
const ALL_OPERATIONS = ['encrypt', 'decrypt', 'sign', 'verify', 'wrapKey', 'unwrapKey'];

/**
 * The wrap algorithms the sandbox performs, with their OAEP hash. RSA1_5 is left out: Node refuses PKCS#1 v1.5
 * decryption (Marvin attack), and the connector never asks for it.
 */
const OAEP_HASHES: Record<string, string> = { 'RSA-OAEP': 'sha1', 'RSA-OAEP-256': 'sha256' };

interface KeyVersion {
  version: string;
  privateKey: KeyObject;
  /** The public modulus and exponent, base64url, as a JWK carries them. */
  n: string;
  e: string;
  keySize: number;
  keyOps: string[];
  enabled: boolean;
  created: number;
  updated: number;
}

interface KeyEntry {
  /** The spelling of the first write (names are case-insensitive but keep their case in ids). */
  name: string;
  /** Oldest first. */
  versions: KeyVersion[];
  tags?: Record<string, string> | undefined;
}

const CreateKeyBody = z.object({
  kty: z.string(),
  key_size: z.number().int().optional(),
  key_ops: z.array(z.string()).optional(),
  attributes: z.object({ enabled: z.boolean().optional() }).partial().optional(),
  tags: z.record(z.string(), z.string()).optional(),
});
const KeyOperationBody = z.object({ alg: z.string(), value: z.string() });

/**
 * The keys half of the vault, in memory: RSA keys with versions, rotation, soft delete, and real RSA-OAEP
 * wrap/unwrap with node:crypto, so what one client wraps any other (or the SDK with the public key) unwraps.
 */
export class VaultKeys {
  private readonly live = new Map<string, KeyEntry>();
  private readonly deleted = new Map<string, { entry: KeyEntry; deletedDate: number }>();

  constructor(
    private readonly vaultUrl: () => string,
    private readonly nowSeconds: () => number,
  ) {}

  /** POST /keys/{name}/create: a new key, or a new version of an existing one (as Key Vault does). */
  async create(name: string, body: unknown): Promise<object> {
    const parsed = CreateKeyBody.safeParse(body);
    if (!parsed.success) throw new VaultError(400, 'BadParameter', 'The request body must name the key type (kty).');
    const request = parsed.data;
    if (request.kty !== 'RSA' && request.kty !== 'RSA-HSM')
      throw new VaultError(400, 'BadParameter', `The Key Vault sandbox makes RSA keys only, not ${request.kty}.`);
    const keySize = request.key_size ?? 2048;
    if (!(KEY_SIZES as readonly number[]).includes(keySize))
      throw new VaultError(400, 'BadParameter', `Invalid key size ${keySize}: 2048, 3072 or 4096.`);
    const key = name.toLowerCase();
    if (this.deleted.has(key)) throw deletedKeyButRecoverable(name);
    const entry = this.live.get(key) ?? { name, versions: [], tags: request.tags };
    const version = await makeVersion(keySize, request.key_ops ?? ALL_OPERATIONS, request.attributes?.enabled ?? true, this.nowSeconds());
    entry.versions.push(version);
    this.live.set(key, entry);
    return this.bundle(entry, version);
  }

  /** POST /keys/{name}/rotate (and what a rotation policy does): a new version like the newest one. */
  async rotate(name: string): Promise<object> {
    const entry = this.entry(name);
    const newest = entry.versions.at(-1)!;
    const version = await makeVersion(newest.keySize, newest.keyOps, true, this.nowSeconds());
    entry.versions.push(version);
    return this.bundle(entry, version);
  }

  /** GET /keys/{name}/{version?}: the public JWK (never the private part) and attributes. */
  get(name: string, version: string | undefined): object {
    const entry = this.entry(name);
    return this.bundle(entry, this.versionOf(entry, version));
  }

  /** GET /keys/{name}/versions; an unknown name lists nothing, as Key Vault does. */
  listVersions(name: string): object[] {
    const entry = this.live.get(name.toLowerCase());
    if (!entry) return [];
    return entry.versions.map((version) => ({ kid: this.kid(entry, version), attributes: this.attributes(version) }));
  }

  /** POST /keys/{name}/{version}/wrapkey. */
  wrap(name: string, version: string, body: unknown): object {
    const { entry, found, alg, value } = this.operation(name, version, body, 'wrapKey');
    const wrapped = publicEncrypt({ key: found.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: OAEP_HASHES[alg]! }, value);
    return { kid: this.kid(entry, found), value: wrapped.toString('base64url') };
  }

  /** POST /keys/{name}/{version}/unwrapkey; a value this version did not wrap is a 400, as in Key Vault. */
  unwrap(name: string, version: string, body: unknown): object {
    const { entry, found, alg, value } = this.operation(name, version, body, 'unwrapKey');
    let plain: Buffer;
    try {
      plain = privateDecrypt({ key: found.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: OAEP_HASHES[alg]! }, value);
    } catch {
      throw new VaultError(400, 'BadParameter', 'Unwrap failed: the value was not wrapped with this key and algorithm.');
    }
    return { kid: this.kid(entry, found), value: plain.toString('base64url') };
  }

  /** DELETE /keys/{name}: soft delete, every version. */
  delete(name: string): object {
    const entry = this.entry(name);
    const key = entry.name.toLowerCase();
    this.live.delete(key);
    const deleted = { entry, deletedDate: this.nowSeconds() };
    this.deleted.set(key, deleted);
    return this.deletedBundle(deleted);
  }

  getDeleted(name: string): object {
    return this.deletedBundle(this.deletedEntry(name));
  }

  purge(name: string): void {
    this.deletedEntry(name);
    this.deleted.delete(name.toLowerCase());
  }

  recover(name: string): object {
    const deleted = this.deletedEntry(name);
    const key = name.toLowerCase();
    this.deleted.delete(key);
    this.live.set(key, deleted.entry);
    return this.bundle(deleted.entry, deleted.entry.versions.at(-1)!);
  }

  /** Disables one version: gets and key operations on it answer 403, as Key Vault does. */
  disableVersion(name: string, version: string): void {
    const found = this.versionOf(this.entry(name), version);
    found.enabled = false;
    found.updated = this.nowSeconds();
  }

  private operation(name: string, version: string, body: unknown, operation: 'wrapKey' | 'unwrapKey') {
    const parsed = KeyOperationBody.safeParse(body);
    if (!parsed.success) throw new VaultError(400, 'BadParameter', 'The request body must carry alg and value.');
    const { alg, value } = parsed.data;
    if (!OAEP_HASHES[alg]) throw new VaultError(400, 'BadParameter', `The Key Vault sandbox does not support the algorithm ${alg}.`);
    const entry = this.entry(name);
    const found = this.versionOf(entry, version);
    if (!found.enabled) throw new VaultError(403, 'Forbidden', `Operation ${operation} is not allowed on a disabled key.`);
    if (!found.keyOps.includes(operation))
      throw new VaultError(403, 'Forbidden', `Operation ${operation} is not permitted for this key (key_ops).`);
    return { entry, found, alg, value: Buffer.from(value, 'base64url') };
  }

  private entry(name: string): KeyEntry {
    const entry = this.live.get(name.toLowerCase());
    if (!entry) throw keyNotFound(name, undefined);
    return entry;
  }

  private versionOf(entry: KeyEntry, version: string | undefined): KeyVersion {
    const found = version ? entry.versions.find((v) => v.version === version) : entry.versions.at(-1);
    if (!found) throw keyNotFound(entry.name, version);
    if (!found.enabled) throw new VaultError(403, 'Forbidden', 'Operation get is not allowed on a disabled key.');
    return found;
  }

  private deletedEntry(name: string): { entry: KeyEntry; deletedDate: number } {
    const deleted = this.deleted.get(name.toLowerCase());
    if (!deleted) throw new VaultError(404, 'KeyNotFound', `Deleted Key not found: ${name}`);
    return deleted;
  }

  private kid(entry: KeyEntry, version: KeyVersion): string {
    return `${this.vaultUrl()}/keys/${entry.name}/${version.version}`;
  }

  private attributes(version: KeyVersion) {
    return {
      enabled: version.enabled,
      created: version.created,
      updated: version.updated,
      recoveryLevel: 'Recoverable+Purgeable',
      recoverableDays: RECOVERABLE_DAYS,
      exportable: false,
    };
  }

  private bundle(entry: KeyEntry, version: KeyVersion): object {
    return {
      key: { kid: this.kid(entry, version), kty: 'RSA', key_ops: version.keyOps, n: version.n, e: version.e },
      attributes: this.attributes(version),
      ...(entry.tags ? { tags: entry.tags } : {}),
    };
  }

  private deletedBundle(deleted: { entry: KeyEntry; deletedDate: number }): object {
    return {
      ...this.bundle(deleted.entry, deleted.entry.versions.at(-1)!),
      recoveryId: `${this.vaultUrl()}/deletedkeys/${deleted.entry.name}`,
      deletedDate: deleted.deletedDate,
      scheduledPurgeDate: deleted.deletedDate + RECOVERABLE_DAYS * DAY_SECONDS,
    };
  }
}

async function makeVersion(keySize: number, keyOps: string[], enabled: boolean, now: number): Promise<KeyVersion> {
  const { privateKey, publicKey } = await generateRsa('rsa', { modulusLength: keySize });
  const jwk = publicKey.export({ format: 'jwk' });
  return {
    version: randomBytes(16).toString('hex'),
    privateKey,
    n: jwk.n!,
    e: jwk.e!,
    keySize,
    keyOps: [...keyOps],
    enabled,
    created: now,
    updated: now,
  };
}

function keyNotFound(name: string, version: string | undefined): VaultError {
  return new VaultError(404, 'KeyNotFound', `A key with (name/id) ${name}${version ? `/${version}` : ''} was not found in this key vault.`);
}

function deletedKeyButRecoverable(name: string): VaultError {
  return new VaultError(
    409,
    'Conflict',
    `Key ${name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the key can only be recovered or purged.`,
    'ObjectIsDeletedButRecoverable',
  );
}
