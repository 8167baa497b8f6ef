import { type RunCounts, type RunIssue, emptyCounts } from './RunStore';

/** What one feature run did, recorded on its run: every source item read lands in exactly one count. */
export interface FeatureRunResult {
  mode: 'full' | 'delta';
  counts: RunCounts;
  issues: RunIssue[];
  skippedByReason: Record<string, number>;
  outOfScopeByReason: Record<string, number>;
  /** Distinct source items read in this run. */
  itemsRead: number;
  notes: string[];
  pages: number;
  graphRequests: number;
  pbxRequests: number;
  /** Dry runs only: every action the run would have taken (the feature's own action type). */
  plannedActions?: unknown[];
}

/** A run that has done nothing yet: the start every feature run adds to. */
export function emptyFeatureRunResult(mode: 'full' | 'delta'): Omit<FeatureRunResult, 'plannedActions'> {
  return {
    mode,
    counts: emptyCounts(),
    issues: [],
    skippedByReason: {},
    outOfScopeByReason: {},
    itemsRead: 0,
    notes: [],
    pages: 0,
    graphRequests: 0,
    pbxRequests: 0,
  };
}

/** A run's result to fill in; a dry run's lists its planned actions. */
export function startFeatureRunResult(request: { mode: 'full' | 'delta'; dryRun: boolean }): FeatureRunResult {
  return { ...emptyFeatureRunResult(request.mode), ...(request.dryRun ? { plannedActions: [] } : {}) };
}

/**
 * Starts counting a run's Graph and PBX requests (the adapters count every request they send); the returned
 * function writes what was sent since into the result and returns it.
 */
export function countRunRequests(
  graph: { requestCount(): number },
  pbx: { requestCount(): number },
): (result: FeatureRunResult) => FeatureRunResult {
  const before = { graph: graph.requestCount(), pbx: pbx.requestCount() };
  return (result) => {
    result.graphRequests = graph.requestCount() - before.graph;
    result.pbxRequests = pbx.requestCount() - before.pbx;
    return result;
  };
}
