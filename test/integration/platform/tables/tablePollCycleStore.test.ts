import { describe, expect, it } from 'vitest';
import { type PollCycleState, type PollCycleStats } from '../../../../shared/engine/PollCycleStore';
import { freshStores, rejection } from './storeTestTables';

const stats = (overrides: Partial<PollCycleStats> = {}): PollCycleStats => ({
  users: 1200,
  batches: 12,
  batchesDone: 3,
  graphCalls: 4,
  changed: 17,
  pbxWrites: 9,
  limited: 2,
  failed: 1,
  durationMs: 45_000,
  ...overrides,
});
// A real slot: epoch ms over a 10 s poll period.
const slot = Math.floor(Date.now() / 10_000);
const state = (overrides: Partial<PollCycleState> = {}): PollCycleState => ({
  tenantId: 'acme',
  feature: 'presence',
  slot,
  startedAt: '2026-12-01T10:00:00.000Z',
  stats: stats(),
  ...overrides,
});

describe('TablePollCycleStore', () => {
  it('creates a state without an etag, reads it back with one, and refuses a second create', async () => {
    const { pollCycles } = await freshStores();
    expect(await pollCycles.get('acme', 'presence')).toBeUndefined();
    const created = await pollCycles.put(state());
    expect(created.etag).toBeTruthy();
    expect(await pollCycles.get('acme', 'presence')).toEqual({ ...state(), etag: created.etag });
    expect((await pollCycles.get('acme', 'presence'))?.slot).toBe(slot);

    const err = await rejection(pollCycles.put(state({ slot: slot + 1 })), 'PRECONDITION_FAILED');
    expect(err.message).toContain('presence poll cycle state of acme');
    expect((await pollCycles.get('acme', 'presence'))?.slot).toBe(slot);
  });

  it('replaces with the etag read, returns the new etag and refuses a stale one', async () => {
    const { pollCycles } = await freshStores();
    await pollCycles.put(state({ lastError: 'Graph throttled', finishedAt: '2026-12-01T10:00:40.000Z' }));
    const read = (await pollCycles.get('acme', 'presence'))!;
    const next = state({ slot: slot + 1, startedAt: '2026-12-01T10:00:50.000Z', stats: stats({ batchesDone: 0 }), etag: read.etag });
    const replaced = await pollCycles.put(next);
    expect(replaced.etag).toBeTruthy();
    expect(replaced.etag).not.toBe(read.etag);
    // Replace semantics: finishedAt and lastError of the previous cycle are gone.
    const stored = await pollCycles.get('acme', 'presence');
    expect(stored).toEqual({ ...next, etag: replaced.etag });
    expect(stored).not.toHaveProperty('finishedAt');
    expect(stored).not.toHaveProperty('lastError');

    await rejection(pollCycles.put({ ...read, slot: slot + 2 }), 'PRECONDITION_FAILED');
    expect((await pollCycles.get('acme', 'presence'))?.slot).toBe(slot + 1);
    const finished = await pollCycles.put({ ...next, etag: replaced.etag, finishedAt: '2026-12-01T10:01:00.000Z' });
    expect((await pollCycles.get('acme', 'presence'))?.finishedAt).toBe('2026-12-01T10:01:00.000Z');
    expect((await pollCycles.get('acme', 'presence'))?.etag).toBe(finished.etag);
  });

  it('keeps slots far beyond Int32 and tenants apart', async () => {
    const { pollCycles } = await freshStores();
    const big = Math.floor(Date.now() / 10);
    await pollCycles.put(state({ tenantId: 'beta', slot: big }));
    await pollCycles.put(state({ slot: 0 }));
    expect((await pollCycles.get('beta', 'presence'))?.slot).toBe(big);
    expect((await pollCycles.get('acme', 'presence'))?.slot).toBe(0);
  });

  it('deletes idempotently; a state read before the delete is stale', async () => {
    const { pollCycles } = await freshStores();
    await pollCycles.put(state({ tenantId: 'beta' }));
    const created = await pollCycles.put(state());
    await pollCycles.delete('acme', 'presence');
    await pollCycles.delete('acme', 'presence');
    expect(await pollCycles.get('acme', 'presence')).toBeUndefined();
    expect(await pollCycles.get('beta', 'presence')).toBeDefined();
    await rejection(pollCycles.put(created), 'PRECONDITION_FAILED');
    expect(await pollCycles.get('acme', 'presence')).toBeUndefined();
  });

  it('keeps one row per feature, and deletes all of a tenant at once', async () => {
    const { pollCycles } = await freshStores();
    await pollCycles.put(state());
    await pollCycles.put(state({ feature: 'calendar', slot: slot + 5 }));
    await pollCycles.put(state({ tenantId: 'beta' }));
    expect((await pollCycles.get('acme', 'calendar'))?.slot).toBe(slot + 5);
    expect((await pollCycles.get('acme', 'presence'))?.slot).toBe(slot);
    await pollCycles.deleteAllForTenant('acme');
    await pollCycles.deleteAllForTenant('acme');
    expect(await pollCycles.get('acme', 'presence')).toBeUndefined();
    expect(await pollCycles.get('acme', 'calendar')).toBeUndefined();
    expect(await pollCycles.get('beta', 'presence')).toBeDefined();
  });

  it('fails clearly on a stored row that no longer parses', async () => {
    const { pollCycles, rawTable } = await freshStores();
    await pollCycles.put(state());
    await rawTable('pollcycles').updateEntity(
      { partitionKey: 'acme', rowKey: 'presence', stats: JSON.stringify({ ...stats(), users: -1 }), slot: 'soon' },
      'Merge',
    );
    const err = await rejection(pollCycles.get('acme', 'presence'), 'INTERNAL');
    expect(err.message).toContain('presence poll cycle state of acme');
    expect(err.message).toContain('stats.users');
    expect(err.message).toContain('slot');
  });
});
