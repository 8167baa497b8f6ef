import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { desiredPbxFields } from '../../../../shared/features/users/desiredPbxFields';
import { changedFields, fieldsHash } from '../../../../shared/features/users/fieldsHash';
import { optionsHash } from '../../../../shared/features/users/optionsHash';
import { type PlanInput } from '../../../../shared/features/users/planUserChanges';
import { type UserSyncOptions, UserSyncOptionsSchema } from '../../../../shared/features/users/usersOptions';
import { type UserLink } from '../../../../shared/engine/LinkStore';
import { type GraphUser } from '../../../../shared/graph/GraphUser';
import { portSipProfile } from '../../../../shared/pbx/portsip/portSipProfile';
import { type PbxCallerId } from '../../../../shared/pbx/ports/PbxCallerId';
import { planWithDefaults } from '../../../support/usersPlanning';
import { type PbxUserFields } from '../../../../shared/pbx/ports/PbxUserFields';

const CALLER_ID = { property: 'businessPhones', providerId: 'trunk-1', defaultCountry: 'US' };
const options = (overrides: Record<string, unknown> = { outboundCallerId: CALLER_ID }): UserSyncOptions =>
  UserSyncOptionsSchema.parse(overrides);
const ours = (callerId: string): PbxCallerId => ({ providerId: 'trunk-1', callerId });

const user = (extra: Partial<GraphUser> = {}): GraphUser => ({
  id: '1',
  givenName: 'Ann',
  surname: 'Lee',
  displayName: 'Ann Lee',
  userPrincipalName: 'ann@contoso.com',
  mail: 'ann@contoso.com',
  businessPhones: ['(425) 555-0100'],
  mobilePhone: null,
  department: 'Sales',
  accountEnabled: true,
  userType: 'Member',
  ...extra,
});

/** A link as the connector wrote it for `fields`. */
const linkWith = (fields: PbxUserFields, hash = fieldsHash(fields)): UserLink => ({
  tenantId: 't',
  objectId: '1',
  state: 'active',
  origin: 'created',
  pbxUserId: 'pbx-1',
  pbxUserName: 'ann',
  extensionNumber: '1001',
  fields,
  hash,
  boundToMicrosoft365: true,
  updatedAt: '2026-01-01T00:00:00Z',
});

const plan = (input: Partial<PlanInput> & { users: GraphUser[] }) => planWithDefaults({ options: options(), ...input });

/** The links of before this field existed: six fields, hashed as a six-element array. */
function legacyLink(u: GraphUser): UserLink {
  const { displayName, email, mobilePhone, workPhone, department, enabled } = desiredPbxFields(u, portSipProfile);
  const legacy = { displayName, email, mobilePhone, workPhone, department, enabled };
  const hash = createHash('sha256')
    .update(JSON.stringify([displayName, email, mobilePhone, workPhone, department, enabled]))
    .digest('hex')
    .slice(0, 32);
  return linkWith(legacy, hash);
}

