import { describe, expect, it } from 'vitest';
import { type GroupMembership } from '../../../../shared/engine/GroupMembershipStore';
import { freshStores, rejection } from './storeTestTables';

const byIds = (a: GroupMembership, b: GroupMembership) => `${a.groupId}/${a.userId}`.localeCompare(`${b.groupId}/${b.userId}`);

/** `count` members u000… of one group, extensions 1000… */
function members(groupId: string, count: number): GroupMembership[] {
  return Array.from({ length: count }, (_, i) => ({ groupId, userId: `u${String(i).padStart(3, '0')}`, extension: String(1000 + i) }));
}

describe('TableGroupMembershipStore', () => {
  it('lists a group by its members and a user by their groups, never a neighbour whose id starts the same', async () => {
    const { groupMembers } = await freshStores();
    await groupMembers.putMany('acme', [
      { groupId: 'g1', userId: 'u1', extension: '101' },
      { groupId: 'g1', userId: 'u10', extension: '110' },
      { groupId: 'g10', userId: 'u1', extension: '101' },
      { groupId: 'g10', userId: 'u2', extension: '' },
    ]);
    await groupMembers.putMany('beta', [{ groupId: 'g1', userId: 'u1', extension: '999' }]);
    expect(await groupMembers.listByGroup('acme', 'g1')).toEqual([
      { groupId: 'g1', userId: 'u1', extension: '101' },
      { groupId: 'g1', userId: 'u10', extension: '110' },
    ]);
    expect(await groupMembers.listByGroup('acme', 'g10')).toEqual([
      { groupId: 'g10', userId: 'u1', extension: '101' },
      { groupId: 'g10', userId: 'u2', extension: '' },
    ]);
    expect(await groupMembers.listByUser('acme', 'u1')).toEqual([
      { groupId: 'g1', userId: 'u1', extension: '101' },
      { groupId: 'g10', userId: 'u1', extension: '101' },
    ]);
    expect(await groupMembers.listByUser('acme', 'u10')).toEqual([{ groupId: 'g1', userId: 'u10', extension: '110' }]);
    expect(await groupMembers.listByUser('acme', 'u')).toEqual([]);
    expect(await groupMembers.listByGroup('beta', 'g1')).toEqual([{ groupId: 'g1', userId: 'u1', extension: '999' }]);
    expect(await groupMembers.listByGroup('acme', 'g2')).toEqual([]);
  });

  it('keys ids in lower case and replaces a membership put again (last one of a batch wins)', async () => {
    const { groupMembers } = await freshStores();
    await groupMembers.putMany('acme', [{ groupId: 'G-A', userId: 'U-A', extension: '1' }]);
    await groupMembers.putMany('acme', [
      { groupId: 'g-a', userId: 'u-a', extension: '2' },
      { groupId: 'G-A', userId: 'u-A', extension: '3' },
    ]);
    expect(await groupMembers.listByGroup('acme', 'G-A')).toEqual([{ groupId: 'g-a', userId: 'u-a', extension: '3' }]);
    expect(await groupMembers.listByUser('acme', 'u-a')).toEqual([{ groupId: 'g-a', userId: 'u-a', extension: '3' }]);
  });

  it('puts and deletes more than one transaction holds (50 memberships each), both rows of each', async () => {
    const { groupMembers } = await freshStores();
    const many = members('big', 120);
    await groupMembers.putMany('acme', [...members('small', 51), ...many]);
    expect(await groupMembers.listByGroup('acme', 'big')).toEqual(many);
    expect(await groupMembers.listByGroup('acme', 'small')).toHaveLength(51);
    expect(await groupMembers.listByUser('acme', 'u119')).toEqual([{ groupId: 'big', userId: 'u119', extension: '1119' }]);
    expect((await groupMembers.listByUser('acme', 'u050')).sort(byIds)).toEqual([
      { groupId: 'big', userId: 'u050', extension: '1050' },
      { groupId: 'small', userId: 'u050', extension: '1050' },
    ]);
    await groupMembers.deleteMany('acme', many.slice(0, 110));
    expect(await groupMembers.listByGroup('acme', 'big')).toEqual(many.slice(110));
    expect(await groupMembers.listByUser('acme', 'u000')).toEqual([{ groupId: 'small', userId: 'u000', extension: '1000' }]);
    expect(await groupMembers.listByUser('acme', 'u115')).toEqual([{ groupId: 'big', userId: 'u115', extension: '1115' }]);
  });

  it('deleting memberships that are gone (all or some of a transaction) is not an error', async () => {
    const { groupMembers } = await freshStores();
    await groupMembers.deleteMany('acme', [{ groupId: 'g1', userId: 'u1' }]);
    await groupMembers.putMany('acme', members('g1', 3));
    await groupMembers.deleteMany('acme', [
      { groupId: 'g1', userId: 'nobody' },
      { groupId: 'G1', userId: 'U001' },
      { groupId: 'g1', userId: 'u001' },
    ]);
    expect((await groupMembers.listByGroup('acme', 'g1')).map((m) => m.userId)).toEqual(['u000', 'u002']);
    expect(await groupMembers.listByUser('acme', 'u001')).toEqual([]);
    await groupMembers.deleteMany('acme', []);
    await groupMembers.putMany('acme', []);
  });

  it('deletes both row kinds of one tenant and leaves other tenants', async () => {
    const { groupMembers, rawTable } = await freshStores();
    await groupMembers.putMany('acme', members('g1', 60));
    await groupMembers.putMany('acme2', members('g1', 2));
    await groupMembers.deleteAllForTenant('acme');
    const left: string[] = [];
    for await (const row of rawTable('groupmembers').listEntities()) left.push(`${row.partitionKey}/${row.rowKey}`);
    // Its group's partition and the by-user buckets (which bucket a user falls in is a hash).
    expect(left.filter((row) => row.startsWith('acme2|g|')).sort()).toEqual(['acme2|g|g1/u000', 'acme2|g|g1/u001']);
    expect(
      left
        .filter((row) => row.startsWith('acme2|u|'))
        .map((row) => row.split('/')[1])
        .sort(),
    ).toEqual(['u000|g1', 'u001|g1']);
    expect(left).toHaveLength(4);
  });

  it('refuses ids that cannot be keys, and a stored row that no longer validates is an error naming it', async () => {
    const { groupMembers, rawTable } = await freshStores();
    await rejection(groupMembers.putMany('acme', [{ groupId: 'g|1', userId: 'u1', extension: '1' }]), 'INVALID');
    await rejection(groupMembers.deleteMany('acme', [{ groupId: 'g1', userId: 'u#1' }]), 'INVALID');
    await rejection(groupMembers.listByUser('acme', ''), 'INVALID');
    expect(await groupMembers.listByGroup('acme', 'g1')).toEqual([]);
    await rawTable('groupmembers').createEntity({ partitionKey: 'acme|g|g1', rowKey: 'u1', groupId: 'g1', userId: 'u1', extension: 7 });
    const err = await rejection(groupMembers.listByGroup('acme', 'g1'), 'INTERNAL');
    expect(err.message).toContain('members of group acme/g1: row u1');
    expect(err.message).toContain('extension');
  });
});
