import { type RunProgressTotalBasis } from './RunStore';

/**
 * Port: a running sync run's progress, for the operator watching it. Reporting never fails and never waits:
 * the run goes on whatever becomes of the report.
 */
export interface RunProgress {
  /** A page's items are settled (written, skipped or failed); adds to what was reported before. */
  settled(items: number): void;
  /** How many items the run expects to read in all, and where the estimate came from; a later estimate replaces it. */
  expectTotal(total: number, basis: RunProgressTotalBasis): void;
}
