import { describe, expect, it } from 'vitest';
import { groupKind, isGroupInScope } from '../../../../shared/features/groups/isGroupInScope';
import { GroupSyncOptionsSchema } from '../../../../shared/features/groups/groupsOptions';

const ID = '3F2504E0-4F89-41D3-9A0C-0305E82C3301';
const security = { id: ID, displayName: 'Sales', groupTypes: [], securityEnabled: true, mailEnabled: false };
const m365 = { id: ID, displayName: 'Sales', groupTypes: ['Unified'], securityEnabled: true, mailEnabled: true };
const distribution = { id: ID, displayName: 'Sales', groupTypes: [], securityEnabled: false, mailEnabled: true };
const scope = (input: unknown) => GroupSyncOptionsSchema.parse({ scope: input }).scope;

describe('groupKind', () => {
  it('tells Microsoft 365, security and other groups apart', () => {
    expect(groupKind(m365)).toBe('MICROSOFT365');
    expect(groupKind(security)).toBe('SECURITY');
    expect(groupKind({ ...security, securityEnabled: true, mailEnabled: true })).toBe('SECURITY');
    expect(groupKind(distribution)).toBe('OTHER');
    expect(groupKind({ groupTypes: ['DynamicMembership', 'unified'] })).toBe('MICROSOFT365');
  });
});

describe('isGroupInScope', () => {
  it('ALL takes every group, distribution lists too', () => {
    expect(isGroupInScope(distribution, scope({ mode: 'ALL' }))).toBe(true);
  });

  it('TYPES takes the named kinds only', () => {
    const onlySecurity = scope({ mode: 'TYPES', types: ['SECURITY'] });
    expect(isGroupInScope(security, onlySecurity)).toBe(true);
    expect(isGroupInScope(m365, onlySecurity)).toBe(false);
    expect(isGroupInScope(distribution, scope({ mode: 'TYPES', types: ['SECURITY', 'MICROSOFT365'] }))).toBe(false);
    expect(isGroupInScope(m365, scope({ mode: 'TYPES', types: ['MICROSOFT365'] }))).toBe(true);
  });

  it('CHOSEN compares ids without case', () => {
    expect(isGroupInScope(security, scope({ mode: 'CHOSEN', groups: [ID.toLowerCase()] }))).toBe(true);
    expect(isGroupInScope({ ...security, id: ID.toLowerCase() }, scope({ mode: 'CHOSEN', groups: [ID] }))).toBe(true);
    expect(isGroupInScope(security, scope({ mode: 'CHOSEN', groups: ['9b2f6a1c-0d4e-4b8f-a1c2-3d4e5f6a7b8c'] }))).toBe(false);
  });
});

describe('GroupSyncOptionsSchema', () => {
  it('defaults to off, all groups, direct members, delete on both policies', () => {
    expect(GroupSyncOptionsSchema.parse({})).toEqual({
      enabled: false,
      scope: { mode: 'ALL' },
      membership: 'DIRECT',
      onDeleted: 'delete',
      onOutOfScope: 'delete',
    });
  });

  it('refuses what it does not know, with the field named', () => {
    const bad = [
      { scope: { mode: 'TYPES', types: [] } },
      { scope: { mode: 'TYPES', types: ['DISTRIBUTION'] } },
      { scope: { mode: 'CHOSEN', groups: ['sales'] } },
      { scope: { mode: 'CHOSEN', groups: [] } },
      { scope: { mode: 'ALL', groups: [ID] } },
      { membership: 'NESTED' },
      { onDeleted: 'disable' },
      { onOutOfScope: 'keep' },
      { enabled: true, extra: 1 },
    ];
    for (const input of bad) expect(GroupSyncOptionsSchema.safeParse(input).success, JSON.stringify(input)).toBe(false);
  });

  it('sorts and de-duplicates chosen ids and types, so the options hash does not change with their order', () => {
    const parsed = GroupSyncOptionsSchema.parse({
      scope: { mode: 'CHOSEN', groups: ['9B2F6A1C-0D4E-4B8F-A1C2-3D4E5F6A7B8C', ID, '9b2f6a1c-0d4e-4b8f-a1c2-3d4e5f6a7b8c'] },
    });
    expect(parsed.scope).toEqual({ mode: 'CHOSEN', groups: [ID.toLowerCase(), '9b2f6a1c-0d4e-4b8f-a1c2-3d4e5f6a7b8c'] });
    expect(GroupSyncOptionsSchema.parse({ scope: { mode: 'TYPES', types: ['SECURITY', 'MICROSOFT365', 'SECURITY'] } }).scope).toEqual({
      mode: 'TYPES',
      types: ['MICROSOFT365', 'SECURITY'],
    });
  });
});
