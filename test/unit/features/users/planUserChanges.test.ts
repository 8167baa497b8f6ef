import { describe, expect, it } from 'vitest';
import { type UserSyncOptions, UserSyncOptionsSchema } from '../../../../shared/features/users/usersOptions';
import { type GraphUser } from '../../../../shared/graph/GraphUser';
import { type UserLink } from '../../../../shared/engine/LinkStore';
import { PbxDirectory } from '../../../../shared/features/users/PbxDirectory';
import { portSipProfile } from '../../../../shared/pbx/portsip/portSipProfile';
import { type PbxProfile } from '../../../../shared/pbx/ports/PbxProfile';
import { desiredPbxFields } from '../../../../shared/features/users/desiredPbxFields';
import { fieldsHash } from '../../../../shared/features/users/fieldsHash';
import { annUser, existingPbxUser, planWithDefaults } from '../../../support/usersPlanning';
import {
  planSweep,
  planUserChanges,
  type PlanInput,
  needsDirectory,
  sweepCandidates,
} from '../../../../shared/features/users/planUserChanges';

const options = (overrides: Partial<Record<keyof UserSyncOptions, unknown>> = {}): UserSyncOptions =>
  UserSyncOptionsSchema.parse(overrides);

const user = (id: string, extra: Partial<GraphUser> = {}): GraphUser => annUser(id, { businessPhones: ['+1 425 555 0100'], ...extra });

const linkFor = (u: GraphUser, extra: Partial<UserLink> = {}): UserLink => {
  const fields = desiredPbxFields(u, portSipProfile);
  return {
    tenantId: 't',
    objectId: u.id,
    state: 'active',
    origin: 'created',
    pbxUserId: `pbx-${u.id}`,
    pbxUserName: `ann${u.id}`,
    extensionNumber: `10${u.id.padStart(2, '0')}`,
    fields,
    hash: fieldsHash(fields),
    boundToMicrosoft365: true,
    updatedAt: '2026-01-01T00:00:00Z',
    ...extra,
  };
};

const pbxUser = existingPbxUser;

const plan = (input: Partial<PlanInput> & { users: GraphUser[] }) => planWithDefaults({ options: options(), ...input });

const kinds = (p: ReturnType<typeof plan>) => p.actions.map((a) => a.kind);

