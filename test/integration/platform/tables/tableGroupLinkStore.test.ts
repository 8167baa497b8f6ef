import { describe, expect, it } from 'vitest';
import { type GroupLink } from '../../../../shared/engine/GroupLinkStore';
import { freshStores, rejection } from './storeTestTables';

function groupLink(overrides: Partial<GroupLink> = {}): GroupLink {
  return {
    tenantId: 'acme',
    groupId: 'aaaaaaaa-0000-4000-8000-000000000001',
    state: 'active',
    pbxGroupId: 'pbx-7',
    pbxName: 'Sales',
    displayName: 'Sales',
    membersHash: 'h1',
    updatedAt: '2026-03-01T12:00:00.000Z',
    ...overrides,
  };
}

describe('TableGroupLinkStore', () => {
  it('round-trips links per tenant, keyed by the lower-case group id', async () => {
    const { groupLinks } = await freshStores();
    expect(await groupLinks.listByTenant('acme')).toEqual([]);
    expect(await groupLinks.get('acme', 'aaaaaaaa-0000-4000-8000-000000000001')).toBeNull();
    const active = groupLink();
    const creating = groupLink({
      groupId: 'bbbbbbbb-0000-4000-8000-000000000002',
      state: 'creating',
      pbxGroupId: undefined,
      membersHash: '',
    });
    await groupLinks.put(active);
    await groupLinks.put(creating);
    await groupLinks.put(groupLink({ tenantId: 'beta', pbxName: 'Beta sales' }));
    expect(await groupLinks.get('acme', 'AAAAAAAA-0000-4000-8000-000000000001')).toEqual(active);
    const { pbxGroupId: _none, ...creatingStored } = creating;
    expect(await groupLinks.get('acme', creating.groupId)).toStrictEqual(creatingStored);
    expect(await groupLinks.listByTenant('acme')).toEqual([active, creatingStored]);
    expect((await groupLinks.listByTenant('beta')).map((link) => link.pbxName)).toEqual(['Beta sales']);
  });

  it('put replaces the whole link (a link back to creating keeps no PBX group id)', async () => {
    const { groupLinks } = await freshStores();
    await groupLinks.put(groupLink());
    await groupLinks.put(
      groupLink({ groupId: 'AAAAAAAA-0000-4000-8000-000000000001', state: 'creating', pbxGroupId: undefined, pbxName: 'Sales 2' }),
    );
    const links = await groupLinks.listByTenant('acme');
    expect(links).toHaveLength(1);
    expect(links[0]).toStrictEqual({
      tenantId: 'acme',
      groupId: 'aaaaaaaa-0000-4000-8000-000000000001',
      state: 'creating',
      pbxName: 'Sales 2',
      displayName: 'Sales',
      membersHash: 'h1',
      updatedAt: '2026-03-01T12:00:00.000Z',
    });
  });

  it('deletes idempotently, and deletes every link of one tenant but not of another', async () => {
    const { groupLinks } = await freshStores();
    await groupLinks.put(groupLink());
    await groupLinks.delete('acme', 'AAAAAAAA-0000-4000-8000-000000000001');
    await groupLinks.delete('acme', 'aaaaaaaa-0000-4000-8000-000000000001');
    expect(await groupLinks.listByTenant('acme')).toEqual([]);
    for (let i = 0; i < 105; i += 1) await groupLinks.put(groupLink({ groupId: `g${String(i).padStart(3, '0')}` }));
    await groupLinks.put(groupLink({ tenantId: 'acme2', groupId: 'g000' }));
    await groupLinks.deleteAllForTenant('acme');
    expect(await groupLinks.listByTenant('acme')).toEqual([]);
    expect((await groupLinks.listByTenant('acme2')).map((link) => link.groupId)).toEqual(['g000']);
  });

  it('refuses ids that cannot be keys, and a stored row that no longer validates is an error naming it', async () => {
    const { groupLinks, rawTable } = await freshStores();
    await rejection(groupLinks.put(groupLink({ groupId: 'a/b' })), 'INVALID');
    await rejection(groupLinks.get('acme', ''), 'INVALID');
    await rejection(groupLinks.listByTenant('ac|me'), 'INVALID');
    await rawTable('grouplinks').createEntity({ partitionKey: 'acme', rowKey: 'g1', state: 'gone', pbxName: 'x', displayName: 'x' });
    const err = await rejection(groupLinks.listByTenant('acme'), 'INTERNAL');
    expect(err.message).toContain('group link acme/g1');
    expect(err.message).toContain('state');
    await groupLinks.deleteAllForTenant('acme');
    expect(await groupLinks.listByTenant('acme')).toEqual([]);
  });
});
