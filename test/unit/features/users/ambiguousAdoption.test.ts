import { describe, expect, it } from 'vitest';
import { PbxDirectory } from '../../../../shared/features/users/PbxDirectory';
import { planUserChanges } from '../../../../shared/features/users/planUserChanges';
import { plannedOutcome } from '../../../../shared/features/users/plannedOutcome';
import { UserSyncOptionsSchema } from '../../../../shared/features/users/usersOptions';
import { type GraphUser } from '../../../../shared/graph/GraphUser';
import { existingPbxUser } from '../../../support/usersPlanning';
import { portSipProfile } from '../../../../shared/pbx/portsip/portSipProfile';

const user = (id: string, mail: string): GraphUser => ({
  id,
  givenName: 'Ann',
  surname: `Lee${id}`,
  displayName: `Ann Lee${id}`,
  userPrincipalName: `ann${id}@contoso.com`,
  mail,
  businessPhones: [],
  mobilePhone: null,
  department: 'Sales',
  accountEnabled: true,
  userType: 'Member',
});

const pbxUser = existingPbxUser;

const options = UserSyncOptionsSchema.parse({ adoptByEmail: true, numbering: { mode: 'fromStart', start: '1000' } });
/** One batch of a run: the run keeps one PbxDirectory across its batches, as UserSyncRun does. */
const batch = (directory: PbxDirectory, users: GraphUser[]) =>
  planUserChanges({ users, removed: [], links: new Map(), options, profile: portSipProfile, directory });

describe('adoptByEmail with several unlinked PBX users sharing the address', () => {
  it('adopts neither, creates nothing, and skips with ambiguousAdoption naming how many and which numbers', () => {
    const directory = new PbxDirectory(
      portSipProfile,
      [pbxUser('p1', '7001', 'Ann@contoso.com'), pbxUser('p2', '7002', 'ann@CONTOSO.com'), pbxUser('p3', '7003', 'bob@contoso.com')],
      [],
      new Set(),
    );
    const p = batch(directory, [user('1', 'ann@contoso.com')]);
    expect(p.actions).toHaveLength(1);
    const skip = p.actions[0]!;
    expect(skip).toMatchObject({ kind: 'skip', objectId: '1', code: 'ambiguousAdoption' });
    expect(skip.kind === 'skip' && skip.message).toMatch(/^2 unlinked PBX extensions \(7001, 7002\) share/);
    expect(skip.kind === 'skip' && skip.message).not.toMatch(/password/i);
  });

  it('stays ambiguous for the rest of the run: a later batch (another user with that address, or the same user again) adopts neither', () => {
    const directory = new PbxDirectory(
      portSipProfile,
      [pbxUser('p1', '7001', 'ann@contoso.com'), pbxUser('p2', '7002', 'ann@contoso.com')],
      [],
      new Set(),
    );
    const first = batch(directory, [user('1', 'ann@contoso.com')]);
    const later = batch(directory, [user('2', 'ANN@contoso.com'), user('1', 'ann@contoso.com')]);
    for (const p of [first, later]) {
      expect(p.actions.every((a) => a.kind === 'skip' && a.code === 'ambiguousAdoption')).toBe(true);
    }
    expect(later.actions).toHaveLength(2);
    // Nothing claimed: a create for another address still gets the first free number.
    const other = batch(directory, [user('3', 'cid@contoso.com')]);
    expect(other.actions[0]).toMatchObject({ kind: 'create', user: { extensionNumber: '1000' } });
  });

  it('one linked and one unlinked PBX user with the address: the unlinked one is the only candidate and is adopted', () => {
    const directory = new PbxDirectory(
      portSipProfile,
      [pbxUser('p1', '7001', 'ann@contoso.com'), pbxUser('p2', '7002', 'ann@contoso.com')],
      [],
      new Set(['p1']),
    );
    expect(batch(directory, [user('1', 'ann@contoso.com')]).actions[0]).toMatchObject({ kind: 'adopt', pbxUserId: 'p2' });
    // Taken once: a second user with the address is created, not adopted onto the same extension.
    expect(batch(directory, [user('2', 'ann@contoso.com')]).actions[0]).toMatchObject({ kind: 'create' });
  });

  it('a dry run counts the skip under its reason like a run would', () => {
    const directory = new PbxDirectory(
      portSipProfile,
      [pbxUser('p1', '7001', 'ann@contoso.com'), pbxUser('p2', '7002', 'ann@contoso.com')],
      [],
      new Set(),
    );
    const outcome = plannedOutcome(batch(directory, [user('1', 'ann@contoso.com')]).actions);
    expect(outcome.counts).toEqual({ skipped: 1 });
    expect(JSON.stringify(outcome)).toContain('ambiguousAdoption');
  });
});