describe('planUserChanges', () => {
  it('creates new users with numbers from the starting number, skipping every used number', () => {
    const directory = new PbxDirectory(portSipProfile, [pbxUser('p1', '1000', 'x@y.com')], ['1001'], new Set());
    const p = plan({ users: [user('1'), user('2')], directory, options: options({ numbering: { mode: 'fromStart', start: '1000' } }) });
    expect(p.actions.map((a) => (a.kind === 'create' ? a.user.extensionNumber : a.kind))).toEqual(['1002', '1003']);
    const create = p.actions[0];
    expect(create?.kind === 'create' && create.user).toMatchObject({
      displayName: 'Ann Lee1',
      email: 'ann1@contoso.com',
      workPhone: '+1 425 555 0100',
      enabled: true,
      userName: 'ann1',
    });
  });

  it('costs nothing for an unchanged linked user', () => {
    const u = user('1');
    const p = plan({ users: [u], links: new Map([[u.id, linkFor(u)]]) });
    expect(p.actions).toEqual([]);
    expect(p.unchanged).toBe(1);
  });

  it('updates only the changed fields, and a cleared field clears', () => {
    const before = user('1', { mobilePhone: '+1 555 1234' });
    const after = user('1', { mobilePhone: null, displayName: 'Ann Renamed' });
    const p = plan({ users: [after], links: new Map([[before.id, linkFor(before)]]) });
    expect(p.actions).toEqual([
      expect.objectContaining({ kind: 'update', pbxUserId: 'pbx-1', changes: { displayName: 'Ann Renamed', mobilePhone: '' } }),
    ]);
  });

  it.each([
    ['disable', 'disable'],
    ['delete', 'delete'],
    ['retain', 'unlink'],
  ] as const)('applies the %s policy to a disabled user', (policy, kind) => {
    const u = user('1');
    const p = plan({
      users: [{ ...u, accountEnabled: false }],
      links: new Map([[u.id, linkFor(u)]]),
      options: options({ onDisabled: policy }),
    });
    expect(kinds(p)).toEqual([kind]);
    if (kind === 'disable') expect(p.actions[0]).toMatchObject({ changes: { enabled: false } });
  });

  it('re-enables a user that was disabled by policy once Entra enables it again', () => {
    const u = user('1');
    const disabledFields = { ...desiredPbxFields(u, portSipProfile), enabled: false };
    const link = linkFor(u, { fields: disabledFields, hash: fieldsHash(disabledFields) });
    const p = plan({ users: [u], links: new Map([[u.id, link]]) });
    expect(p.actions).toEqual([expect.objectContaining({ kind: 'update', changes: { enabled: true } })]);
  });

  it('does not create disabled users and does not write a user already disabled', () => {
    const u = user('1', { accountEnabled: false });
    const disabledFields = desiredPbxFields(u, portSipProfile, false);
    const link = linkFor(user('1'), { fields: disabledFields, hash: fieldsHash(disabledFields) });
    expect(plan({ users: [u] }).actions).toEqual([]);
    const p = plan({ users: [u], links: new Map([[u.id, link]]) });
    expect(p.actions).toEqual([]);
    expect(p.unchanged).toBe(1);
  });

  it.each([
    ['delete', 'delete'],
    ['disable', 'disable'],
    ['retain', 'unlink'],
  ] as const)('applies the %s policy to a deleted user', (policy, kind) => {
    const u = user('1');
    const p = plan({
      users: [],
      removed: [{ id: '1', reason: 'deleted' }],
      links: new Map([[u.id, linkFor(u)]]),
      options: options({ onHardDeleted: policy }),
    });
    expect(kinds(p)).toEqual([kind]);
  });

  it('ignores removals of users it never linked', () => {
    expect(plan({ users: [], removed: [{ id: '9', reason: 'changed' }] }).actions).toEqual([]);
  });

  it('INCLUDE scope syncs only listed users (by UPN or object id)', () => {
    const p = plan({
      users: [user('1'), user('2'), user('abc-3')],
      options: options({ scope: { mode: 'INCLUDE', users: ['ANN1@contoso.com', 'ABC-3'] } }),
    });
    expect(p.actions.map((a) => a.objectId)).toEqual(['1', 'abc-3']);
  });

  it('EXCLUDE scope syncs all but listed users, and applies the out-of-scope policy to linked ones', () => {
    const u2 = user('2');
    const p = plan({
      users: [user('1'), u2],
      links: new Map([[u2.id, linkFor(u2)]]),
      options: options({ scope: { mode: 'EXCLUDE', users: ['ann2@contoso.com'] }, onOutOfScope: 'delete' }),
    });
    expect(p.actions.map((a) => [a.objectId, a.kind])).toEqual([
      ['1', 'create'],
      ['2', 'delete'],
    ]);
  });

  it('GROUPS scope syncs members of the listed groups only', () => {
    const groups = '00000000-0000-0000-0000-0000000000aa';
    const p = plan({
      users: [user('1'), user('2')],
      groupMemberIds: new Set(['2']),
      options: options({ scope: { mode: 'GROUPS', groups: [groups] } }),
    });
    expect(p.actions.map((a) => a.objectId)).toEqual(['2']);
  });

  it('skips guests unless syncGuests is on', () => {
    const guest = user('1', { userType: 'Guest' });
    expect(plan({ users: [guest] }).actions).toEqual([]);
    expect(kinds(plan({ users: [guest], options: options({ syncGuests: true }) }))).toEqual(['create']);
  });

  it('skips and reports users with no given name and no surname, or no usable address', () => {
    const p = plan({
      users: [
        user('1', { givenName: null, surname: '  ' }),
        user('2', { mail: null, userPrincipalName: 'bob_gmail.com#EXT#@contoso.onmicrosoft.com' }),
        user('3', { mail: null }),
      ],
    });
    expect(p.actions.map((a) => (a.kind === 'skip' ? a.code : a.kind))).toEqual(['missingName', 'noUsableEmail', 'create']);
  });

  it('fromProperty numbering normalises digits and reports collisions instead of overwriting', () => {
    const directory = new PbxDirectory(portSipProfile, [pbxUser('p1', '2001', 'other@x.com')], [], new Set());
    const opts = options({ numbering: { mode: 'fromProperty', property: 'extensionAttribute1' } });
    const p = plan({
      users: [
        user('1', { onPremisesExtensionAttributes: { extensionAttribute1: 'ext. 2-000' } }),
        user('2', { onPremisesExtensionAttributes: { extensionAttribute1: '2001' } }),
        user('3', { onPremisesExtensionAttributes: { extensionAttribute1: '2000' } }),
        user('4', { onPremisesExtensionAttributes: { extensionAttribute1: null } }),
      ],
      directory,
      options: opts,
    });
    expect(p.actions.map((a) => (a.kind === 'skip' ? a.code : a.kind === 'create' ? a.user.extensionNumber : a.kind))).toEqual([
      '2000',
      'extensionCollision',
      'extensionCollision',
      'noExtensionNumber',
    ]);
  });

  it('reports a changed numbering property as a notice, still syncing the user under its number', () => {
    const u = user('1', { department: 'Finance', onPremisesExtensionAttributes: { extensionAttribute1: '2222' } });
    const link = linkFor(user('1'));
    const opts = options({ numbering: { mode: 'fromProperty', property: 'extensionAttribute1' } });
    const p = plan({ users: [u], links: new Map([[u.id, link]]), options: opts });
    expect(kinds(p)).toEqual(['update']);
    expect(p.notices).toEqual([expect.objectContaining({ objectId: '1', code: 'extensionNumberChanged', action: 'notice' })]);
  });

  it('fromProperty with lastDigits keeps the last N digits of a phone number', () => {
    const opts = options({ numbering: { mode: 'fromProperty', property: 'businessPhones', lastDigits: 4 } });
    const p = plan({ users: [user('1', { businessPhones: ['+1 (425) 555-4321'] })], options: opts });
    expect(p.actions[0]).toMatchObject({ kind: 'create', user: { extensionNumber: '4321' } });
  });

  it('adopts an unlinked PBX user with the same email (once) instead of creating a duplicate', () => {
    const existing = pbxUser('p7', '1500', 'ANN1@contoso.com');
    const directory = new PbxDirectory(portSipProfile, [existing], [], new Set());
    const p = plan({ users: [user('1'), user('1b', { mail: 'ann1@contoso.com' })], directory, options: options({ adoptByEmail: true }) });
    expect(p.actions[0]).toMatchObject({
      kind: 'adopt',
      pbxUserId: 'p7',
      extensionNumber: '1500',
      changes: { displayName: 'Ann Lee1', workPhone: '+1 425 555 0100', department: 'Sales' },
    });
    expect(p.actions[1]?.kind).toBe('create');
  });

  it('never adopts a PBX user that another link already owns, nor adopts when the option is off', () => {
    const existing = pbxUser('p7', '1500', 'ann1@contoso.com');
    expect(
      kinds(
        plan({
          users: [user('1')],
          directory: new PbxDirectory(portSipProfile, [existing], [], new Set(['p7'])),
          options: options({ adoptByEmail: true }),
        }),
      ),
    ).toEqual(['create']);
    expect(kinds(plan({ users: [user('1')], directory: new PbxDirectory(portSipProfile, [existing], [], new Set()) }))).toEqual(['create']);
  });

  it('resumes an interrupted create with the reserved number and account name', () => {
    const u = user('1');
    const link: UserLink = {
      tenantId: 't',
      objectId: '1',
      state: 'creating',
      origin: 'created',
      pbxUserName: 'ann1',
      extensionNumber: '1042',
      boundToMicrosoft365: false,
      updatedAt: 'x',
    };
    const p = plan({ users: [u], links: new Map([['1', link]]) });
    expect(p.actions[0]).toMatchObject({ kind: 'create', resume: true, user: { extensionNumber: '1042', userName: 'ann1' } });
  });

  it('merges repeated entities of one round (last copy wins)', () => {
    const p = plan({ users: [user('1', { department: 'Old' }), user('1', { department: 'New' })] });
    expect(p.actions).toHaveLength(1);
    expect(p.actions[0]).toMatchObject({ user: { department: 'New' } });
  });

  it('accounts for every user of a batch exactly once: an action, unchanged, or left alone by reason', () => {
    const linkedUnchanged = user('1');
    const linkedGone = user('2');
    const p = plan({
      users: [
        linkedUnchanged,
        user('3'),
        user('4', { userType: 'Guest' }),
        user('5', { accountEnabled: false }),
        user('6', { givenName: null, surname: null }),
        user('7'),
      ],
      removed: [
        { id: '2', reason: 'deleted' },
        { id: '8', reason: 'changed' },
      ],
      links: new Map([
        [linkedUnchanged.id, linkFor(linkedUnchanged)],
        [linkedGone.id, linkFor(linkedGone)],
      ]),
      options: options({ scope: { mode: 'EXCLUDE', users: ['ann7@contoso.com'] } }),
    });
    expect(p.unchanged).toBe(1);
    expect(p.outOfScope).toEqual({ guest: 1, accountDisabled: 1, excluded: 1, deletedInEntra: 1 });
    expect(p.actions.map((a) => [a.objectId, a.kind])).toEqual([
      ['3', 'create'],
      ['6', 'skip'],
      ['2', 'delete'],
    ]);
    const accounted = p.unchanged + p.actions.length + Object.values(p.outOfScope).reduce((a, b) => a + b, 0);
    expect(accounted).toBe(p.seen.length);
    expect(p.seen).toHaveLength(8);
  });

  it.each([
    ['INCLUDE', { mode: 'INCLUDE', users: ['someone@contoso.com'] }, 'notIncluded'],
    ['GROUPS', { mode: 'GROUPS', groups: ['00000000-0000-0000-0000-0000000000aa'] }, 'notInGroups'],
  ] as const)('%s scope names why an unlinked user is left alone', (_mode, scope, reason) => {
    const p = plan({ users: [user('1')], groupMemberIds: new Set(), options: options({ scope }) });
    expect(p.outOfScope).toEqual({ [reason]: 1 });
    expect(p.actions).toEqual([]);
  });

  it('counts a linked user already in its removal state as unchanged, not as missing', () => {
    const u = user('1');
    const disabledFields = { ...desiredPbxFields(u, portSipProfile), enabled: false };
    const link = linkFor(u, { fields: disabledFields, hash: fieldsHash(disabledFields) });
    const p = plan({
      users: [],
      removed: [{ id: '1', reason: 'changed' }],
      links: new Map([[u.id, link]]),
      options: options({ onSoftDeleted: 'disable' }),
    });
    expect(p.actions).toEqual([]);
    expect(p.unchanged).toBe(1);
  });

  it('gives unique PBX account names', () => {
    const directory = new PbxDirectory(portSipProfile, [{ ...pbxUser('p1', '900', 'a@b.com'), userName: 'ann1' }], [], new Set());
    const p = plan({ users: [user('1')], directory });
    expect(p.actions[0]).toMatchObject({ user: { userName: 'ann1_1000' } });
  });
});

