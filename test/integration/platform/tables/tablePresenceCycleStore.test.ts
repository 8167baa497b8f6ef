import { describe, expect, it } from 'vitest';
import { type PresenceCycleState, type PresenceCycleStats } from '../../../../shared/engine/PresenceCycleStore';
import { freshStores, rejection } from './storeTestTables';

const stats = (overrides: Partial<PresenceCycleStats> = {}): PresenceCycleStats => ({
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
const state = (overrides: Partial<PresenceCycleState> = {}): PresenceCycleState => ({
  tenantId: 'acme',
  slot,
  startedAt: '2026-12-01T10:00:00.000Z',
  stats: stats(),
  ...overrides,
});

describe('TablePresenceCycleStore', () => {
  it('creates a state without an etag, reads it back with one, and refuses a second create', async () => {
    const { presenceCycles } = await freshStores();
    expect(await presenceCycles.get('acme')).toBeUndefined();
    const created = await presenceCycles.put(state());
    expect(created.etag).toBeTruthy();
    expect(await presenceCycles.get('acme')).toEqual({ ...state(), etag: created.etag });
    expect((await presenceCycles.get('acme'))?.slot).toBe(slot);

    const err = await rejection(presenceCycles.put(state({ slot: slot + 1 })), 'PRECONDITION_FAILED');
    expect(err.message).toContain('presence cycle state of acme');
    expect((await presenceCycles.get('acme'))?.slot).toBe(slot);
  });

  it('replaces with the etag read, returns the new etag and refuses a stale one', async () => {
    const { presenceCycles } = await freshStores();
    await presenceCycles.put(state({ lastError: 'Graph throttled', finishedAt: '2026-12-01T10:00:40.000Z' }));
    const read = (await presenceCycles.get('acme'))!;
    const next = state({ slot: slot + 1, startedAt: '2026-12-01T10:00:50.000Z', stats: stats({ batchesDone: 0 }), etag: read.etag });
    const replaced = await presenceCycles.put(next);
    expect(replaced.etag).toBeTruthy();
    expect(replaced.etag).not.toBe(read.etag);
    // Replace semantics: finishedAt and lastError of the previous cycle are gone.
    const stored = await presenceCycles.get('acme');
    expect(stored).toEqual({ ...next, etag: replaced.etag });
    expect(stored).not.toHaveProperty('finishedAt');
    expect(stored).not.toHaveProperty('lastError');

    await rejection(presenceCycles.put({ ...read, slot: slot + 2 }), 'PRECONDITION_FAILED');
    expect((await presenceCycles.get('acme'))?.slot).toBe(slot + 1);
    const finished = await presenceCycles.put({ ...next, etag: replaced.etag, finishedAt: '2026-12-01T10:01:00.000Z' });
    expect((await presenceCycles.get('acme'))?.finishedAt).toBe('2026-12-01T10:01:00.000Z');
    expect((await presenceCycles.get('acme'))?.etag).toBe(finished.etag);
  });

  it('keeps slots far beyond Int32 and tenants apart', async () => {
    const { presenceCycles } = await freshStores();
    const big = Math.floor(Date.now() / 10);
    await presenceCycles.put(state({ tenantId: 'beta', slot: big }));
    await presenceCycles.put(state({ slot: 0 }));
    expect((await presenceCycles.get('beta'))?.slot).toBe(big);
    expect((await presenceCycles.get('acme'))?.slot).toBe(0);
  });

  it('deletes idempotently; a state read before the delete is stale', async () => {
    const { presenceCycles } = await freshStores();
    await presenceCycles.put(state({ tenantId: 'beta' }));
    const created = await presenceCycles.put(state());
    await presenceCycles.delete('acme');
    await presenceCycles.delete('acme');
    expect(await presenceCycles.get('acme')).toBeUndefined();
    expect(await presenceCycles.get('beta')).toBeDefined();
    await rejection(presenceCycles.put(created), 'PRECONDITION_FAILED');
    expect(await presenceCycles.get('acme')).toBeUndefined();
  });

  it('fails clearly on a stored row that no longer parses', async () => {
    const { presenceCycles, rawTable } = await freshStores();
    await presenceCycles.put(state());
    await rawTable('presencecycles').updateEntity(
      { partitionKey: 'acme', rowKey: 'cycle', stats: JSON.stringify({ ...stats(), users: -1 }), slot: 'soon' },
      'Merge',
    );
    const err = await rejection(presenceCycles.get('acme'), 'INTERNAL');
    expect(err.message).toContain('presence cycle state of acme');
    expect(err.message).toContain('stats.users');
    expect(err.message).toContain('slot');
  });
});
