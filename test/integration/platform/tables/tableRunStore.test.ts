import { describe, expect, it } from 'vitest';
import { newRunId } from '../../../../shared/engine/newRunId';
import { type SyncRun, emptyCounts } from '../../../../shared/engine/RunStore';
import { freshStores, rejection } from './storeTestTables';

const run = (runId: string, extra: Partial<SyncRun> = {}): SyncRun => ({
  tenantId: 'acme',
  runId,
  status: 'succeeded',
  trigger: 'manual',
  mode: 'full',
  dryRun: false,
  queuedAt: '2026-01-01T00:00:00.000Z',
  counts: emptyCounts(),
  skippedByReason: {},
  outOfScopeByReason: {},
  itemsRead: 0,
  issues: [],
  graphRequests: 1,
  pbxRequests: 2,
  pages: 1,
  notes: [],
  ...extra,
});

const idAt = (second: number) => newRunId(new Date(Date.UTC(2026, 0, 1, 0, 0, second)));

describe('TableRunStore', () => {
  it('round-trips a full run, including its JSON columns and optional fields', async () => {
    const { runs } = await freshStores();
    const full = run(idAt(0), {
      status: 'partial',
      trigger: 'scheduled',
      mode: 'delta',
      dryRun: true,
      startedAt: '2026-01-01T00:00:01.000Z',
      finishedAt: '2026-01-01T00:00:09.500Z',
      durationMs: 8500,
      counts: { ...emptyCounts(), created: 3, skipped: 2, failed: 1 },
      skippedByReason: { missingName: 2 },
      issues: [
        { objectId: 'o1', userPrincipalName: 'a@contoso.example', action: 'create', code: 'VALIDATE_FAILED', message: 'bad email' },
        { code: 'missingName', message: 'no name' },
      ],
      error: 'PBX unreachable',
      notes: ['full-round sweep skipped: round was resumed'],
    });
    await runs.create(full);
    expect(await runs.get('acme', full.runId)).toEqual(full);
    expect(await runs.get('acme', idAt(1))).toBeNull();
    expect(await runs.get('beta', full.runId)).toBeNull();
  });

  it('refuses to create a run twice and replaces it on save', async () => {
    const { runs } = await freshStores();
    const id = idAt(0);
    await runs.create(run(id, { status: 'queued' }));
    await rejection(runs.create(run(id)), 'CONFLICT');
    await runs.save(run(id, { status: 'running', startedAt: '2026-01-01T00:00:02.000Z' }));
    await runs.save(run(id, { status: 'failed', error: 'x'.repeat(10_000) }));
    const stored = (await runs.get('acme', id))!;
    expect(stored.status).toBe('failed');
    expect(stored.startedAt).toBeUndefined();
    expect(stored.error).toHaveLength(4000);
  });

  it('lists runs newest first, honouring the limit, per tenant', async () => {
    const { runs } = await freshStores();
    const ids = [0, 1, 2, 3, 4].map(idAt);
    for (const id of [ids[2]!, ids[0]!, ids[4]!, ids[1]!, ids[3]!]) await runs.create(run(id));
    const betaId = idAt(5);
    await runs.create(run(betaId, { tenantId: 'beta' }));
    expect((await runs.list('acme', 2)).map((r) => r.runId)).toEqual([ids[4], ids[3]]);
    expect((await runs.list('acme', 50)).map((r) => r.runId)).toEqual([...ids].reverse());
    expect(await runs.list('acme', 0)).toEqual([]);
    expect((await runs.list('beta', 10)).map((r) => r.runId)).toEqual([betaId]);
  });

  it('stores a run with many long issues by keeping the ones that fit and saying how many were left out', async () => {
    const { runs } = await freshStores();
    const issues = Array.from({ length: 200 }, (_, i) => ({
      objectId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      userPrincipalName: `someone.with.a.long.name${i}@contoso.example.com`,
      action: 'skip',
      code: 'missingName',
      message: 'user has neither a given name nor a surname '.repeat(3),
    }));
    const id = newRunId();
    await runs.save(run(id, { issues }));
    const stored = (await runs.get('acme', id))!;
    expect(stored.issues.length).toBeLessThan(200);
    expect(stored.issues.slice(0, -1)).toEqual(issues.slice(0, stored.issues.length - 1));
    expect(stored.issues.at(-1)).toMatchObject({ code: 'issuesTruncated' });
    expect(stored.issues.at(-1)!.message).toMatch(new RegExp(`^${200 - (stored.issues.length - 1)} more issues`));
  });

  it('reads a run recorded before out-of-scope counts existed with those counts at zero', async () => {
    const { runs, rawTable } = await freshStores();
    const id = idAt(0);
    const { tenantId, runId, counts, outOfScopeByReason: _reasons, itemsRead: _read, ...columns } = run(id);
    const { outOfScope: _outOfScope, ...oldCounts } = counts;
    await rawTable('runs').createEntity({
      ...columns,
      partitionKey: tenantId,
      rowKey: runId,
      counts: JSON.stringify({ ...oldCounts, created: 3 }),
      skippedByReason: '{}',
      issues: '[]',
      notes: '[]',
    });
    const stored = await runs.get('acme', id);
    expect(stored?.counts).toEqual({ ...emptyCounts(), created: 3 });
    expect(stored?.outOfScopeByReason).toEqual({});
    expect(stored?.itemsRead).toBe(0);
  });

  it('reports an unreadable stored run as INTERNAL naming the bad columns', async () => {
    const { runs, rawTable } = await freshStores();
    const id = idAt(0);
    const { tenantId, runId, ...columns } = run(id);
    await rawTable('runs').createEntity({
      ...columns,
      partitionKey: tenantId,
      rowKey: runId,
      counts: '{"created":"many"}',
      skippedByReason: '{}',
      outOfScopeByReason: '{}',
      issues: '[]',
      notes: '[]',
      status: 'exploded',
    });
    const err = await rejection(runs.get('acme', id), 'INTERNAL');
    expect(err.message).toContain('status');
    expect(err.message).toContain('counts.created');
    await rejection(runs.list('acme', 5), 'INTERNAL');
  });
});
