/** What the last presence cycle of a tenant did (the status API shows it). */
export interface PresenceCycleStats {
  users: number;
  batches: number;
  /** Batches finished (the cycle is over when all are). */
  batchesDone: number;
  graphCalls: number;
  /** Users whose Teams presence changed since the cycle before. */
  changed: number;
  /** PBX writes made (one per user whose status changed on the PBX). */
  pbxWrites: number;
  /** Users whose status could be set with the admin DND switch only. */
  limited: number;
  failed: number;
  /** Milliseconds from the cycle's start to its last batch's end. */
  durationMs: number;
}

/** A tenant's presence polling: the last slot started (one chain of cycles per tenant) and its result. */
export interface PresenceCycleState {
  tenantId: string;
  /** The last cycle slot started (slot = ⌊epoch ms / poll period⌋): a job for an older or equal slot is a duplicate. */
  slot: number;
  startedAt: string;
  /** Set when the cycle's last batch finished. */
  finishedAt?: string | undefined;
  /** Running totals of the slot's cycle; final once finishedAt is set. */
  stats: PresenceCycleStats;
  lastError?: string | undefined;
  /** The stored version, for a conditional replace. */
  etag?: string | undefined;
}

/** Port: one row per tenant (Table Storage). */
export interface PresenceCycleStore {
  get(tenantId: string): Promise<PresenceCycleState | undefined>;
  /**
   * Writes the state: create-if-absent without an etag, replace-if-unchanged with one. AppError CONFLICT or
   * PRECONDITION_FAILED when another job got there first (the caller drops its duplicate).
   */
  put(state: PresenceCycleState): Promise<PresenceCycleState>;
  delete(tenantId: string): Promise<void>;
}
