import { type RunTrigger, type SyncRun, emptyCounts } from './RunStore';

/** A run record before any work: queued, zero counts. */
export function queuedRun(fields: {
  tenantId: string;
  runId: string;
  feature: string;
  trigger: RunTrigger;
  mode: 'full' | 'delta';
  queuedAt: string;
}): SyncRun {
  return {
    ...fields,
    status: 'queued',
    dryRun: false,
    counts: emptyCounts(),
    skippedByReason: {},
    outOfScopeByReason: {},
    itemsRead: 0,
    issues: [],
    graphRequests: 0,
    pbxRequests: 0,
    pages: 0,
    notes: [],
  };
}
