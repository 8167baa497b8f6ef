import { type WrappedKey } from '../../platform/keys/KeyWrapper';

/** One version of a tenant's data key, as stored: wrapped only, never in clear. */
export interface StoredDataKey extends WrappedKey {
  tenantId: string;
  /** 1, 2, …: a data-key rotation adds the next one. */
  version: number;
  createdAt: string;
  etag: string;
}

export interface DataKeyPage {
  keys: StoredDataKey[];
  /** Where the next page starts; absent on the last page. */
  continuationToken?: string | undefined;
}

/** Port: the wrapped data keys of every tenant (Table Storage: partition = tenant, row = version). */
export interface TenantDataKeyStore {
  /** The tenant's versions, oldest first. */
  list(tenantId: string): Promise<StoredDataKey[]>;
  /** Inserts if absent; null when that version exists already (another writer made it first). */
  create(key: Omit<StoredDataKey, 'etag'>): Promise<StoredDataKey | null>;
  /** Stores a new wrapping of the same data key; PRECONDITION_FAILED when the row changed since `key` was read. */
  rewrap(key: StoredDataKey, wrapped: WrappedKey): Promise<StoredDataKey>;
  /** Idempotent. */
  delete(tenantId: string, version: number): Promise<void>;
  /** Every version of the tenant; idempotent. */
  deleteAll(tenantId: string): Promise<void>;
  /** One page of every tenant's keys not wrapped with `keyId` (the re-wrap after a key rotation). */
  pageNotWrappedWith(keyId: string, options: { pageSize: number; continuationToken?: string | undefined }): Promise<DataKeyPage>;
}
