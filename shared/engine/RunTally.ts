import { type BatchOutcome } from './BatchOutcome';
import { type FeatureRunResult } from './FeatureRunResult';
import { MAX_RUN_ISSUES, type RunCounts } from './RunStore';

/**
 * Adds batches into a run's result. Counts stay exact; the issue list is capped so a run record stays
 * small however many items fail.
 */
export class RunTally {
  constructor(private readonly result: FeatureRunResult) {}

  /** Throws the batch's retryable failure after counting it, so the caller's checkpoint stays put. */
  merge(outcome: BatchOutcome): void {
    const { result } = this;
    for (const [key, value] of Object.entries(outcome.counts)) result.counts[key as keyof RunCounts] += value ?? 0;
    for (const issue of outcome.issues) {
      if (issue.action === 'skip') result.skippedByReason[issue.code] = (result.skippedByReason[issue.code] ?? 0) + 1;
      if (result.issues.length < MAX_RUN_ISSUES) result.issues.push(issue);
    }
    if (outcome.retryableError) throw outcome.retryableError;
  }

  /** Source items left alone without any record on the target, by reason. */
  addOutOfScope(byReason: Readonly<Record<string, number>>): void {
    for (const [reason, n] of Object.entries(byReason)) {
      this.result.counts.outOfScope += n;
      this.result.outOfScopeByReason[reason] = (this.result.outOfScopeByReason[reason] ?? 0) + n;
    }
  }
}
