import { type RunChange, type RunChangeOutcome } from './RunChange';

/**
 * Where an item sits in its run's list: `<writer start ms, 13 digits>-<writer random, 8 hex>-<sequence, 8
 * digits>`. Keys sort in insertion order (per writer exactly; across writers of one run by start time), and
 * a retried write of the same item reuses its key, so it replaces rather than repeats it.
 */
export const RUN_CHANGE_KEY_PATTERN = /^[0-9]{13}-[0-9a-f]{8}-[0-9]{8}$/;

export interface KeyedRunChange {
  key: string;
  change: RunChange;
}

/** Which items of a run to read; every filter is optional. */
export interface RunChangeQuery {
  /** 1..500. */
  limit: number;
  /** Items after this key (a continuation). */
  after?: string | undefined;
  /** Any of these outcomes. */
  outcomes?: RunChangeOutcome[] | undefined;
  feature?: string | undefined;
  /** Case-insensitive substring of the source id, label or extension. */
  q?: string | undefined;
}

export interface RunChangePage {
  items: RunChange[];
  /** Set when there may be more: pass it back as `after`. A page can be short (even empty) yet have more. */
  next?: string | undefined;
}

export interface PurgedRunChanges {
  runs: number;
  items: number;
}

/** Port: runs' per-item change lists (personal data: kept for a retention, then purged). */
export interface RunChangeStore {
  /** Writes items to a run's list (in few requests); writing the same key again replaces that item. */
  append(tenantId: string, runId: string, items: readonly KeyedRunChange[]): Promise<void>;
  /** A run's items in insertion order. */
  list(tenantId: string, runId: string, query: RunChangeQuery): Promise<RunChangePage>;
  /** Deletes the items of every run queued before `cutoff` (the run id's time), of every tenant. */
  purgeRunsBefore(cutoff: Date): Promise<PurgedRunChanges>;
}
