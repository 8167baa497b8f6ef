import { describe, expect, it } from 'vitest';
import { freshStores, rejection } from './storeTestTables';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const days = (n: number) => new Date(NOW.getTime() + n * 86_400_000).toISOString();

describe('TableNumberQuarantineStore', () => {
  it('quarantines numbers per tenant, lists them with their dates, and answers only the active ones', async () => {
    const { numberQuarantine: q } = await freshStores();
    expect(await q.list('acme')).toEqual([]);
    await q.quarantine('acme', '1042', { quarantinedAt: NOW.toISOString(), releaseAt: days(30), objectId: 'o1', reason: 'deleted' });
    await q.quarantine('acme', '0101', { quarantinedAt: days(-40), releaseAt: days(-10), reason: 'long ago' });
    await q.quarantine('beta', '1042', { releaseAt: days(5), objectId: 'o9', reason: 'other tenant' });
    expect(await q.list('acme')).toEqual([
      { tenantId: 'acme', number: '0101', quarantinedAt: days(-40), releaseAt: days(-10), reason: 'long ago' },
      { tenantId: 'acme', number: '1042', quarantinedAt: NOW.toISOString(), releaseAt: days(30), objectId: 'o1', reason: 'deleted' },
    ]);
    expect((await q.activeNumbers('acme', NOW)).map((r) => r.number)).toEqual(['1042']);
    expect((await q.activeNumbers('acme', new Date(days(30)))).map((r) => r.number)).toEqual([]);
    expect((await q.activeNumbers('beta', NOW)).map((r) => [r.number, r.objectId])).toEqual([['1042', 'o9']]);
  });

  it('a number quarantined again replaces its row (no object id of the previous holder is kept)', async () => {
    const { numberQuarantine: q } = await freshStores();
    await q.quarantine('acme', '1042', { releaseAt: days(1), objectId: 'o1', reason: 'first' });
    await q.quarantine('acme', '1042', { releaseAt: days(30), reason: 'second' });
    const rows = await q.list('acme');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ number: '1042', releaseAt: days(30), reason: 'second' });
    expect(rows[0]!.objectId).toBeUndefined();
  });

  it('releases a number early (false when there is none), and purges only expired rows', async () => {
    const { numberQuarantine: q } = await freshStores();
    await q.quarantine('acme', '1042', { releaseAt: days(30), reason: 'r' });
    await q.quarantine('acme', '1043', { releaseAt: days(-1), reason: 'r' });
    await q.quarantine('acme', '1044', { releaseAt: days(-2), reason: 'r' });
    expect(await q.release('acme', '1042')).toBe(true);
    expect(await q.release('acme', '1042')).toBe(false);
    expect(await q.release('beta', '1043')).toBe(false);
    await q.quarantine('acme', '1045', { releaseAt: days(3), reason: 'r' });
    expect(await q.purgeExpired('acme', NOW)).toBe(2);
    expect((await q.list('acme')).map((r) => r.number)).toEqual(['1045']);
    expect(await q.purgeExpired('acme', NOW)).toBe(0);
  });

  it('deletes every row of one tenant, not of another', async () => {
    const { numberQuarantine: q } = await freshStores();
    for (const n of ['100', '101', '102']) await q.quarantine('acme', n, { releaseAt: days(30), reason: 'r' });
    await q.quarantine('beta', '100', { releaseAt: days(30), reason: 'r' });
    await q.deleteAllForTenant('acme');
    expect(await q.list('acme')).toEqual([]);
    expect((await q.list('beta')).map((r) => r.number)).toEqual(['100']);
  });

  it('refuses a malformed number, and a stored row that no longer validates is an error, not a half-typed entry', async () => {
    const { numberQuarantine: q, rawTable } = await freshStores();
    await rejection(q.quarantine('acme', '12a', { releaseAt: days(1), reason: 'r' }), 'INVALID');
    await rejection(q.release('acme', "1' or 1 eq 1"), 'INVALID');
    await rawTable('numberquarantine').createEntity({ partitionKey: 'acme', rowKey: '1042', releaseAt: 'soon', reason: 'r' });
    const err = await rejection(q.list('acme'), 'INTERNAL');
    expect(err.message).toContain('quarantined number acme/1042');
  });
});