describe('planSweep', () => {
  const ids = {
    seen: '00000000-0000-4000-8000-000000000001',
    restorable: '00000000-0000-4000-8000-0000000000AB',
    purged: '00000000-0000-4000-8000-000000000003',
  };
  const links = () => new Map(Object.values(ids).map((id) => [id, linkFor(user(id))]));

  it('applies the soft-delete policy to a missing user still in the deleted items, the hard-delete policy otherwise', () => {
    // Deleted-item ids come in lower case; the link keeps Graph's spelling.
    const actions = planSweep(links(), new Set([ids.seen]), options(), new Set([ids.restorable.toLowerCase()]));
    expect(actions.map((x) => [x.objectId, x.kind])).toEqual([
      [ids.restorable, 'disable'],
      [ids.purged, 'delete'],
    ]);
    expect(actions[0]).toMatchObject({ fields: { enabled: false }, reason: expect.stringContaining('restorable') });
  });

  it('deletes nothing that is still restorable, whatever the hard-delete policy', () => {
    const all = new Set(Object.values(ids).map((id) => id.toLowerCase()));
    const actions = planSweep(links(), new Set([ids.seen]), options({ onSoftDeleted: 'retain', onHardDeleted: 'delete' }), all);
    expect(actions.map((x) => x.kind)).toEqual(['unlink', 'unlink']);
  });

  it('follows the configured policies for each side', () => {
    const stillDeleted = new Set([ids.restorable.toLowerCase()]);
    const actions = planSweep(links(), new Set([ids.seen]), options({ onSoftDeleted: 'delete', onHardDeleted: 'retain' }), stillDeleted);
    expect(actions.map((x) => [x.objectId, x.kind])).toEqual([
      [ids.restorable, 'delete'],
      [ids.purged, 'unlink'],
    ]);
  });

  it('leaves an already-disabled restorable user unwritten, and has no candidates when the round saw everyone', () => {
    const u = user(ids.restorable);
    const disabledFields = { ...desiredPbxFields(u, portSipProfile), enabled: false };
    const disabled = new Map([[u.id, linkFor(u, { fields: disabledFields, hash: fieldsHash(disabledFields) })]]);
    expect(planSweep(disabled, new Set(), options(), new Set([u.id.toLowerCase()]))).toEqual([]);
    expect(planSweep(disabled, new Set(), options(), new Set()).map((x) => x.kind)).toEqual(['delete']);
    expect(sweepCandidates(links(), new Set(Object.values(ids)))).toEqual([]);
  });
});

