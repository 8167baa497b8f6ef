import * as crypto from 'node:crypto';
import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { type PbxKeyRecord, type PbxKeyStore, type PbxKeyUpdate, type StoredPbxKey } from '../../../shared/app/PbxKeyStore';
import { RateLimitedError, claimRequestSlot } from '../../../shared/pbxApi/claimRequestSlot';
import {
  MAX_ACTIVE_PBX_KEYS,
  PBX_KEY_ID_PATTERN,
  PBX_KEY_PREFIX,
  generatePbxKey,
  hashPbxKey,
  looksLikePbxKey,
  pbxKeyHashesEqual,
  pbxKeysToRevoke,
  presentedPbxKey,
} from '../../../shared/pbxApi/pbxKeys';
import { rotatePbxKey } from '../../../shared/pbxApi/rotatePbxKey';

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof crypto>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

/** The port's contract in memory (the Table adapter is tested against Azurite). */
class MemoryPbxKeyStore implements PbxKeyStore {
  rows = new Map<string, Omit<StoredPbxKey, 'etag'> & { version: number }>();
  async add(key: PbxKeyRecord & { hash: string }) {
    if (this.rows.has(key.hash)) throw new Error('conflict');
    this.rows.set(key.hash, { ...key, requestedAt: {}, version: 1 });
  }
  async findByHash(hash: string) {
    const row = this.rows.get(hash);
    return row ? { ...row, requestedAt: { ...row.requestedAt }, etag: String(row.version) } : null;
  }
  async listForTenant(tenantId: string) {
    return [...this.rows.values()]
      .filter((r) => r.tenantId === tenantId)
      .map(({ tenantId: t, keyId, createdAt, lastUsedAt }) => ({ tenantId: t, keyId, createdAt, lastUsedAt }))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }
  async remove(tenantId: string, keyId: string) {
    const hit = [...this.rows.entries()].find(([, r]) => r.tenantId === tenantId && r.keyId === keyId);
    if (hit) this.rows.delete(hit[0]);
    return hit !== undefined;
  }
  async removeAllForTenant(tenantId: string) {
    const hits = [...this.rows.entries()].filter(([, r]) => r.tenantId === tenantId);
    for (const [hash] of hits) this.rows.delete(hash);
    return hits.length;
  }
  async update(hash: string, fields: PbxKeyUpdate, etag?: string) {
    const row = this.rows.get(hash);
    if (!row) return { outcome: 'gone' as const };
    if (etag !== undefined && etag !== String(row.version)) return { outcome: 'changed' as const };
    if (fields.lastUsedAt) row.lastUsedAt = fields.lastUsedAt;
    Object.assign(row.requestedAt, fields.requestedAt ?? {});
    row.version += 1;
    return { outcome: 'updated' as const, etag: String(row.version) };
  }
}

const headers = (h: Record<string, string>) => new Headers(h);

