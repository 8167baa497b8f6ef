import { describe, expect, it } from 'vitest';
import { collectGroupsPage, emptyRound, transitiveUsers } from '../../../shared/engine/collectGroupsRound';
import { type GraphGroupChange } from '../../../shared/graph/GraphGroup';

const group = (id: string, members: [string, 'user' | 'group' | 'unknown', boolean][], displayName?: string): GraphGroupChange => ({
  id,
  ...(displayName !== undefined ? { displayName, groupTypes: [], securityEnabled: true } : {}),
  memberChanges: members.map(([memberId, kind, removed]) => ({ id: memberId, kind, removed })),
});

describe('collectGroupsPage', () => {
  it('merges a group repeated over pages, later entries winning, ids in lower case', () => {
    const round = emptyRound();
    collectGroupsPage(round, {
      groups: [
        group(
          'G1',
          [
            ['U1', 'user', false],
            ['U2', 'user', false],
          ],
          'Sales',
        ),
      ],
      removed: [],
    });
    collectGroupsPage(round, {
      groups: [
        group(
          'g1',
          [
            ['u2', 'user', true],
            ['G2', 'group', false],
            ['d1', 'other' as 'user', false],
          ],
          'Sales EMEA',
        ),
      ],
      removed: [],
    });
    const g1 = round.groups.get('g1')!;
    expect(g1.properties).toEqual({ id: 'g1', displayName: 'Sales EMEA', groupTypes: [], securityEnabled: true });
    expect([...g1.users]).toEqual([
      ['u1', true],
      ['u2', false],
    ]);
    expect([...g1.groups]).toEqual([['g2', true]]);
    expect(round.pages).toBe(2);
  });

  it('keeps the properties when a later slice comes without them', () => {
    const round = emptyRound();
    collectGroupsPage(round, { groups: [group('g1', [], 'Sales')], removed: [] });
    collectGroupsPage(round, { groups: [group('g1', [['u1', 'user', false]])], removed: [] });
    expect(round.groups.get('g1')!.properties?.displayName).toBe('Sales');
  });

  it('a removed entry without a type removes the id as user and as group', () => {
    const round = emptyRound();
    collectGroupsPage(round, { groups: [group('g1', [['x', 'unknown', true]], 'Sales')], removed: [] });
    expect(round.groups.get('g1')!.users.get('x')).toBe(false);
    expect(round.groups.get('g1')!.groups.get('x')).toBe(false);
  });

  it('a group removed after it changed is removed; one that comes back after a removal is not', () => {
    const round = emptyRound();
    collectGroupsPage(round, { groups: [group('g1', [], 'A'), group('g2', [], 'B')], removed: [{ id: 'G2', reason: 'deleted' }] });
    collectGroupsPage(round, { groups: [], removed: [{ id: 'g1', reason: 'changed' }] });
    collectGroupsPage(round, { groups: [group('g1', [], 'A')], removed: [] });
    expect([...round.groups.keys()]).toEqual(['g1']);
    expect([...round.removed]).toEqual([['g2', 'deleted']]);
  });
});

describe('transitiveUsers', () => {
  it('expands nested groups at any depth, once, through cycles, ignoring removed members', () => {
    const round = emptyRound();
    collectGroupsPage(round, {
      groups: [
        group(
          'top',
          [
            ['u1', 'user', false],
            ['mid', 'group', false],
            ['gone', 'group', true],
          ],
          'Top',
        ),
        group(
          'mid',
          [
            ['u2', 'user', false],
            ['leaf', 'group', false],
            ['u9', 'user', true],
          ],
          'Mid',
        ),
        group(
          'leaf',
          [
            ['u3', 'user', false],
            ['top', 'group', false],
          ],
          'Leaf',
        ),
        group('gone', [['u4', 'user', false]], 'Gone'),
      ],
      removed: [],
    });
    expect([...transitiveUsers(round, 'top')].sort()).toEqual(['u1', 'u2', 'u3']);
    expect([...transitiveUsers(round, 'leaf')].sort()).toEqual(['u1', 'u2', 'u3']);
    expect([...transitiveUsers(round, 'unknown')]).toEqual([]);
  });
});
