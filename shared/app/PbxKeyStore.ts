/** What a PBX key may be asked for that is rate-limited per key (a real sync, or a dry run). */
export type PbxRequestKind = 'sync' | 'dryRun';

/** A tenant's PBX API key as operators see it: never the key, never its hash. */
export interface PbxKeyRecord {
  tenantId: string;
  /** Public id (16 hex characters), for listing and revoking. */
  keyId: string;
  createdAt: string;
  /** Coarse (the start of the hour it was last used in), so using a key costs at most one write an hour. */
  lastUsedAt?: string | undefined;
  /**
   * `events`: the key the connector made for the PBX's event webhook (it registered it at the PBX itself). It
   * opens only the events route, and rotating the operators' keys leaves it alone.
   */
  purpose?: 'events' | undefined;
}

/** One stored key as the authentication path reads it. */
export interface StoredPbxKey extends PbxKeyRecord {
  /** SHA-256 (hex) of the key; the key itself is shown once, when it is created, and never stored. */
  hash: string;
  /** The row's version: rate-limit claims are conditional on it. */
  etag: string;
  /** When each kind of request last got through (the per-key rate limit). */
  requestedAt: Partial<Record<PbxRequestKind, string>>;
}

/** What `update` may change on a stored key. */
export interface PbxKeyUpdate {
  lastUsedAt?: string;
  requestedAt?: Partial<Record<PbxRequestKind, string>>;
}

/**
 * Port: the tenant-scoped API keys a PBX uses on the anonymous `/api/pbx/{tenantId}/…` routes (Table Storage).
 * Keys are found by their hash (a point read), so an unknown key costs one lookup and no scan.
 */
export interface PbxKeyStore {
  /** Stores a new key; AppError CONFLICT if its hash is already stored (never, for 32 random bytes). */
  add(key: PbxKeyRecord & { hash: string }): Promise<void>;
  findByHash(hash: string): Promise<StoredPbxKey | null>;
  /** The tenant's keys, oldest first. */
  listForTenant(tenantId: string): Promise<PbxKeyRecord[]>;
  /** Revokes one key; false when the tenant has no key with this id. */
  remove(tenantId: string, keyId: string): Promise<boolean>;
  /** Revokes every key of the tenant (the tenant is being deleted); how many there were. */
  removeAllForTenant(tenantId: string): Promise<number>;
  /**
   * Merges the fields into the stored key. With `etag`, only if the row is unchanged since it was read
   * (`changed` otherwise). `gone` when the key was revoked meanwhile: an update never brings a key back.
   */
  update(
    hash: string,
    fields: PbxKeyUpdate,
    etag?: string,
  ): Promise<{ outcome: 'updated'; etag: string } | { outcome: 'changed' | 'gone' }>;
}
