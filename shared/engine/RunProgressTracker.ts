import { ensureError } from '../core/errors/ensureError';
import { type Logger } from '../core/logging/Logger';
import { type RunProgress } from './RunProgress';
import { type RunProgressTotalBasis, type SyncRunProgress } from './RunStore';

/** How often a running run's progress is saved at most: an operator sees it move, the table sees few writes. */
export const RUN_PROGRESS_SAVE_INTERVAL_MS = 2_000;

export interface RunProgressTrackerDeps {
  /** Saves the running run's record with this progress. */
  save(progress: SyncRunProgress): Promise<void>;
  log: Logger;
  intervalMs?: number | undefined;
  now?: (() => Date) | undefined;
}

/**
 * Collects a run's progress and saves it, throttled: at most one save per interval, never two in flight, a
 * failed save logged and forgotten (the next change tries again). Nothing is saved before the first settled
 * item (a run shorter than the interval, or one that reports nothing, is never saved for its progress).
 * `stop` ends the saving and waits for the one in flight, so the caller's final save comes after every
 * progress save.
 */
export class RunProgressTracker implements RunProgress {
  private done = 0;
  private total: { value: number; basis: RunProgressTotalBasis } | undefined;
  private updatedAt: Date | undefined;
  private lastSaveAt: number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight: Promise<void> | undefined;
  /** A change arrived after the last save started: another save is due. */
  private dirty = false;
  private stopped = false;
  private readonly intervalMs: number;
  private readonly now: () => Date;

  constructor(private readonly deps: RunProgressTrackerDeps) {
    this.intervalMs = deps.intervalMs ?? RUN_PROGRESS_SAVE_INTERVAL_MS;
    this.now = deps.now ?? (() => new Date());
    // The run's record was saved as it started: the first progress save waits a whole interval too.
    this.lastSaveAt = this.now().getTime();
  }

  settled(items: number): void {
    if (this.stopped || !Number.isFinite(items) || items <= 0) return;
    this.done += Math.round(items);
    this.updatedAt = this.now();
    this.changed();
  }

  expectTotal(total: number, basis: RunProgressTotalBasis): void {
    if (this.stopped || !Number.isInteger(total) || total < 0) return;
    this.total = { value: total, basis };
    if (this.updatedAt) this.changed();
  }

  /** The progress so far; undefined until something settled. */
  snapshot(): SyncRunProgress | undefined {
    if (!this.updatedAt) return undefined;
    return {
      done: this.done,
      ...(this.total ? { total: this.total.value, totalBasis: this.total.basis } : {}),
      updatedAt: this.updatedAt.toISOString(),
    };
  }

  /** No save starts after this; resolves once the one in flight (if any) has ended. Never rejects. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }

  private changed(): void {
    this.dirty = true;
    // A save pending or in flight takes this change with it or schedules the next one when it ends.
    if (this.timer || this.inFlight) return;
    this.schedule();
  }

  private schedule(): void {
    const wait = Math.max(0, this.lastSaveAt + this.intervalMs - this.now().getTime());
    this.timer = setTimeout(() => this.saveNow(), wait);
    // A pending progress save must not keep a process alive that has nothing else to do.
    this.timer.unref?.();
  }

  private saveNow(): void {
    this.timer = undefined;
    const progress = this.snapshot();
    if (this.stopped || !progress) return;
    this.dirty = false;
    this.lastSaveAt = this.now().getTime();
    // An async wrapper, so a save that throws before it returns a promise is caught like one that rejects.
    this.inFlight = (async () => this.deps.save(progress))()
      .catch((err: unknown) => this.deps.log.warn('saving the run progress failed; the run goes on', { error: ensureError(err).message }))
      .finally(() => {
        this.inFlight = undefined;
        if (this.dirty && !this.stopped) this.schedule();
      });
  }
}
