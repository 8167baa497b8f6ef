export type RunStatus = 'queued' | 'running' | 'succeeded' | 'partial' | 'failed';
/**
 * What started a run. `manual`: an operator (admin API); `pbx`: the PBX with its tenant key (PBX API);
 * `linkEvents`: another feature's run linked, unlinked or renumbered something this feature reacts to
 * (Feature.onLinkEvents).
 */
export const RUN_TRIGGERS = ['manual', 'pbx', 'scheduled', 'notification', 'lifecycle', 'startup', 'cli', 'linkEvents'] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];

export interface RunCounts {
  created: number;
  adopted: number;
  updated: number;
  disabled: number;
  deleted: number;
  unlinked: number;
  unchanged: number;
  skipped: number;
  failed: number;
  /** Users the connector does not sync and has no record of (guest, not in scope, disabled, deleted). */
  outOfScope: number;
}

export interface RunIssue {
  objectId?: string | undefined;
  userPrincipalName?: string | undefined;
  action?: string | undefined;
  /** Stable reason code (e.g. missingName, extensionCollision, PBX VALIDATE_FAILED). */
  code: string;
  message: string;
}

/** Where a run's expected total came from: Graph's count of the collection, or what the last full run read. */
export type RunProgressTotalBasis = 'graphCount' | 'previousRun';

/** How far a running run has got, saved while it runs (throttled) and once more with the final record. */
export interface SyncRunProgress {
  /** Items (users, contacts, ...) of the pages settled so far. */
  done: number;
  /** An estimate of the items the run will read (full runs only); `done` may end above or below it. */
  total?: number | undefined;
  totalBasis?: RunProgressTotalBasis | undefined;
  /** When `done` was counted. */
  updatedAt: string;
}

export interface SyncRun {
  tenantId: string;
  runId: string;
  /** The feature that ran (absent on runs recorded before features existed, all of them user syncs). */
  feature?: string | undefined;
  status: RunStatus;
  trigger: RunTrigger;
  mode: 'full' | 'delta';
  dryRun: boolean;
  queuedAt: string;
  startedAt?: string | undefined;
  finishedAt?: string | undefined;
  durationMs?: number | undefined;
  counts: RunCounts;
  skippedByReason: Record<string, number>;
  outOfScopeByReason: Record<string, number>;
  /** Distinct directory users read; every one is in exactly one count (a full round's sweep adds deletions). */
  itemsRead: number;
  /** Skips and failures, capped (see MAX_RUN_ISSUES); counts stay exact. */
  issues: RunIssue[];
  graphRequests: number;
  pbxRequests: number;
  pages: number;
  /** Set when the run failed as a whole (e.g. Graph unreachable, bad credentials). */
  error?: string | undefined;
  /** Free-form notes (e.g. "full-round sweep skipped: round was resumed"). */
  notes: string[];
  /** Absent until the run has settled a page (and on runs recorded before progress existed). */
  progress?: SyncRunProgress | undefined;
}

export const MAX_RUN_ISSUES = 200;

export function emptyCounts(): RunCounts {
  return { created: 0, adopted: 0, updated: 0, disabled: 0, deleted: 0, unlinked: 0, unchanged: 0, skipped: 0, failed: 0, outOfScope: 0 };
}

/** Port: sync run history (Table Storage). */
export interface RunStore {
  create(run: SyncRun): Promise<void>;
  /** Replaces the stored run with this one. */
  save(run: SyncRun): Promise<void>;
  get(tenantId: string, runId: string): Promise<SyncRun | null>;
  /** Newest first. */
  list(tenantId: string, limit: number): Promise<SyncRun[]>;
}
