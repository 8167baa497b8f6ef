import { describe, expect, it } from 'vitest';
import { freshStores, rejection } from './storeTestTables';

const key = { tenantId: 'contoso', lane: 'directory' };
const at = (iso: string) => new Date(iso);

describe('TableWriterLeaseStore', () => {
  it('gives a free lease to one writer and tells the next who holds it until when', async () => {
    const { leases } = await freshStores();
    const first = await leases.acquire(key, 'a', 60_000, at('2026-12-01T10:00:00Z'));
    expect(first.lease).toMatchObject({ owner: 'a', expiresAt: '2026-12-01T10:01:00.000Z' });
    const second = await leases.acquire(key, 'b', 60_000, at('2026-12-01T10:00:30Z'));
    expect(second).toEqual({ lease: null, heldBy: { owner: 'a', expiresAt: '2026-12-01T10:01:00.000Z' } });
    // Another lane of the same tenant is another lease.
    expect((await leases.acquire({ ...key, lane: 'realtime' }, 'b', 60_000, at('2026-12-01T10:00:30Z'))).lease).not.toBeNull();
  });

  it('lets a new writer take over an expired lease, after which the old holder can neither renew nor release it', async () => {
    const { leases } = await freshStores();
    const old = (await leases.acquire(key, 'a', 60_000, at('2026-12-01T10:00:00Z'))).lease!;
    const taken = (await leases.acquire(key, 'b', 60_000, at('2026-12-01T10:02:00Z'))).lease!;
    expect(taken.owner).toBe('b');
    await rejection(leases.renew(old, 60_000, at('2026-12-01T10:02:01Z')), 'PRECONDITION_FAILED');
    await leases.release(old);
    expect((await leases.acquire(key, 'c', 60_000, at('2026-12-01T10:02:02Z'))).heldBy?.owner).toBe('b');
  });

  it('keeps a renewed lease and frees a released one', async () => {
    const { leases } = await freshStores();
    const held = (await leases.acquire(key, 'a', 60_000, at('2026-12-01T10:00:00Z'))).lease!;
    const renewed = await leases.renew(held, 60_000, at('2026-12-01T10:00:50Z'));
    expect(renewed.expiresAt).toBe('2026-12-01T10:01:50.000Z');
    expect((await leases.acquire(key, 'b', 60_000, at('2026-12-01T10:01:20Z'))).lease).toBeNull();
    await leases.release(renewed);
    expect((await leases.acquire(key, 'b', 60_000, at('2026-12-01T10:01:21Z'))).lease?.owner).toBe('b');
  });

  it('of ten writers racing for a free lease, exactly one wins', async () => {
    const { leases } = await freshStores();
    const now = at('2026-12-01T10:00:00Z');
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => leases.acquire(key, `w${i}`, 60_000, now)));
    expect(results.filter((r) => r.lease)).toHaveLength(1);
  });

  it('of ten writers racing to take over an expired lease, exactly one wins', async () => {
    const { leases } = await freshStores();
    await leases.acquire(key, 'dead', 60_000, at('2026-12-01T09:00:00Z'));
    const now = at('2026-12-01T10:00:00Z');
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => leases.acquire(key, `w${i}`, 60_000, now)));
    expect(results.filter((r) => r.lease)).toHaveLength(1);
  });
});
