import { describe, expect, it } from 'vitest';
import { type LinkEvent } from '../../../../shared/engine/LinkEvent';
import { freshStores, rejection } from './storeTestTables';

const linked = (n: number): LinkEvent => ({
  kind: 'linked',
  feature: 'users',
  sourceId: `u${n}`,
  pbxId: `p${n}`,
  extension: String(1000 + n),
});
const sourceIds = (events: { event: LinkEvent }[]) => events.map(({ event }) => event.sourceId);

describe('TableLinkEventInbox', () => {
  it('round-trips every kind of event, oldest first, per tenant and feature', async () => {
    const { linkEventInbox: inbox } = await freshStores();
    const events: LinkEvent[] = [
      linked(1),
      { kind: 'unlinked', feature: 'users', sourceId: 'u2' },
      { kind: 'unlinked', feature: 'users', sourceId: 'u3', pbxId: 'p3', extension: '1003' },
      { kind: 'numberChanged', feature: 'users', sourceId: 'u4', pbxId: 'p4', extension: '1004', previousExtension: '999' },
    ];
    await inbox.append('acme', 'groups', events);
    await inbox.append('acme', 'presence', [linked(9)]);
    await inbox.append('beta', 'groups', [linked(8)]);
    const listed = await inbox.list('acme', 'groups');
    expect(listed.map(({ event }) => event)).toEqual(events);
    expect(new Set(listed.map(({ id }) => id)).size).toBe(4);
    expect(sourceIds(await inbox.list('acme', 'presence'))).toEqual(['u9']);
    expect(sourceIds(await inbox.list('beta', 'groups'))).toEqual(['u8']);
    expect(await inbox.list('beta', 'presence')).toEqual([]);
  });

  it('keeps the order of many events appended in one millisecond and across calls, and lists at most the limit', async () => {
    const { linkEventInbox: inbox } = await freshStores();
    const first = Array.from({ length: 230 }, (_, i) => linked(i));
    await inbox.append('acme', 'groups', first);
    await inbox.append('acme', 'groups', [linked(230)]);
    await inbox.append('acme', 'groups', [linked(231), linked(232)]);
    const expected = Array.from({ length: 233 }, (_, i) => `u${i}`);
    expect(sourceIds(await inbox.list('acme', 'groups'))).toEqual(expected);
    expect(sourceIds(await inbox.list('acme', 'groups', 5))).toEqual(expected.slice(0, 5));
    expect(sourceIds(await inbox.list('acme', 'groups', 1))).toEqual(['u0']);
    expect(sourceIds(await inbox.list('acme', 'groups', 1500))).toEqual(expected);
    await rejection(inbox.list('acme', 'groups', 0), 'INTERNAL');
  });

  it('removes events by id, idempotently, and the next list starts after them', async () => {
    const { linkEventInbox: inbox } = await freshStores();
    await inbox.append(
      'acme',
      'groups',
      Array.from({ length: 120 }, (_, i) => linked(i)),
    );
    const page = await inbox.list('acme', 'groups', 110);
    await inbox.remove(
      'acme',
      'groups',
      page.map(({ id }) => id),
    );
    expect(sourceIds(await inbox.list('acme', 'groups'))).toEqual(Array.from({ length: 10 }, (_, i) => `u${110 + i}`));
    const [next] = await inbox.list('acme', 'groups', 1);
    await inbox.remove('acme', 'groups', [page[0]!.id, next!.id, next!.id]);
    await inbox.remove('acme', 'groups', [next!.id]);
    await inbox.remove('acme', 'groups', []);
    expect(sourceIds(await inbox.list('acme', 'groups', 1))).toEqual(['u111']);
    await rejection(inbox.remove('acme', 'groups', ['a/b']), 'INVALID');
  });

  it("deletes every feature's events of a tenant, not those of a tenant whose id starts with it", async () => {
    const { linkEventInbox: inbox, rawTable } = await freshStores();
    await inbox.append(
      'acme',
      'groups',
      Array.from({ length: 105 }, (_, i) => linked(i)),
    );
    await inbox.append('acme', 'presence', [linked(1)]);
    await inbox.append('acme2', 'groups', [linked(2)]);
    await inbox.append('acm', 'groups', [linked(3)]);
    await inbox.deleteAllForTenant('acme');
    expect(await inbox.list('acme', 'groups')).toEqual([]);
    expect(await inbox.list('acme', 'presence')).toEqual([]);
    const partitions = new Set<string>();
    for await (const row of rawTable('linkeventinbox').listEntities()) partitions.add(String(row.partitionKey));
    expect([...partitions].sort()).toEqual(['acme2|groups', 'acm|groups']);
    await inbox.deleteAllForTenant('acme');
  });

  it('refuses keys that would leave the tenant range, and a stored event that no longer validates is an error naming it', async () => {
    const { linkEventInbox: inbox, rawTable } = await freshStores();
    await rejection(inbox.append('ac|me', 'groups', [linked(1)]), 'INVALID');
    await rejection(inbox.list('acme', 'gro|ups'), 'INVALID');
    await rejection(inbox.deleteAllForTenant('acme|groups'), 'INVALID');
    await inbox.append('acme', 'groups', [linked(1)]);
    await rawTable('linkeventinbox').createEntity({ partitionKey: 'acme|groups', rowKey: '0', event: '{"kind":"linked"' });
    let err = await rejection(inbox.list('acme', 'groups'), 'INTERNAL');
    expect(err.message).toContain('link event acme/groups/0');
    expect(err.message).toContain('not valid JSON');
    await inbox.remove('acme', 'groups', ['0']);
    await rawTable('linkeventinbox').createEntity({ partitionKey: 'acme|groups', rowKey: '1', event: '{"kind":"moved","sourceId":"u1"}' });
    err = await rejection(inbox.list('acme', 'groups'), 'INTERNAL');
    expect(err.message).toContain('link event acme/groups/1');
    await inbox.remove('acme', 'groups', ['1']);
    expect(sourceIds(await inbox.list('acme', 'groups'))).toEqual(['u1']);
  });
});