describe('soft delete, hard delete and restore in a delta batch', () => {
  it('applies onSoftDeleted to `@removed` reason changed and onHardDeleted to reason deleted', () => {
    const soft = user('1');
    const hard = user('2');
    const p = plan({
      users: [],
      removed: [
        { id: '1', reason: 'changed' },
        { id: '2', reason: 'deleted' },
      ],
      links: new Map([
        [soft.id, linkFor(soft)],
        [hard.id, linkFor(hard)],
      ]),
      options: options({ onSoftDeleted: 'disable', onHardDeleted: 'delete' }),
    });
    expect(p.actions.map((x) => [x.objectId, x.kind])).toEqual([
      ['1', 'disable'],
      ['2', 'delete'],
    ]);
  });

  it('re-enables a restored user on its disabled extension (same PBX id, no create)', () => {
    const u = user('1');
    const disabledFields = { ...desiredPbxFields(u, portSipProfile), enabled: false };
    const link = linkFor(u, { fields: disabledFields, hash: fieldsHash(disabledFields) });
    const p = plan({ users: [u], links: new Map([[u.id, link]]) });
    expect(p.actions).toEqual([
      expect.objectContaining({ kind: 'update', pbxUserId: link.pbxUserId, fields: expect.objectContaining({ enabled: true }) }),
    ]);
  });
});

