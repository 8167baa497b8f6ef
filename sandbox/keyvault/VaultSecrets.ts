import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { VaultError } from './VaultError';

/** Key Vault's largest secret value, in bytes (25 KB). */
const VALUE_MAX_BYTES = 25 * 1024;
const RECOVERABLE_DAYS = 90;
const DAY_SECONDS = 86_400;

/** One stored version; times are Unix seconds, as Key Vault sends them. */
export interface StoredSecretVersion {
  version: string;
  value: string;
  contentType?: string | undefined;
  enabled: boolean;
  notBefore?: number | undefined;
  expires?: number | undefined;
  created: number;
  updated: number;
  tags?: Record<string, string> | undefined;
  /** A certificate's backing secret names its key; Key Vault marks it `managed`. */
  kid?: string | undefined;
}

interface SecretEntry {
  /** The spelling of the first write: Key Vault names are case-insensitive but keep their case in ids. */
  name: string;
  /** Oldest first. */
  versions: StoredSecretVersion[];
  /** Backing secret of a certificate: written, deleted, purged and recovered only through the certificate. */
  managed: boolean;
}

interface DeletedSecret {
  entry: SecretEntry;
  deletedDate: number;
}

const SetSecretBody = z.object({
  value: z.string(),
  contentType: z.string().optional(),
  tags: z.record(z.string(), z.string()).optional(),
  attributes: z.object({ enabled: z.boolean().optional(), nbf: z.number().optional(), exp: z.number().optional() }).partial().optional(),
});

/** The secrets half of the vault, in memory; certificates add their backing secrets through the `managed…` calls. */
export class VaultSecrets {
  private readonly live = new Map<string, SecretEntry>();
  private readonly deleted = new Map<string, DeletedSecret>();

  constructor(
    private readonly vaultUrl: () => string,
    private readonly nowSeconds: () => number,
  ) {}

  /** PUT /secrets/{name}: a new version. */
  set(name: string, body: unknown): object {
    const parsed = SetSecretBody.safeParse(body);
    if (!parsed.success) throw new VaultError(400, 'BadParameter', 'The request body must carry the secret value as a string.');
    const request = parsed.data;
    if (Buffer.byteLength(request.value, 'utf8') > VALUE_MAX_BYTES)
      throw new VaultError(400, 'BadParameter', `The secret value exceeds the maximum size of ${VALUE_MAX_BYTES} bytes.`);
    const key = name.toLowerCase();
    if (this.deleted.has(key)) throw deletedButRecoverable('Secret', name);
    const existing = this.live.get(key);
    if (existing?.managed)
      throw new VaultError(403, 'Forbidden', `Secret ${name} backs a certificate; it can only be changed through the certificate.`);
    const now = this.nowSeconds();
    const version: StoredSecretVersion = {
      version: randomBytes(16).toString('hex'),
      value: request.value,
      contentType: request.contentType,
      enabled: request.attributes?.enabled ?? true,
      notBefore: request.attributes?.nbf,
      expires: request.attributes?.exp,
      created: now,
      updated: now,
      tags: request.tags,
    };
    const entry = existing ?? { name, versions: [], managed: false };
    entry.versions.push(version);
    this.live.set(key, entry);
    return this.bundle(entry, version, true);
  }

  /** GET /secrets/{name}/{version?}; a disabled version answers 403 as Key Vault does. */
  get(name: string, version: string | undefined): object {
    const entry = this.entry(name);
    const found = version ? entry.versions.find((v) => v.version === version) : entry.versions.at(-1);
    if (!found) throw secretNotFound(name, version);
    if (!found.enabled) throw new VaultError(403, 'Forbidden', `Operation get is not allowed on a disabled secret.`);
    return this.bundle(entry, found, true);
  }

  /** GET /secrets/{name}/versions, without values; an unknown name lists nothing, as Key Vault does. */
  listVersions(name: string): object[] {
    const entry = this.live.get(name.toLowerCase());
    if (!entry) return [];
    return entry.versions.map((version) => this.item(entry, version));
  }

  /** DELETE /secrets/{name}: soft delete, every version. */
  delete(name: string): object {
    const entry = this.entry(name);
    if (entry.managed) throw new VaultError(403, 'Forbidden', `Secret ${name} backs a certificate; delete the certificate instead.`);
    return this.moveToDeleted(entry);
  }

  getDeleted(name: string): object {
    const deleted = this.deleted.get(name.toLowerCase());
    if (!deleted || deleted.entry.managed) throw new VaultError(404, 'SecretNotFound', `Deleted Secret not found: ${name}`);
    return this.deletedBundle(deleted);
  }