describe('PBX API keys', () => {
  it('generates 32 random bytes, base64url, with the recognisable prefix, and a 16-hex key id', () => {
    const { key, keyId } = generatePbxKey();
    expect(key.startsWith(PBX_KEY_PREFIX)).toBe(true);
    expect(Buffer.from(key.slice(PBX_KEY_PREFIX.length), 'base64url')).toHaveLength(32);
    expect(key).toMatch(/^pbxk_[A-Za-z0-9_-]{43}$/);
    expect(keyId).toMatch(PBX_KEY_ID_PATTERN);
    expect(looksLikePbxKey(key)).toBe(true);
    const many = new Set(Array.from({ length: 200 }, () => generatePbxKey().key));
    expect(many.size).toBe(200);
  });

  it('hashes with SHA-256 (hex), deterministically, never returning the key', () => {
    const { key } = generatePbxKey();
    expect(hashPbxKey(key)).toBe(createHash('sha256').update(key).digest('hex'));
    expect(hashPbxKey(key)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashPbxKey(key)).not.toContain(key.slice(5));
    expect(hashPbxKey(key)).not.toBe(hashPbxKey(generatePbxKey().key));
  });

  it('compares hashes through crypto.timingSafeEqual, and anything but two digests is unequal', () => {
    const a = hashPbxKey(generatePbxKey().key);
    const b = hashPbxKey(generatePbxKey().key);
    const spy = vi.mocked(crypto.timingSafeEqual);
    spy.mockClear();
    expect(pbxKeyHashesEqual(a, a)).toBe(true);
    expect(pbxKeyHashesEqual(a, b)).toBe(false);
    expect(spy).toHaveBeenCalledTimes(2);
    expect(pbxKeyHashesEqual(a, a.slice(0, 63))).toBe(false);
    expect(pbxKeyHashesEqual(a, a.toUpperCase())).toBe(false);
    expect(pbxKeyHashesEqual('', '')).toBe(false);
  });

  it('reads the key from Authorization: Bearer or x-api-key, exactly one, and refuses anything else', () => {
    const { key } = generatePbxKey();
    expect(presentedPbxKey(headers({ authorization: `Bearer ${key}` }))).toEqual({ key });
    expect(presentedPbxKey(headers({ authorization: `bearer   ${key}  ` }))).toEqual({ key });
    expect(presentedPbxKey(headers({ 'x-api-key': key }))).toEqual({ key });
    expect(presentedPbxKey(headers({}))).toEqual({ problem: 'missing' });
    expect(presentedPbxKey(headers({ authorization: `Bearer ${key}`, 'x-api-key': key }))).toEqual({ problem: 'ambiguous' });
    for (const bad of [
      'Bearer',
      `Basic ${Buffer.from(`u:${key}`).toString('base64')}`,
      `Bearer ${key} extra`,
      `Bearer ${key.slice(0, -1)}`,
      `Bearer ${key}A`,
      `Bearer ${key.replace('pbxk_', 'pbxx_')}`,
      `Bearer ${key.slice(0, 20)}+/=${key.slice(23)}`,
      `Bearer ${key}, Bearer ${key}`,
      `Bearer ${'a'.repeat(100_000)}`,
    ])
      expect(presentedPbxKey(headers({ authorization: bad }))).toEqual({ problem: 'malformed' });
    expect(presentedPbxKey(headers({ 'x-api-key': `Bearer ${key}` }))).toEqual({ problem: 'malformed' });
  });

  it('rotation keeps the new key and the newest other one, revokes the rest, and never its own new key', () => {
    const k = (keyId: string, createdAt: string) => ({ keyId, createdAt });
    expect(MAX_ACTIVE_PBX_KEYS).toBe(2);
    expect(pbxKeysToRevoke([k('new', '2026-01-03T00:00:00.000Z')], 'new')).toEqual([]);
    expect(pbxKeysToRevoke([k('a', '2026-01-01T00:00:00.000Z'), k('new', '2026-01-03T00:00:00.000Z')], 'new')).toEqual([]);
    expect(
      pbxKeysToRevoke(
        [
          k('a', '2026-01-01T00:00:00.000Z'),
          k('b', '2026-01-02T00:00:00.000Z'),
          k('new', '2026-01-03T00:00:00.000Z'),
          k('c', '2025-01-01T00:00:00.000Z'),
        ],
        'new',
      ).map((x) => x.keyId),
    ).toEqual(['a', 'c']);
    // Same millisecond: the caller's own new key survives even when it sorts last.
    const tie = '2026-01-03T00:00:00.000Z';
    expect(pbxKeysToRevoke([k('ffff', tie), k('0000', tie), k('eeee', tie)], '0000').map((x) => x.keyId)).toEqual(['eeee']);
  });

  it('rotates in the store: one previous survives one rotation, none survives two', async () => {
    const store = new MemoryPbxKeyStore();
    const first = await rotatePbxKey(store, 'acme', new Date('2026-01-01T00:00:00Z'));
    expect(first.revokedKeyIds).toEqual([]);
    const second = await rotatePbxKey(store, 'acme', new Date('2026-01-02T00:00:00Z'));
    expect(second.revokedKeyIds).toEqual([]);
    expect(second.kept.map((k) => [k.keyId, k.status])).toEqual([
      [second.keyId, 'current'],
      [first.keyId, 'previous'],
    ]);
    expect(await store.findByHash(hashPbxKey(first.key))).not.toBeNull();
    const third = await rotatePbxKey(store, 'acme', new Date('2026-01-03T00:00:00Z'));
    expect(third.revokedKeyIds).toEqual([first.keyId]);
    expect(await store.findByHash(hashPbxKey(first.key))).toBeNull();
    expect(await store.findByHash(hashPbxKey(second.key))).not.toBeNull();
    expect((await store.listForTenant('acme')).map((k) => k.keyId)).toEqual([second.keyId, third.keyId]);
    // Only hashes are stored.
    expect(JSON.stringify([...store.rows.entries()])).not.toContain(third.key);
  });

  it('rate-limits per key and kind, across racing requests, and gives a slot back', async () => {
    const store = new MemoryPbxKeyStore();
    const { key } = await rotatePbxKey(store, 'acme');
    const hash = hashPbxKey(key);
    const t0 = new Date('2026-01-01T00:00:00Z');
    const read = async () => (await store.findByHash(hash))!;
    const before = await read();
    await claimRequestSlot(store, before, 'sync', t0, 60_000);
    // A second request holding the row it read before the first claim loses the race.
    await expect(claimRequestSlot(store, before, 'sync', t0, 60_000)).rejects.toBeInstanceOf(RateLimitedError);
    const limited = await claimRequestSlot(store, await read(), 'sync', new Date(t0.getTime() + 15_500), 60_000).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect((limited as RateLimitedError).retryAfterSeconds).toBe(45);
    // Dry runs have their own slot.
    await claimRequestSlot(store, await read(), 'dryRun', t0, 60_000);
    await claimRequestSlot(store, await read(), 'sync', new Date(t0.getTime() + 60_000), 60_000);
    // Given back (the request failed): the next one gets through at once.
    const t2 = new Date(t0.getTime() + 61_000);
    await expect(claimRequestSlot(store, await read(), 'sync', t2, 60_000)).rejects.toBeInstanceOf(RateLimitedError);
    const fresh = await rotatePbxKey(store, 'other');
    const other = (await store.findByHash(hashPbxKey(fresh.key)))!;
    const claimed = await claimRequestSlot(store, other, 'sync', t0, 60_000);
    await claimed.release();
    await claimRequestSlot(store, (await store.findByHash(hashPbxKey(fresh.key)))!, 'sync', new Date(t0.getTime() + 1000), 60_000);
  });
});
