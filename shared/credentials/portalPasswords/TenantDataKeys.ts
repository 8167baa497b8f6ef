import { randomBytes } from 'node:crypto';
import { AppError } from '../../core/errors/AppError';
import { type KeyWrapper } from '../../platform/keys/KeyWrapper';
import { ExpiringLruCache } from './ExpiringLruCache';
import { type StoredDataKey, type TenantDataKeyStore } from './TenantDataKeyStore';

/** AES-256. */
const DATA_KEY_BYTES = 32;

export interface TenantDataKeysOptions {
  /** Tenants whose unwrapped keys stay in memory (default 1,000). */
  maxTenants?: number;
  /** How long an unwrapped key stays in memory (default 1 hour): at most one unwrap per tenant and version per hour. */
  ttlMs?: number;
  now?: () => number;
}

/** A tenant's data key in clear, with its version. Never logged, never stored unwrapped. */
export interface DataKey {
  version: number;
  key: Buffer;
}

/** An unwrapped key with what identifies its row: a tenant deleted and made again reuses version numbers. */
interface UnwrappedKey {
  createdAt: string;
  key: Buffer;
}

/**
 * Each tenant's data keys: random AES-256 keys, stored only wrapped by the KeyWrapper (Key Vault), unwrapped once
 * and kept in a bounded in-memory cache, so a run over 5,000 users costs one Key Vault call, not 5,000.
 * Concurrent lookups of one key share one unwrap. Creating a tenant's first key is insert-if-absent: two
 * instances racing both end up with the winner's key.
 */
export class TenantDataKeys {
  private readonly cache: ExpiringLruCache<string, Map<number, Promise<UnwrappedKey>>>;
  /** Versions being made now, per tenant and version: concurrent callers share one wrap and one insert. */
  private readonly making = new Map<string, Promise<StoredDataKey>>();

  constructor(
    private readonly store: TenantDataKeyStore,
    private readonly wrapper: KeyWrapper,
    options: TenantDataKeysOptions = {},
  ) {
    this.cache = new ExpiringLruCache(options.maxTenants ?? 1000, options.ttlMs ?? 60 * 60_000, options.now ?? Date.now);
  }

  /**
   * The version to encrypt with: the newest, made when the tenant has none. Read from the table on every call
   * (one small read; key material comes from the cache), so a data-key rotation made by another instance is
   * used at once rather than after the cache's TTL, and a cached key of a deleted tenant is never used to write.
   */
  async current(tenantId: string): Promise<DataKey> {
    const newest = (await this.store.list(tenantId)).at(-1) ?? (await this.createVersion(tenantId, 1));
    let unwrapped = await this.keyOf(tenantId, newest.version, newest);
    if (unwrapped.createdAt !== newest.createdAt) {
      this.versionsOf(tenantId).delete(newest.version);
      unwrapped = await this.keyOf(tenantId, newest.version, newest);
    }
    return { version: newest.version, key: unwrapped.key };
  }

  /** The key of one version (what a row records it was encrypted with). */
  async version(tenantId: string, version: number): Promise<Buffer> {
    return (await this.keyOf(tenantId, version, undefined)).key;
  }

  /** Makes the next version, which current() answers from now on; answers its number. */
  async addVersion(tenantId: string): Promise<number> {
    const newest = (await this.store.list(tenantId)).at(-1);
    return (await this.createVersion(tenantId, (newest?.version ?? 0) + 1)).version;
  }

  /** The versions the tenant has, oldest first. */
  async versions(tenantId: string): Promise<number[]> {
    return (await this.store.list(tenantId)).map((key) => key.version);
  }

  /** Deletes one version (once nothing is encrypted with it any more). */
  async dropVersion(tenantId: string, version: number): Promise<void> {
    this.cache.get(tenantId)?.delete(version);
    await this.store.delete(tenantId, version);
  }

  /** Forgets the tenant's unwrapped keys here (a key that no longer opens what it should is read again). */
  evict(tenantId: string): void {
    this.cache.delete(tenantId);
  }

  /** Deletes every version of the tenant, and forgets them here. */
  async forgetTenant(tenantId: string): Promise<void> {
    this.cache.delete(tenantId);
    await this.store.deleteAll(tenantId);
  }

  private versionsOf(tenantId: string): Map<number, Promise<UnwrappedKey>> {
    let versions = this.cache.get(tenantId);
    if (!versions) {
      versions = new Map();
      this.cache.set(tenantId, versions);
    }
    return versions;
  }

  private keyOf(tenantId: string, version: number, stored: StoredDataKey | undefined): Promise<UnwrappedKey> {
    const versions = this.versionsOf(tenantId);
    const cached = versions.get(version);
    if (cached) return cached;
    const lookup = this.unwrap(tenantId, version, stored);
    versions.set(version, lookup);
    // A failed unwrap (Key Vault unavailable) is tried again by the next caller, not remembered.
    lookup.catch(() => {
      if (versions.get(version) === lookup) versions.delete(version);
    });
    return lookup;
  }

  private async unwrap(tenantId: string, version: number, stored: StoredDataKey | undefined): Promise<UnwrappedKey> {
    const found = stored ?? (await this.store.list(tenantId)).find((key) => key.version === version);
    if (!found) throw new AppError('INTERNAL', `data key version ${version} of tenant ${tenantId} does not exist`);
    const key = await this.wrapper.unwrap(found.wrappedKey, found.keyId);
    if (key.length !== DATA_KEY_BYTES)
      throw new AppError(
        'INTERNAL',
        `data key version ${version} of tenant ${tenantId} unwrapped to ${key.length} bytes, not ${DATA_KEY_BYTES}`,
      );
    return { createdAt: found.createdAt, key };
  }

  private createVersion(tenantId: string, version: number): Promise<StoredDataKey> {
    const making = `${tenantId}|${version}`;
    let created = this.making.get(making);
    if (!created) {
      created = this.insertVersion(tenantId, version).finally(() => this.making.delete(making));
      this.making.set(making, created);
    }
    return created;
  }

  private async insertVersion(tenantId: string, version: number): Promise<StoredDataKey> {
    const key = randomBytes(DATA_KEY_BYTES);
    const wrapped = await this.wrapper.wrap(key);
    const createdAt = new Date().toISOString();
    const created = await this.store.create({ tenantId, version, ...wrapped, createdAt });
    if (created) {
      // The maker needs no unwrap: it still holds the key it wrapped.
      this.versionsOf(tenantId).set(version, Promise.resolve({ createdAt, key }));
      return created;
    }
    // Another instance made this version first: its key is the one, ours was never stored.
    const winner = (await this.store.list(tenantId)).find((stored) => stored.version === version);
    if (!winner) throw new AppError('INTERNAL', `data key version ${version} of tenant ${tenantId} was made and is gone again`);
    return winner;
  }
}
