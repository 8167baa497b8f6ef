import { describe, expect, it } from 'vitest';
import { newRunId } from '../../../../shared/engine/newRunId';
import { type SyncRun, emptyCounts } from '../../../../shared/engine/RunStore';
import { queuedRun } from '../../../../shared/engine/queuedRun';
import { freshStores, rejection } from './storeTestTables';

/** A running users run of tenant acme, with whatever a test changes. */
const run = (runId: string, extra: Partial<SyncRun> = {}): SyncRun => ({
  ...queuedRun({ tenantId: 'acme', runId, feature: 'users', trigger: 'manual', mode: 'full', queuedAt: '2026-01-01T00:00:00.000Z' }),
  status: 'running',
  startedAt: '2026-01-01T00:00:01.000Z',
  ...extra,
});

describe('TableRunStore: a running run’s progress', () => {
  it('round-trips the progress, with and without a total, and a save without it removes it', async () => {
    const { runs } = await freshStores();
    const id = newRunId();
    const withTotal = run(id, { progress: { done: 120, total: 10_000, totalBasis: 'graphCount', updatedAt: '2026-01-01T00:00:03.000Z' } });
    await runs.create(withTotal);
    expect(await runs.get('acme', id)).toEqual(withTotal);
    const withoutTotal = run(id, { progress: { done: 140, updatedAt: '2026-01-01T00:00:05.000Z' } });
    await runs.save(withoutTotal);
    expect(await runs.get('acme', id)).toEqual(withoutTotal);
    expect((await runs.list('acme', 5))[0]).toEqual(withoutTotal);
    const restarted = run(id);
    await runs.save(restarted);
    expect(await runs.get('acme', id)).toEqual(restarted);
    expect(await runs.get('acme', id)).not.toHaveProperty('progress');
  });

  it('reads a run stored before progress existed, and refuses a malformed progress as INTERNAL', async () => {
    const { runs, rawTable } = await freshStores();
    const [oldId, badId] = [newRunId(new Date(Date.UTC(2026, 0, 1))), newRunId(new Date(Date.UTC(2026, 0, 2)))];
    await runs.create(run(oldId));
    expect(await runs.get('acme', oldId)).not.toHaveProperty('progress');
    const { tenantId, runId: _runId, ...columns } = run(badId);
    await rawTable('runs').createEntity({
      ...columns,
      partitionKey: tenantId,
      rowKey: badId,
      counts: JSON.stringify(emptyCounts()),
      skippedByReason: '{}',
      outOfScopeByReason: '{}',
      issues: '[]',
      notes: '[]',
      progress: '{"done":-1,"updatedAt":"2026-01-01T00:00:03.000Z"}',
    });
    const err = await rejection(runs.get('acme', badId), 'INTERNAL');
    expect(err.message).toContain('progress');
  });
});