describe('needsDirectory', () => {
  it('is false when no user of the batch could be created or adopted', async () => {
    const linked = user('1');
    const links = new Map([[linked.id, linkFor(linked)]]);
    const notCreatable = [
      linked,
      user('2', { givenName: null, surname: null }),
      user('3', { accountEnabled: false }),
      user('4', { userType: 'Guest' }),
    ];
    expect(needsDirectory({ users: notCreatable, links, options: options(), profile: portSipProfile })).toBe(false);
    expect(needsDirectory({ users: [...notCreatable, user('5')], links, options: options(), profile: portSipProfile })).toBe(true);
  });
});

describe('the PBX profile sets the product rules the planner applies', () => {
  // A made-up product: names and addresses optional, short fields, short account names, 'ann' reserved.
  const lenient: PbxProfile = {
    ...portSipProfile,
    requiresGivenNameOrSurname: false,
    email: { required: false, maxLength: 20 },
    fieldLimits: { ...portSipProfile.fieldLimits, displayName: 5, department: 3 },
    accountNames: { maxLength: 20, reserved: ['ann1'] },
  };
  const withProfile = (profile: PbxProfile, users: GraphUser[]) =>
    planUserChanges({
      users,
      removed: [],
      links: new Map(),
      options: options(),
      profile,
      directory: new PbxDirectory(profile, [], [], new Set()),
    });

  it('skips a nameless user only where the product requires a name', () => {
    const nameless = user('1', { givenName: null, surname: null });
    expect(withProfile(portSipProfile, [nameless]).actions[0]).toMatchObject({ kind: 'skip', code: 'missingName' });
    expect(withProfile(lenient, [nameless]).actions[0]).toMatchObject({ kind: 'create' });
  });

  it('skips a user without a usable address only where the product requires one; too long is unusable, not cut', () => {
    const longMail = user('1', { mail: 'a-rather-long-address@contoso.com', userPrincipalName: 'x#EXT#@contoso.onmicrosoft.com' });
    expect(withProfile(portSipProfile, [longMail]).actions[0]).toMatchObject({ kind: 'create', user: { email: longMail.mail } });
    expect(withProfile(lenient, [longMail]).actions[0]).toMatchObject({ kind: 'create', user: { email: '', userName: 'ext1000' } });
  });

  it("cuts fields to the product's limits and keeps account names within its rule", () => {
    const action = withProfile(lenient, [user('1')]).actions[0];
    expect(action).toMatchObject({ kind: 'create', user: { displayName: 'Ann L', department: 'Sal', userName: 'ext1000' } });
    const portSip = withProfile(portSipProfile, [user('1')]).actions[0];
    expect(portSip).toMatchObject({ kind: 'create', user: { displayName: 'Ann Lee1', department: 'Sales', userName: 'ann1' } });
  });
});
