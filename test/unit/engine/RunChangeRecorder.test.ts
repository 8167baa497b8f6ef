import { describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../shared/core/errors/AppError';
import { type RunChangeInput } from '../../../shared/engine/RunChange';
import { RunChangeRecorder } from '../../../shared/engine/RunChangeRecorder';
import { type KeyedRunChange, RUN_CHANGE_KEY_PATTERN, type RunChangeStore } from '../../../shared/engine/RunChangeStore';
import { newRunId } from '../../../shared/engine/newRunId';

/** Keeps appended items by key (a repeated key replaces, as the table's upsert does); can fail on demand. */
class MemoryRunChangeStore implements RunChangeStore {
  readonly rows = new Map<string, KeyedRunChange>();
  calls: number[] = [];
  failNext = 0;
  gate: Promise<void> | undefined;

  async append(_tenantId: string, _runId: string, items: readonly KeyedRunChange[]): Promise<void> {
    this.calls.push(items.length);
    await this.gate;
    if (this.failNext > 0) {
      this.failNext -= 1;
      // Half written, as when the second of two transactions fails.
      for (const item of items.slice(0, Math.floor(items.length / 2))) this.rows.set(item.key, item);
      throw new AppError('TRANSIENT', 'Table Storage is unavailable');
    }
    for (const item of items) this.rows.set(item.key, item);
  }
  async list(): Promise<never> {
    throw new Error('not used');
  }
  async purgeRunsBefore(): Promise<never> {
    throw new Error('not used');
  }
  sourceIds(): string[] {
    return [...this.rows.values()].sort((a, b) => a.key.localeCompare(b.key)).map((row) => row.change.sourceId);
  }
}

const items = (from: number, count: number): RunChangeInput[] =>
  Array.from({ length: count }, (_, i) => ({
    feature: 'users',
    sourceId: `user-${String(from + i).padStart(4, '0')}`,
    outcome: 'unchanged',
  }));

const options = { tenantId: 'acme', runId: newRunId(), dryRun: false, now: () => new Date('2026-03-01T00:00:00.000Z') };

describe('RunChangeRecorder', () => {
  it('buffers until flush, then writes everything in insertion order with sortable keys', async () => {
    const store = new MemoryRunChangeStore();
    const recorder = new RunChangeRecorder(store, options);
    recorder.add(items(0, 150));
    recorder.add(items(150, 1)[0]!);
    expect(store.calls).toEqual([]);
    expect(recorder.pending).toBe(151);
    await recorder.flush();
    await recorder.flush(); // nothing left: no call
    expect(store.calls).toEqual([151]);
    expect(store.sourceIds()).toEqual(items(0, 151).map((item) => item.sourceId));
    expect([...store.rows.keys()].every((key) => RUN_CHANGE_KEY_PATTERN.test(key))).toBe(true);
    expect([...store.rows.values()][0]!.change.at).toBe('2026-03-01T00:00:00.000Z');
  });

  it('records nothing for a dry run', async () => {
    const store = new MemoryRunChangeStore();
    const recorder = new RunChangeRecorder(store, { ...options, dryRun: true });
    recorder.add(items(0, 10));
    await recorder.flush();
    expect(recorder.pending).toBe(0);
    expect(store.calls).toEqual([]);
  });

  it('keeps a failed batch and writes it again with the same keys: nothing lost, nothing twice', async () => {
    const store = new MemoryRunChangeStore();
    const recorder = new RunChangeRecorder(store, options);
    recorder.add(items(0, 200));
    store.failNext = 1;
    await expect(recorder.flush()).rejects.toThrow('unavailable');
    expect(recorder.pending).toBe(200);
    recorder.add(items(200, 5));
    await recorder.flush();
    expect(store.rows.size).toBe(205);
    expect(store.sourceIds()).toEqual(items(0, 205).map((item) => item.sourceId));
  });

  it('writes concurrent flushes one after the other; items added meanwhile wait for the next flush', async () => {
    const store = new MemoryRunChangeStore();
    const recorder = new RunChangeRecorder(store, options);
    let open!: () => void;
    store.gate = new Promise((resolve) => (open = resolve));
    recorder.add(items(0, 3));
    const first = recorder.flush();
    await vi.waitFor(() => expect(store.calls).toEqual([3])); // the first write is under way
    recorder.add(items(3, 2));
    const second = recorder.flush();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(store.calls).toEqual([3]); // the second waits for the first
    open();
    await Promise.all([first, second]);
    expect(store.calls).toEqual([3, 2]);
    expect(store.sourceIds()).toEqual(items(0, 5).map((item) => item.sourceId));
  });

  it('a later recorder of the same run lists after the earlier one', async () => {
    const store = new MemoryRunChangeStore();
    const earlier = new RunChangeRecorder(store, { ...options, now: () => new Date('2026-03-01T00:00:00.000Z') });
    const later = new RunChangeRecorder(store, { ...options, now: () => new Date('2026-03-01T00:00:01.000Z') });
    later.add(items(1, 1));
    earlier.add(items(0, 1));
    await later.flush();
    await earlier.flush();
    expect(store.sourceIds()).toEqual(['user-0000', 'user-0001']);
  });

  it('refuses a run id that is not one', () => {
    expect(() => new RunChangeRecorder(new MemoryRunChangeStore(), { ...options, runId: 'x|y' })).toThrow('invalid run id');
  });
});
