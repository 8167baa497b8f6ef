import { describe, expect, it } from 'vitest';
import { membersHash, planMembership } from '../../../../shared/features/groups/planMembership';

const G = 'g1';
const row = (userId: string, extension: string) => ({ groupId: G, userId, extension });

describe('planMembership', () => {
  it('adds new synced members and stores unsynced ones without a PBX write', () => {
    const plan = planMembership({
      groupId: G,
      desired: new Map([
        ['ann', '1001'],
        ['bob', ''],
      ]),
      stored: [],
    });
    expect(plan).toEqual({ add: ['1001'], remove: [], put: [row('ann', '1001'), row('bob', '')], drop: [] });
  });

  it('removes a member who left and one renumbered moves, from the stored state alone', () => {
    const plan = planMembership({
      groupId: G,
      desired: new Map([['ann', '2001']]),
      stored: [row('ann', '1001'), row('bob', '1002'), row('cy', '')],
    });
    expect(plan).toEqual({ add: ['2001'], remove: ['1001', '1002'], put: [row('ann', '2001')], drop: ['bob', 'cy'] });
  });

  it('changes nothing when desired and stored agree', () => {
    const desired = new Map([
      ['ann', '1001'],
      ['bob', ''],
    ]);
    expect(planMembership({ groupId: G, desired, stored: [row('ann', '1001'), row('bob', '')] })).toEqual({
      add: [],
      remove: [],
      put: [],
      drop: [],
    });
  });

  it('with the PBX members read: re-adds a missing member, removes managed strays, never touches unmanaged ones', () => {
    const plan = planMembership({
      groupId: G,
      desired: new Map([
        ['ann', '1001'],
        ['bob', '1002'],
      ]),
      stored: [row('ann', '1001'), row('bob', '1002')],
      pbxMembers: new Set(['1001', '1500', '1900']),
      managed: (ext) => ext === '1500',
    });
    expect(plan.add).toEqual(['1002']);
    expect(plan.remove).toEqual(['1500']);
    expect(plan.put).toEqual([]);
  });

  it('a placed member the PBX already lost is not removed again', () => {
    const plan = planMembership({
      groupId: G,
      desired: new Map(),
      stored: [row('ann', '1001')],
      pbxMembers: new Set(),
    });
    expect(plan).toEqual({ add: [], remove: [], put: [], drop: ['ann'] });
  });
});

describe('membersHash', () => {
  it('ignores order and changes with any member or number', () => {
    const a = membersHash(
      new Map([
        ['ann', '1001'],
        ['bob', ''],
      ]),
    );
    expect(
      membersHash(
        new Map([
          ['bob', ''],
          ['ann', '1001'],
        ]),
      ),
    ).toBe(a);
    expect(
      membersHash(
        new Map([
          ['ann', '1001'],
          ['bob', '1002'],
        ]),
      ),
    ).not.toBe(a);
    expect(membersHash(new Map([['ann', '1001']]))).not.toBe(a);
  });
});
