import { type RunProgressTotalBasis, type SyncRun } from './RunStore';

/** A running run's progress as the status and the console show it. */
export interface RunProgressView {
  done: number;
  total?: number;
  totalBasis?: RunProgressTotalBasis;
  /** done / total in whole percent, at most 100 (the total is an estimate: the run may read more). */
  percent?: number;
  /** Items per second since the run started, measured when the progress was saved. */
  ratePerSecond?: number;
  /** Seconds left from `now` at that rate; absent without a total, a rate, or once done reached the total. */
  etaSeconds?: number;
  updatedAt: string;
}

/**
 * What a run's saved progress means for an operator: percent, rate and time left. Pure, so the status API and
 * the console derive the same numbers. The rate is over the run so far (not the last pages), which steadies
 * it against a slow page; it is measured at the progress' own time, so a run whose last save is a few seconds
 * old is not reported slower than it is, and the time left counts down from that save to `now`.
 * Undefined for a run without progress.
 */
export function describeRunProgress(run: Pick<SyncRun, 'startedAt' | 'progress'>, now: Date): RunProgressView | undefined {
  const { progress } = run;
  if (!progress) return undefined;
  const { done, total, totalBasis, updatedAt } = progress;
  const view: RunProgressView = { done, updatedAt };
  if (total !== undefined) {
    view.total = total;
    if (totalBasis !== undefined) view.totalBasis = totalBasis;
    view.percent = total > 0 ? Math.min(100, Math.floor((done * 100) / total)) : 100;
  }
  const measuredAt = Date.parse(updatedAt);
  const elapsedSeconds = run.startedAt === undefined ? NaN : (measuredAt - Date.parse(run.startedAt)) / 1000;
  if (!(elapsedSeconds > 0)) return view;
  const rate = done / elapsedSeconds;
  view.ratePerSecond = Math.round(rate * 100) / 100;
  if (total !== undefined && done < total && rate > 0) {
    const sinceMeasured = Math.max(0, (now.getTime() - measuredAt) / 1000);
    view.etaSeconds = Math.max(0, Math.ceil((total - done) / rate - sinceMeasured));
  }
  return view;
}