  purge(name: string): void {
    const deleted = this.deleted.get(name.toLowerCase());
    if (!deleted || deleted.entry.managed) throw new VaultError(404, 'SecretNotFound', `Deleted Secret not found: ${name}`);
    this.deleted.delete(name.toLowerCase());
  }

  recover(name: string): object {
    const key = name.toLowerCase();
    const deleted = this.deleted.get(key);
    if (!deleted || deleted.entry.managed) throw new VaultError(404, 'SecretNotFound', `Deleted Secret not found: ${name}`);
    this.deleted.delete(key);
    this.live.set(key, deleted.entry);
    return this.bundle(deleted.entry, deleted.entry.versions.at(-1)!, false);
  }

  /** Whether any live or deleted secret holds the name (a certificate cannot take a plain secret's name). */
  holdsPlainSecret(name: string): boolean {
    const entry = this.live.get(name.toLowerCase()) ?? this.deleted.get(name.toLowerCase())?.entry;
    return entry !== undefined && !entry.managed;
  }

  addManagedVersion(name: string, version: Omit<StoredSecretVersion, 'updated'>): void {
    const key = name.toLowerCase();
    const entry = this.live.get(key) ?? { name, versions: [], managed: true };
    entry.versions.push({ ...version, updated: version.created });
    this.live.set(key, entry);
  }

  setManagedVersionEnabled(name: string, version: string, enabled: boolean): void {
    const found = this.live.get(name.toLowerCase())?.versions.find((v) => v.version === version);
    if (found) {
      found.enabled = enabled;
      found.updated = this.nowSeconds();
    }
  }

  deleteManaged(name: string): void {
    const entry = this.live.get(name.toLowerCase());
    if (entry?.managed) this.moveToDeleted(entry);
  }

  purgeManaged(name: string): void {
    if (this.deleted.get(name.toLowerCase())?.entry.managed) this.deleted.delete(name.toLowerCase());
  }

  recoverManaged(name: string): void {
    const key = name.toLowerCase();
    const deleted = this.deleted.get(key);
    if (!deleted?.entry.managed) return;
    this.deleted.delete(key);
    this.live.set(key, deleted.entry);
  }

  private entry(name: string): SecretEntry {
    const entry = this.live.get(name.toLowerCase());
    if (!entry) throw secretNotFound(name, undefined);
    return entry;
  }

  private moveToDeleted(entry: SecretEntry): object {
    const key = entry.name.toLowerCase();
    this.live.delete(key);
    const deleted = { entry, deletedDate: this.nowSeconds() };
    this.deleted.set(key, deleted);
    return this.deletedBundle(deleted);
  }

  private attributes(version: StoredSecretVersion) {
    return {
      enabled: version.enabled,
      ...(version.notBefore !== undefined ? { nbf: version.notBefore } : {}),
      ...(version.expires !== undefined ? { exp: version.expires } : {}),
      created: version.created,
      updated: version.updated,
      recoveryLevel: 'Recoverable+Purgeable',
      recoverableDays: RECOVERABLE_DAYS,
    };
  }

  private bundle(entry: SecretEntry, version: StoredSecretVersion, withValue: boolean): object {
    return {
      ...(withValue ? { value: version.value } : {}),
      ...this.item(entry, version),
      ...(version.kid ? { kid: version.kid } : {}),
    };
  }

  private item(entry: SecretEntry, version: StoredSecretVersion): object {
    return {
      id: `${this.vaultUrl()}/secrets/${entry.name}/${version.version}`,
      ...(version.contentType !== undefined ? { contentType: version.contentType } : {}),
      attributes: this.attributes(version),
      ...(version.tags ? { tags: version.tags } : {}),
      ...(entry.managed ? { managed: true } : {}),
    };
  }

  private deletedBundle(deleted: DeletedSecret): object {
    const latest = deleted.entry.versions.at(-1)!;
    return {
      ...this.bundle(deleted.entry, latest, false),
      recoveryId: `${this.vaultUrl()}/deletedsecrets/${deleted.entry.name}`,
      deletedDate: deleted.deletedDate,
      scheduledPurgeDate: deleted.deletedDate + RECOVERABLE_DAYS * DAY_SECONDS,
    };
  }
}

export function deletedButRecoverable(kind: 'Secret' | 'Certificate', name: string): VaultError {
  return new VaultError(
    409,
    'Conflict',
    `${kind} ${name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, ` +
      `the ${kind.toLowerCase()} can only be recovered or purged.`,
    'ObjectIsDeletedButRecoverable',
  );
}

function secretNotFound(name: string, version: string | undefined): VaultError {
  return new VaultError(
    404,
    'SecretNotFound',
    `A secret with (name/id) ${name}${version ? `/${version}` : ''} was not found in this key vault.`,
  );
}
