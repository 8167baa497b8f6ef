import { AsyncLocalStorage } from 'node:async_hooks';
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

/**
 * The progress of the sync run the current async flow belongs to. Delta rounds report through it
 * (runDeltaRound), so every feature built on them reports without passing the port down to its round, and
 * two runs in one process never report to each other's record.
 */
const runProgressScope = new AsyncLocalStorage<RunProgress>();

/** Runs `work` with `progress` as the current run's progress (processSyncJob: real runs only). */
export function withRunProgress<T>(progress: RunProgress, work: () => Promise<T>): Promise<T> {
  return runProgressScope.run(progress, work);
}

/** The current run's progress; undefined outside a run that reports (dry runs, timer and poll jobs). */
export function currentRunProgress(): RunProgress | undefined {
  return runProgressScope.getStore();
}
