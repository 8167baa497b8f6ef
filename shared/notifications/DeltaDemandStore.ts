/**
 * Whether a tenant's feature has a delta job waiting to start ("pending"), shared by every instance that runs
 * the webhook or the worker. `generation` counts the jobs ever asked for (it only grows); `epoch` is drawn when
 * the row is created, so job ids of a re-created row never repeat earlier ones (deltaDemandJobId).
 */
export interface DeltaDemandState {
  epoch: string;
  generation: number;
  /** A job for `generation` was asked for and has not started yet. */
  pending: boolean;
  /** When `pending` was set (or last re-sent): a pending job that has not started long after is re-sent. */
  pendingSince?: string | undefined;
}

export interface StoredDeltaDemand extends DeltaDemandState {
  etag: string;
}

/** Port: one row per tenant and feature (Table Storage: TableDeltaDemandStore). */
export interface DeltaDemandStore {
  get(tenantId: string, feature: string): Promise<StoredDeltaDemand | null>;
  /**
   * Writes `next` only if the row is still as `current` was read (its ETag), or still absent when `current`
   * is null. Null when someone else changed (or created, or removed) it first: read again and decide again.
   */
  write(tenantId: string, feature: string, current: StoredDeltaDemand | null, next: DeltaDemandState): Promise<StoredDeltaDemand | null>;
}
