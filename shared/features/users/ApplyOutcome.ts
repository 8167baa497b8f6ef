import { type RunCounts, type RunIssue } from '../../engine/RunStore';

/** What applying (part of) a plan did; merged into the run record. */
export interface ApplyOutcome {
  counts: Partial<RunCounts>;
  issues: RunIssue[];
  /** A retryable failure (throttling, outage): the checkpoint must not move past this batch. */
  retryableError?: Error;
}

/**
 * The issue code of an item whose link write was refused because another writer created or changed that
 * user's link meanwhile. Not retried in the run: the user goes to the pending set and is re-read next run.
 */
export const LINK_CONFLICT = 'linkConflict';

export function addCount(outcome: ApplyOutcome, key: keyof RunCounts, by = 1): void {
  outcome.counts[key] = (outcome.counts[key] ?? 0) + by;
}
