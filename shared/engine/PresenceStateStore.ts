import { type PresenceRecord } from './PresenceRecord';

/**
 * Port: the presence feature's per-user records (Table Storage, partition = tenant, row = the user's object id
 * in lower case). Only the presence features write them, inside the tenant's realtime lane (one writer).
 */
export interface PresenceStateStore {
  /** The records whose (lower-case) user ids lie after `afterUserId` (exclusive) and through `throughUserId` (inclusive); an absent bound is open. One key-range query. */
  listRange(tenantId: string, afterUserId: string | undefined, throughUserId: string | undefined): Promise<PresenceRecord[]>;
  get(tenantId: string, userId: string): Promise<PresenceRecord | undefined>;
  /** Replaces each record as given (in entity-group transactions of up to 100). */
  putMany(tenantId: string, records: readonly PresenceRecord[]): Promise<void>;
  /** Idempotent. */
  deleteMany(tenantId: string, userIds: readonly string[]): Promise<void>;
  deleteAllForTenant(tenantId: string): Promise<void>;
}
