import { describe, expect, it } from 'vitest';
import { type PresenceRecord } from '../../../../shared/engine/PresenceRecord';
import { freshStores, rejection } from './storeTestTables';

// Object ids as Graph may spell them; the store keys them in lower case.
const userId = (n: number) => `${n.toString(16).padStart(8, '0')}-0000-4000-8000-00000000000a`;
const record = (id: string, overrides: Partial<PresenceRecord> = {}): PresenceRecord => ({
  userId: id,
  teams: { availability: 'Busy', activity: 'InACall' },
  applied: {
    source: 'teams',
    target: 'doNotDisturb',
    mode: 'status',
    asserted: { doNotDisturb: true, status: 'doNotDisturb' },
    before: { doNotDisturb: false, status: 'available', statusNote: 'In the office' },
    at: '2026-12-01T09:59:00.000Z',
  },
  limitedBy: 'passwordRejected',
  heldBy: 'lunch',
  updatedAt: '2026-12-01T10:00:00.000Z',
  ...overrides,
});
// Only the timestamp: every optional field absent.
const bare = (id: string): PresenceRecord => ({ userId: id, updatedAt: '2026-12-01T11:00:00.000Z' });

describe('TablePresenceStateStore', () => {
  it('round-trips every field, a reading hidden behind a call and a partly asserted state included', async () => {
    const { presenceStates } = await freshStores();
    expect(await presenceStates.get('acme', userId(1))).toBeUndefined();
    const hidden = record(userId(2), {
      applied: {
        source: 'calendar',
        target: 'away',
        mode: 'dndOnly',
        asserted: { doNotDisturb: true },
        before: { doNotDisturb: false, status: undefined, statusNote: '' },
        at: '2026-12-01T09:00:00.000Z',
      },
      limitedBy: 'twoFactorRequired',
      heldBy: undefined,
    });
    await presenceStates.putMany('acme', [record(userId(1)), hidden, bare(userId(3))]);

    expect(await presenceStates.get('acme', userId(1))).toEqual(record(userId(1)));
    const storedHidden = await presenceStates.get('acme', userId(2));
    expect(storedHidden).toEqual(hidden);
    // An undefined status comes back as an explicit undefined (JSON dropped it); asserted keeps only its field.
    expect(storedHidden?.applied?.before).toHaveProperty('status', undefined);
    expect(storedHidden?.applied?.asserted).toStrictEqual({ doNotDisturb: true });
    expect(storedHidden).not.toHaveProperty('heldBy');
    expect(await presenceStates.get('acme', userId(3))).toStrictEqual(bare(userId(3)));
  });

  it('keys records by the lower-case object id: mixed-case ids write, read and bound ranges as their lower-case keys', async () => {
    const { presenceStates } = await freshStores();
    const mixed = 'ABCDEF12-0000-4000-8000-00000000000A';
    await presenceStates.putMany('acme', [record(mixed)]);
    expect(await presenceStates.get('acme', mixed)).toEqual(record(mixed.toLowerCase()));
    expect(await presenceStates.get('acme', mixed.toLowerCase())).toEqual(record(mixed.toLowerCase()));
    expect((await presenceStates.listRange('acme', undefined, undefined)).map((r) => r.userId)).toEqual([mixed.toLowerCase()]);
    // Upper-case bounds are lower-cased too: 'ABCDEF12-…' itself would sort before the key and find nothing.
    expect((await presenceStates.listRange('acme', 'ABCDEF11', 'ABCDEF12-0000-4000-8000-00000000000A')).map((r) => r.userId)).toEqual([
      mixed.toLowerCase(),
    ]);
    expect(await presenceStates.listRange('acme', mixed, undefined)).toEqual([]);
  });

  it('lists a key range: after is exclusive, through inclusive, an absent bound open, other tenants apart', async () => {
    const { presenceStates } = await freshStores();
    await presenceStates.putMany(
      'acme',
      [1, 2, 3, 4, 5].map((n) => bare(userId(n))),
    );
    await presenceStates.putMany('beta', [bare(userId(3))]);
    const ids = async (after: string | undefined, through: string | undefined) =>
      (await presenceStates.listRange('acme', after, through)).map((r) => r.userId);

    expect(await ids(undefined, undefined)).toEqual([1, 2, 3, 4, 5].map(userId));
    expect(await ids(userId(2), undefined)).toEqual([3, 4, 5].map(userId));
    expect(await ids(undefined, userId(2))).toEqual([1, 2].map(userId));
    expect(await ids(userId(1), userId(4))).toEqual([2, 3, 4].map(userId));
    expect(await ids(userId(3), userId(3))).toEqual([]);
    // Bounds between keys (a batch's boundary need not be a stored id).
    expect(await ids(`${userId(2)}-`, `${userId(4)}-`)).toEqual([3, 4].map(userId));
    expect(await presenceStates.listRange('beta', undefined, undefined)).toEqual([bare(userId(3))]);
    expect(await presenceStates.listRange('gamma', undefined, undefined)).toEqual([]);
  });

  it('replaces records: a field absent from the new record is gone after the write', async () => {
    const { presenceStates } = await freshStores();
    await presenceStates.putMany('acme', [record(userId(1)), record(userId(2))]);
    await presenceStates.putMany('acme', [
      record(userId(1), { applied: undefined, heldBy: undefined, updatedAt: '2026-12-01T10:05:00.000Z' }),
    ]);
    const replaced = await presenceStates.get('acme', userId(1));
    expect(replaced).toEqual({
      userId: userId(1),
      teams: { availability: 'Busy', activity: 'InACall' },
      limitedBy: 'passwordRejected',
      updatedAt: '2026-12-01T10:05:00.000Z',
    });
    expect(replaced).not.toHaveProperty('applied');
    expect(replaced).not.toHaveProperty('heldBy');
    expect(await presenceStates.get('acme', userId(2))).toEqual(record(userId(2)));
  });

  it('writes more records than one transaction holds', async () => {
    const { presenceStates } = await freshStores();
    const many = Array.from({ length: 250 }, (_, i) =>
      record(userId(i), { updatedAt: `2026-12-01T10:00:00.${String(i).padStart(3, '0')}Z` }),
    );
    await presenceStates.putMany('acme', many);
    const stored = await presenceStates.listRange('acme', undefined, undefined);
    expect(stored).toHaveLength(250);
    expect(stored).toEqual(many);
    // A second pass replaces them all (again over several transactions).
    await presenceStates.putMany(
      'acme',
      many.map((r) => bare(r.userId)),
    );
    expect(await presenceStates.listRange('acme', undefined, undefined)).toEqual(many.map((r) => bare(r.userId)));
  });

  it('deletes idempotently: some records (absent and mixed-case ids too), a whole tenant', async () => {
    const { presenceStates } = await freshStores();
    await presenceStates.putMany(
      'acme',
      [1, 2, 3].map((n) => record(userId(n))),
    );
    await presenceStates.putMany('beta', [record(userId(1))]);
    await presenceStates.deleteMany('acme', [userId(1), userId(99), userId(3).toUpperCase()]);
    expect((await presenceStates.listRange('acme', undefined, undefined)).map((r) => r.userId)).toEqual([userId(2)]);
    await presenceStates.deleteMany('acme', [userId(1)]);
    await presenceStates.deleteMany('acme', []);
    expect((await presenceStates.listRange('acme', undefined, undefined)).map((r) => r.userId)).toEqual([userId(2)]);

    await presenceStates.deleteAllForTenant('acme');
    await presenceStates.deleteAllForTenant('acme');
    expect(await presenceStates.listRange('acme', undefined, undefined)).toEqual([]);
    expect(await presenceStates.get('beta', userId(1))).toEqual(record(userId(1)));
  });

  it('fails clearly on a stored row that no longer parses, and still deletes it', async () => {
    const { presenceStates, rawTable } = await freshStores();
    await presenceStates.putMany('acme', [record(userId(1))]);
    await rawTable('presencestates').updateEntity({ partitionKey: 'acme', rowKey: userId(1), applied: '{not json' }, 'Merge');
    const err = await rejection(presenceStates.get('acme', userId(1)), 'INTERNAL');
    expect(err.message).toContain(`presence record acme/${userId(1)}`);
    expect(err.message).toContain('applied');
    expect(err.message).toContain('is not valid JSON');
    expect(err.message).not.toContain('{not json');

    await rawTable('presencestates').updateEntity(
      { partitionKey: 'acme', rowKey: userId(1), applied: JSON.stringify(record(userId(1)).applied), heldBy: 'vacation' },
      'Merge',
    );
    const listed = await rejection(presenceStates.listRange('acme', undefined, undefined), 'INTERNAL');
    expect(listed.message).toContain(`presence record acme/${userId(1)}`);
    expect(listed.message).toContain('heldBy');

    await rawTable('presencestates').updateEntity(
      { partitionKey: 'acme', rowKey: userId(1), heldBy: 'lunch', teams: JSON.stringify({ availability: 'Busy', activity: 'Napping' }) },
      'Merge',
    );
    expect((await rejection(presenceStates.get('acme', userId(1)), 'INTERNAL')).message).toContain('teams');

    await presenceStates.deleteAllForTenant('acme');
    expect(await presenceStates.get('acme', userId(1))).toBeUndefined();
  });

  it('refuses an id that cannot be a table key', async () => {
    const { presenceStates } = await freshStores();
    await rejection(presenceStates.get('acme', 'a/b'), 'INVALID');
    await rejection(presenceStates.putMany('acme', [bare('a#b')]), 'INVALID');
    await rejection(presenceStates.listRange('ac|me', undefined, undefined), 'INVALID');
  });
});
