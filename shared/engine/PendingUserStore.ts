/**
 * Port: users whose change could not be written (a final PBX error such as a validation failure). The delta
 * token moves on, so each run re-reads these users by id and tries again; nothing is silently lost.
 */
export interface PendingUser {
  tenantId: string;
  objectId: string;
  code: string;
  message: string;
  attempts: number;
  firstFailedAt: string;
  lastFailedAt: string;
}

export interface PendingUserStore {
  list(tenantId: string): Promise<PendingUser[]>;
  /** Adds or bumps the attempt count. */
  record(tenantId: string, objectId: string, code: string, message: string): Promise<void>;
  remove(tenantId: string, objectId: string): Promise<void>;
}
