import { randomBytes } from 'node:crypto';
import { AppError } from '../core/errors/AppError';
import { type RunChangeInput, toRunChange } from './RunChange';
import { type KeyedRunChange, type RunChangeStore } from './RunChangeStore';
import { RunIdSchemaPattern } from './newRunId';

export interface RunChangeRecorderOptions {
  tenantId: string;
  runId: string;
  /** Dry runs record nothing: add() drops, flush() writes nothing. */
  dryRun: boolean;
  now?: (() => Date) | undefined;
}

const MAX_SEQUENCE = 99_999_999;

/**
 * Collects what a run did to each item and writes it to the run's change list
 * (GET /api/tenants/{id}/runs/{runId}/changes). Usage, once per run:
 *
 *   const changes = new RunChangeRecorder(services.runChanges, { tenantId, runId, dryRun });
 *   changes.add([{ feature: 'users', sourceId: objectId, label: upn, outcome: 'updated', fields: ['displayName'] }]);
 *   await changes.flush(); // after each page, and once at the end of the run
 *
 * add() is synchronous and only buffers (safe to call from concurrent workers); it copies the known
 * properties only, cuts long values and stamps `at` when absent. flush() writes everything added so far, in
 * order, as entity-group transactions of up to 100 items (a page of 200 items: 2 requests); concurrent
 * flushes run one after the other. When a flush fails (AppError from the store) the items stay buffered and
 * the next flush writes them again; a retried item keeps its key, so it is replaced, never listed twice.
 */
export class RunChangeRecorder {
  private readonly writer: string;
  private readonly now: () => Date;
  private sequence = 0;
  private buffered: KeyedRunChange[] = [];
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: RunChangeStore,
    private readonly options: RunChangeRecorderOptions,
  ) {
    if (!RunIdSchemaPattern.test(options.runId)) throw new AppError('INTERNAL', `run change recorder: invalid run id ${options.runId}`);
    this.now = options.now ?? (() => new Date());
    // Keys start with the writer's start time, so a later writer of the same run (a retried job) lists after.
    this.writer = `${String(this.now().getTime()).padStart(13, '0')}-${randomBytes(4).toString('hex')}`;
  }

  /** Items waiting for flush(). */
  get pending(): number {
    return this.buffered.length;
  }

  add(items: RunChangeInput | readonly RunChangeInput[]): void {
    if (this.options.dryRun) return;
    const now = this.now();
    for (const item of Array.isArray(items) ? (items as readonly RunChangeInput[]) : [items as RunChangeInput]) {
      if (this.sequence >= MAX_SEQUENCE) throw new AppError('INTERNAL', `run ${this.options.runId}: more than ${MAX_SEQUENCE} changes`);
      this.sequence += 1;
      this.buffered.push({ key: `${this.writer}-${String(this.sequence).padStart(8, '0')}`, change: toRunChange(item, now) });
    }
  }

  flush(): Promise<void> {
    const write = this.writing.catch(() => undefined).then(() => this.writeBuffered());
    this.writing = write;
    return write;
  }

  private async writeBuffered(): Promise<void> {
    const batch = this.buffered;
    if (batch.length === 0) return;
    this.buffered = []; // items added while this batch is written wait for the next flush
    try {
      await this.store.append(this.options.tenantId, this.options.runId, batch);
    } catch (err) {
      this.buffered = [...batch, ...this.buffered];
      throw err;
    }
  }
}
