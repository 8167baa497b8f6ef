/**
 * A number freed by a delete, kept from reuse until `releaseAt`, so a caller dialling a departed colleague
 * does not reach the next hire (`users.numbering.quarantineDays`).
 */
export interface QuarantinedNumber {
  tenantId: string;
  /** The extension number (digits). */
  number: string;
  quarantinedAt: string;
  /** ISO time from which the number may be handed out again. */
  releaseAt: string;
  /** The Entra user whose extension held the number: that same user may get it back. */
  objectId?: string | undefined;
  /** Why it was freed (the delete's reason). */
  reason: string;
}

export interface QuarantineEntry {
  releaseAt: string;
  objectId?: string | undefined;
  reason: string;
  /** Defaults to now. */
  quarantinedAt?: string | undefined;
}

/** Extension numbers: digits only (leading zeros included), as long as a PBX allows (PortSIP: 64). */
export const QUARANTINE_NUMBER_PATTERN = /^[0-9]{1,64}$/;

/** Whether a row still keeps its number from reuse at `now`. */
export function isQuarantineActive(entry: Pick<QuarantinedNumber, 'releaseAt'>, now: Date): boolean {
  return Date.parse(entry.releaseAt) > now.getTime();
}

/**
 * Port: the tenant's quarantined numbers (Table Storage, partitioned by tenant, one row per number).
 * Expired rows change nothing (`activeNumbers` ignores them) and are purged lazily.
 */
export interface NumberQuarantineStore {
  /** Puts the number in quarantine, or again (a replayed delete): the newest entry replaces the row. */
  quarantine(tenantId: string, number: string, entry: QuarantineEntry): Promise<void>;
  /** Every row of the tenant, expired ones included, in row-key (text) order. */
  list(tenantId: string): Promise<QuarantinedNumber[]>;
  /** Releases a number early; false when the tenant has no row for it. */
  release(tenantId: string, number: string): Promise<boolean>;
  /** The rows still in force at `now`, in row-key (text) order. */
  activeNumbers(tenantId: string, now: Date): Promise<QuarantinedNumber[]>;
  /** Deletes the rows that expired before `now`; returns how many. */
  purgeExpired(tenantId: string, now: Date): Promise<number>;
  deleteAllForTenant(tenantId: string): Promise<void>;
}
