/** What the last poll cycle of a polling feature did for a tenant (the status API shows it). */
export interface PollCycleStats {
  users: number;
  batches: number;
  /** Batches finished (the cycle is over when all are). */
  batchesDone: number;
  graphCalls: number;
  /** Users whose source state changed since the cycle before. */
  changed: number;
  /** PBX writes made (users whose PBX state changed). */
  pbxWrites: number;
  /** Users the feature could serve only in part (presence: the DND switch only). */
  limited: number;
  failed: number;
  /** Milliseconds from the cycle's start to its last batch's end. */
  durationMs: number;
}

/** A tenant's polling by one feature: the last slot started (one chain of cycles) and its result. */
export interface PollCycleState {
  tenantId: string;
  feature: string;
  /** The last cycle slot started (slot = ⌊epoch ms / poll period⌋): a job for an older or equal slot is a duplicate. */
  slot: number;
  startedAt: string;
  /** Set when the cycle's last batch finished. */
  finishedAt?: string | undefined;
  /** Running totals of the slot's cycle; final once finishedAt is set. */
  stats: PollCycleStats;
  lastError?: string | undefined;
  /** The stored version, for a conditional replace. */
  etag?: string | undefined;
}

/** Port: one row per tenant and polling feature (Table Storage). */
export interface PollCycleStore {
  get(tenantId: string, feature: string): Promise<PollCycleState | undefined>;
  /**
   * Writes the state: create-if-absent without an etag, replace-if-unchanged with one. AppError
   * PRECONDITION_FAILED when another job got there first (or deleted it): the caller drops its duplicate.
   */
  put(state: PollCycleState): Promise<PollCycleState>;
  /** Idempotent. */
  delete(tenantId: string, feature: string): Promise<void>;
  deleteAllForTenant(tenantId: string): Promise<void>;
}