describe('planning the outbound caller ID', () => {
  it('creates a user with its office phone in E.164 on the configured provider', () => {
    const p = plan({ users: [user()] });
    expect(p.actions).toEqual([
      expect.objectContaining({ kind: 'create', user: expect.objectContaining({ outboundCallerId: ours('+14255550100') }) }),
    ]);
    expect(p.notices).toEqual([]);
  });

  it('creates without one when the option is off or the property is empty', () => {
    for (const p of [plan({ users: [user()], options: options({}) }), plan({ users: [user({ businessPhones: [] })] })]) {
      expect(p.actions).toEqual([expect.objectContaining({ kind: 'create', user: expect.objectContaining({ outboundCallerId: null }) })]);
      expect(p.notices).toEqual([]);
    }
  });

  it('costs nothing for a linked user whose caller ID is already ours', () => {
    const u = user();
    const p = plan({ users: [u], links: new Map([['1', linkWith(desiredPbxFields(u, portSipProfile, true, ours('+14255550100')))]]) });
    expect(p.actions).toEqual([]);
    expect(p.unchanged).toBe(1);
  });

  it('sets it on a linked user when the option is turned on: only the caller ID is written', () => {
    const u = user();
    const p = plan({ users: [u], links: new Map([['1', linkWith(desiredPbxFields(u, portSipProfile))]]) });
    expect(p.actions).toEqual([expect.objectContaining({ kind: 'update', changes: { outboundCallerId: ours('+14255550100') } })]);
  });

  it('changes it when the office phone changes, and removes it when the phone is cleared', () => {
    const before = user();
    const link = linkWith(desiredPbxFields(before, portSipProfile, true, ours('+14255550100')));
    const changed = plan({ users: [user({ businessPhones: ['+1 206 555 0199'] })], links: new Map([['1', link]]) });
    expect(changed.actions).toEqual([
      expect.objectContaining({
        kind: 'update',
        changes: { workPhone: '+1 206 555 0199', outboundCallerId: ours('+12065550199') },
        fields: expect.objectContaining({ outboundCallerId: ours('+12065550199') }),
      }),
    ]);
    const cleared = plan({ users: [user({ businessPhones: [] })], links: new Map([['1', link]]) });
    expect(cleared.actions).toEqual([
      expect.objectContaining({
        kind: 'update',
        changes: { workPhone: '', outboundCallerId: null },
        fields: expect.objectContaining({ outboundCallerId: null }),
      }),
    ]);
  });

  it('skips an invalid number with a notice; the rest of the user still syncs, and a caller ID set earlier goes', () => {
    const link = linkWith(desiredPbxFields(user(), portSipProfile, true, ours('+14255550100')));
    const p = plan({ users: [user({ businessPhones: ['+1 555'], department: 'Ops' })], links: new Map([['1', link]]) });
    expect(p.actions).toEqual([
      expect.objectContaining({ kind: 'update', changes: { workPhone: '+1 555', department: 'Ops', outboundCallerId: null } }),
    ]);
    expect(p.notices).toEqual([
      expect.objectContaining({
        objectId: '1',
        action: 'notice',
        code: 'outboundCallerIdInvalid',
        message: expect.stringContaining('"+1 555"'),
      }),
    ]);
    const created = plan({ users: [user({ businessPhones: ['call reception'] })] });
    expect(created.actions).toEqual([
      expect.objectContaining({ kind: 'create', user: expect.objectContaining({ outboundCallerId: null }) }),
    ]);
    expect(created.notices.map((n) => n.code)).toEqual(['outboundCallerIdInvalid']);
  });

  it('leaves the caller ID alone when a user is disabled', () => {
    const link = linkWith(desiredPbxFields(user(), portSipProfile, true, ours('+14255550100')));
    const p = plan({ users: [user({ accountEnabled: false })], links: new Map([['1', link]]) });
    expect(p.actions).toEqual([expect.objectContaining({ kind: 'disable', changes: { enabled: false } })]);
  });

  it('links stored before the field existed stay unchanged while the option is off (no rewrite on upgrade)', () => {
    const u = user();
    const p = plan({ users: [u], options: options({}), links: new Map([['1', legacyLink(u)]]) });
    expect(p.actions).toEqual([]);
    expect(p.unchanged).toBe(1);
    // …and with the option on, they get the caller ID and nothing else.
    const on = plan({ users: [u], links: new Map([['1', legacyLink(u)]]) });
    expect(on.actions).toEqual([expect.objectContaining({ kind: 'update', changes: { outboundCallerId: ours('+14255550100') } })]);
  });
});

describe('fieldsHash and changedFields with a caller ID', () => {
  const base = desiredPbxFields(user(), portSipProfile);
  it('hashes absent and null alike, and a caller ID apart from both', () => {
    const { outboundCallerId: _drop, ...absent } = base;
    expect(fieldsHash(absent)).toBe(fieldsHash({ ...base, outboundCallerId: null }));
    expect(fieldsHash({ ...base, outboundCallerId: ours('+14255550100') })).not.toBe(fieldsHash(base));
    expect(fieldsHash({ ...base, outboundCallerId: ours('+14255550100') })).not.toBe(
      fieldsHash({ ...base, outboundCallerId: { providerId: 'trunk-2', callerId: '+14255550100' } }),
    );
  });

  it('compares caller IDs by value and sends one only when it differs', () => {
    const withId = { ...base, outboundCallerId: ours('+14255550100') };
    expect(changedFields(withId, { ...base, outboundCallerId: ours('+14255550100') })).toEqual({});
    expect(changedFields(base, withId)).toEqual({ outboundCallerId: ours('+14255550100') });
    expect(changedFields(undefined, base)).not.toHaveProperty('outboundCallerId');
    expect(changedFields(undefined, withId)).toHaveProperty('outboundCallerId', ours('+14255550100'));
  });
});

describe('optionsHash', () => {
  it('is what it was before the option existed while the option is off, and changes with it', () => {
    const off = options({});
    const legacy = createHash('sha256')
      .update(
        JSON.stringify({
          syncGuests: off.syncGuests,
          scope: off.scope,
          onDisabled: off.onDisabled,
          onSoftDeleted: off.onSoftDeleted,
          onHardDeleted: off.onHardDeleted,
          onOutOfScope: off.onOutOfScope,
        }),
      )
      .digest('hex')
      .slice(0, 16);
    expect(optionsHash(off)).toBe(legacy);
    expect(optionsHash(options())).not.toBe(legacy);
    expect(optionsHash(options({ outboundCallerId: { ...CALLER_ID, providerId: 'trunk-2' } }))).not.toBe(optionsHash(options()));
  });
});
