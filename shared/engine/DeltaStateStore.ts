/** What a delta round reads, named by its feature (e.g. `users`; later per mailbox folder). */
export type SyncResource = string;
export type RoundMode = 'full' | 'delta';

/**
 * Progress of delta rounds for one tenant and resource. `deltaLink` belongs to the last completed round;
 * `checkpointLink` is the nextLink after the last page whose PBX writes all succeeded, in a round that is
 * still unfinished (so a huge initial sync resumes where it stopped).
 */
export interface DeltaState {
  tenantId: string;
  resource: SyncResource;
  deltaLink?: string | undefined;
  checkpointLink?: string | undefined;
  roundMode?: RoundMode | undefined;
  roundStartedAt?: string | undefined;
  /** True once an unfinished round was resumed from its checkpoint (its full-round sweep is then unsafe). */
  roundResumed?: boolean | undefined;
  /** Hash of the sync options the links were made under; a change forces a full reconcile. */
  optionsHash?: string | undefined;
  lastCompletedAt?: string | undefined;
  etag?: string | undefined;
}

/** Port: delta tokens and page checkpoints (Table Storage). */
export interface DeltaStateStore {
  get(tenantId: string, resource: SyncResource): Promise<DeltaState | null>;
  /**
   * Saves; when state.etag is set the write is conditional (AppError PRECONDITION_FAILED if it changed).
   * Returns the state with its new etag.
   */
  save(state: DeltaState): Promise<DeltaState>;
  clear(tenantId: string, resource: SyncResource): Promise<void>;
  /** Forgets every delta state of a tenant (the tenant is deleted). */
  clearTenant(tenantId: string): Promise<void>;
}
