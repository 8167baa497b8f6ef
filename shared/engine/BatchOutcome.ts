import { type RunCounts, type RunIssue } from './RunStore';

/** What applying (part of) a plan did; merged into the run record. */
export interface BatchOutcome {
  counts: Partial<RunCounts>;
  issues: RunIssue[];
  /** A retryable failure (throttling, outage): the checkpoint must not move past this batch. */
  retryableError?: Error;
}

export function addCount(outcome: BatchOutcome, key: keyof RunCounts, by = 1): void {
  outcome.counts[key] = (outcome.counts[key] ?? 0) + by;
}
