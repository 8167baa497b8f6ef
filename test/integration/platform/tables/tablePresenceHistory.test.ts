import { describe, expect, it } from 'vitest';
import { type PresenceChangeEntry } from '../../../../shared/engine/PresenceHistory';
import { freshStores, rejection } from './storeTestTables';

const ALICE = 'aaaaaaaa-0000-4000-8000-000000000001';
const BOB = 'bbbbbbbb-0000-4000-8000-000000000002';
const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 10, minute)).toISOString();
const entry = (userId: string, minute: number, overrides: Partial<PresenceChangeEntry> = {}): PresenceChangeEntry => ({
  userId,
  at: at(minute),
  reason: 'set',
  source: 'teams',
  detail: `Teams Busy / InACall → doNotDisturb (${minute})`,
  from: { doNotDisturb: false, status: 'available', statusNote: '' },
  written: { doNotDisturb: true, status: 'doNotDisturb' },
  mode: 'status',
  ...overrides,
});

describe('TablePresenceHistory', () => {
  it('round-trips every field, absent ones and a reading hidden behind a call included', async () => {
    const { presenceHistory } = await freshStores();
    expect(await presenceHistory.listForUser('acme', ALICE, 10)).toEqual([]);
    const full = entry(ALICE, 1, { reason: 'reasserted', mode: 'dndOnly', limitedBy: 'noPasswordKept', written: { doNotDisturb: true } });
    const restored: PresenceChangeEntry = {
      userId: ALICE,
      at: at(2),
      reason: 'restored',
      from: { doNotDisturb: true, status: undefined, statusNote: 'Back at 3' },
      written: {},
      mode: 'status',
    };
    await presenceHistory.append('acme', [full, restored]);
    const listed = await presenceHistory.listForUser('acme', ALICE, 10);
    expect(listed).toEqual([restored, full]);
    expect(listed[0]).not.toHaveProperty('source');
    expect(listed[0]).not.toHaveProperty('detail');
    expect(listed[0]!.from).toHaveProperty('status', undefined);
    expect(listed[0]!.written).toStrictEqual({});
    expect(listed[1]!.written).toStrictEqual({ doNotDisturb: true });
  });

  it('lists one user newest first, up to the limit, apart from other users and tenants', async () => {
    const { presenceHistory } = await freshStores();
    // Appended out of order, several users in one call, more than one transaction for Alice.
    const minutes = Array.from({ length: 150 }, (_, i) => (i * 37) % 150);
    await presenceHistory.append('acme', [...minutes.map((m) => entry(ALICE, m)), entry(BOB, 200), entry(BOB, 5, { reason: 'heldByPbx' })]);
    await presenceHistory.append('acme', [entry(ALICE, 300, { reason: 'changedByHand', source: undefined })]);
    await presenceHistory.append('beta', [entry(ALICE, 400)]);

    const newest = await presenceHistory.listForUser('acme', ALICE, 3);
    expect(newest).toEqual([entry(ALICE, 300, { reason: 'changedByHand', source: undefined }), entry(ALICE, 149), entry(ALICE, 148)]);
    const all = await presenceHistory.listForUser('acme', ALICE, 1000);
    expect(all).toHaveLength(151);
    expect(all.map((e) => e.at)).toEqual([300, ...Array.from({ length: 150 }, (_, i) => 149 - i)].map(at));
    expect(all.every((e) => e.userId === ALICE)).toBe(true);
    // The user id is matched whatever its case.
    expect(await presenceHistory.listForUser('acme', BOB.toUpperCase(), 10)).toEqual([
      entry(BOB, 200),
      entry(BOB, 5, { reason: 'heldByPbx' }),
    ]);
    expect(await presenceHistory.listForUser('beta', ALICE, 10)).toEqual([entry(ALICE, 400)]);
    expect(await presenceHistory.listForUser('beta', BOB, 10)).toEqual([]);
  });

  it('purges entries older than a date across tenants and counts them', async () => {
    const { presenceHistory } = await freshStores();
    await presenceHistory.append('acme', [entry(ALICE, 1), entry(ALICE, 2), entry(ALICE, 10), entry(BOB, 3), entry(BOB, 20)]);
    await presenceHistory.append('beta', [entry(ALICE, 4), entry(ALICE, 30)]);

    expect(await presenceHistory.purgeOlderThan(new Date(at(10)))).toBe(4);
    expect((await presenceHistory.listForUser('acme', ALICE, 10)).map((e) => e.at)).toEqual([at(10)]);
    expect((await presenceHistory.listForUser('acme', BOB, 10)).map((e) => e.at)).toEqual([at(20)]);
    expect((await presenceHistory.listForUser('beta', ALICE, 10)).map((e) => e.at)).toEqual([at(30)]);
    expect(await presenceHistory.purgeOlderThan(new Date(at(10)))).toBe(0);
    expect(await presenceHistory.purgeOlderThan(new Date(at(25)))).toBe(2);
    expect((await presenceHistory.listForUser('beta', ALICE, 10)).map((e) => e.at)).toEqual([at(30)]);
  });

  it("deletes a whole tenant's history and leaves other tenants", async () => {
    const { presenceHistory } = await freshStores();
    await presenceHistory.append('acme', [entry(ALICE, 1), entry(BOB, 2)]);
    // A tenant id that extends "acme" must not fall into its range.
    await presenceHistory.append('acme2', [entry(ALICE, 3)]);
    await presenceHistory.append('beta', [entry(BOB, 4)]);
    await presenceHistory.deleteAllForTenant('acme');
    await presenceHistory.deleteAllForTenant('acme');
    expect(await presenceHistory.listForUser('acme', ALICE, 10)).toEqual([]);
    expect(await presenceHistory.listForUser('acme', BOB, 10)).toEqual([]);
    expect(await presenceHistory.listForUser('acme2', ALICE, 10)).toEqual([entry(ALICE, 3)]);
    expect(await presenceHistory.listForUser('beta', BOB, 10)).toEqual([entry(BOB, 4)]);
  });

  it('fails clearly on a stored entry that no longer parses', async () => {
    const { presenceHistory, rawTable } = await freshStores();
    await presenceHistory.append('acme', [entry(ALICE, 1)]);
    const rows = [];
    for await (const row of rawTable('presencehistory').listEntities()) rows.push(row);
    expect(rows).toHaveLength(1);
    const { partitionKey, rowKey } = rows[0]!;
    expect(partitionKey).toBe(`acme|${ALICE}`);
    await rawTable('presencehistory').updateEntity({ partitionKey: partitionKey!, rowKey: rowKey!, from: '{"doNotDisturb":' }, 'Merge');
    const err = await rejection(presenceHistory.listForUser('acme', ALICE, 10), 'INTERNAL');
    expect(err.message).toContain(`presence history of acme/${ALICE}`);
    expect(err.message).toContain('from');
  });
});
