import { describe, expect, it } from 'vitest';
import { type DeltaState } from '../../../../shared/engine/DeltaStateStore';
import { freshStores, rejection } from './storeTestTables';

const link = (length: number) => `https://graph.microsoft.com/v1.0/users/delta?$deltatoken=${'a'.repeat(length)}`;

describe('TableDeltaStateStore', () => {
  it('round-trips a state; absent fields stay absent', async () => {
    const { deltaStates } = await freshStores();
    expect(await deltaStates.get('acme', 'users')).toBeNull();
    const saved = await deltaStates.save({
      tenantId: 'acme',
      resource: 'users',
      checkpointLink: link(10),
      roundMode: 'full',
      roundStartedAt: '2026-01-01T00:00:00.000Z',
      roundResumed: false,
    });
    expect(saved.etag).toBeTruthy();
    expect(await deltaStates.get('acme', 'users')).toEqual({
      tenantId: 'acme',
      resource: 'users',
      checkpointLink: link(10),
      roundMode: 'full',
      roundStartedAt: '2026-01-01T00:00:00.000Z',
      roundResumed: false,
      etag: saved.etag,
    });
  });

  it('saves conditionally on the etag and refuses a stale one', async () => {
    const { deltaStates } = await freshStores();
    const first = await deltaStates.save({ tenantId: 'acme', resource: 'users', checkpointLink: link(10) });
    const second = await deltaStates.save({
      ...first,
      checkpointLink: undefined,
      deltaLink: link(20),
      lastCompletedAt: '2026-01-01T01:00:00.000Z',
    });
    expect(second.etag).not.toBe(first.etag);
    await rejection(deltaStates.save({ ...first, deltaLink: link(5) }), 'PRECONDITION_FAILED');
    const stored = (await deltaStates.get('acme', 'users'))!;
    expect(stored.deltaLink).toBe(link(20));
    expect(stored).not.toHaveProperty('checkpointLink');
  });

  it('treats a state cleared since it was read as stale', async () => {
    const { deltaStates } = await freshStores();
    const saved = await deltaStates.save({ tenantId: 'acme', resource: 'users', deltaLink: link(10) });
    await deltaStates.clear('acme', 'users');
    await rejection(deltaStates.save(saved), 'PRECONDITION_FAILED');
    expect(await deltaStates.get('acme', 'users')).toBeNull();
  });

  it('upserts without an etag, replacing whatever is there, and returns the new etag', async () => {
    const { deltaStates } = await freshStores();
    await deltaStates.save({ tenantId: 'acme', resource: 'users', checkpointLink: link(10), optionsHash: 'h1' });
    const blind = await deltaStates.save({ tenantId: 'acme', resource: 'users', deltaLink: link(30) });
    const stored = await deltaStates.get('acme', 'users');
    expect(stored).toEqual({ tenantId: 'acme', resource: 'users', deltaLink: link(30), etag: blind.etag });
  });

  it('keeps delta links of several KB up to the property limit and rejects longer ones instead of truncating', async () => {
    const { deltaStates } = await freshStores();
    const long = link(32 * 1024 - 100);
    const saved = await deltaStates.save({ tenantId: 'acme', resource: 'users', deltaLink: long, checkpointLink: link(8000) });
    expect((await deltaStates.get('acme', 'users'))!.deltaLink).toBe(long);
    const err = await rejection(deltaStates.save({ ...saved, deltaLink: link(32 * 1024) }), 'INTERNAL');
    expect(err.message).toContain('deltaLink');
    expect(err.message).not.toContain('aaaa');
    expect((await deltaStates.get('acme', 'users'))!.deltaLink).toBe(long);
  });

  it('keeps tenants apart and clears idempotently', async () => {
    const { deltaStates } = await freshStores();
    const state: DeltaState = { tenantId: 'acme', resource: 'users', deltaLink: link(1) };
    await deltaStates.save(state);
    await deltaStates.save({ ...state, tenantId: 'beta', deltaLink: link(2) });
    await deltaStates.clear('acme', 'users');
    await deltaStates.clear('acme', 'users');
    expect(await deltaStates.get('acme', 'users')).toBeNull();
    expect((await deltaStates.get('beta', 'users'))!.deltaLink).toBe(link(2));
  });

  it('reports an unreadable stored state as INTERNAL', async () => {
    const { deltaStates, rawTable } = await freshStores();
    await rawTable('deltastate').createEntity({ partitionKey: 'acme', rowKey: 'users', roundMode: 'sideways' });
    const err = await rejection(deltaStates.get('acme', 'users'), 'INTERNAL');
    expect(err.message).toContain('roundMode');
  });
});
