import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type RawConfigObject } from '../../../shared/config/ConfigMigration';
import { createTenantConfigMigrator } from '../../../shared/config/createTenantConfigMigrator';
import { TenantConfigSchema } from '../../../shared/config/TenantConfig';
import { tenantConfigMigrations } from '../../../shared/config/tenantConfigMigrations';
import { usersManifest } from '../../../shared/features/users/usersManifest';
import { RemovalPolicySchema, UserSyncOptionsSchema } from '../../../shared/features/users/usersOptions';
import { tenantConfigFixture } from '../../fixtures/tenantConfigs/tenantConfigFixture';
import { expectedTenantConfigs } from '../../fixtures/tenantConfigs/expectedTenantConfigs';

const stored = { versionIfMissing: 1 };
const isObject = (value: unknown): value is RawConfigObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A hypothetical version 4, registered through the same fields the real steps use: the tenant renames
 * `displayName` to `name`, the users feature splits `onDeleted` in two, and a new `contacts` feature appears.
 */
const usersV4 = UserSyncOptionsSchema.omit({ onDeleted: true }).extend({
  onSoftDeleted: RemovalPolicySchema.default('disable'),
  onHardDeleted: RemovalPolicySchema.default('delete'),
});
const TenantConfigV4Schema = TenantConfigSchema.omit({ displayName: true }).extend({
  schemaVersion: z.literal(4),
  name: z.string().min(1),
  users: usersV4.default(usersV4.parse({})),
  contacts: z.object({ enabled: z.boolean() }).strict(),
});
const migrateToV4 = createTenantConfigMigrator({
  currentVersion: 4,
  tenantMigrations: {
    ...tenantConfigMigrations,
    3: ({ displayName, ...config }) => ({ ...config, name: displayName }),
  },
  features: [
    {
      ...usersManifest,
      migrations: {
        ...usersManifest.migrations,
        3: (users) => {
          if (!isObject(users) || !('onDeleted' in users)) return users;
          const { onDeleted, ...rest } = users;
          return { ...rest, onSoftDeleted: onDeleted, onHardDeleted: onDeleted };
        },
      },
    },
    // A feature new in version 4: older configurations get its section with the behaviour they had (off).
    { name: 'contacts', migrations: { 3: (contacts) => contacts ?? { enabled: false } } },
  ],
});

describe('createTenantConfigMigrator', () => {
  it('runs a registered version 3 → 4 step of the tenant and of each feature after the real 1 → 2 → 3 steps', () => {
    const migrated = migrateToV4(tenantConfigFixture('full'), stored);
    const { displayName, users, ...unchanged } = expectedTenantConfigs.full;
    const { onDeleted, ...otherUserOptions } = users;
    expect(TenantConfigV4Schema.parse(migrated)).toEqual({
      ...unchanged,
      schemaVersion: 4,
      name: displayName,
      users: { ...otherUserOptions, onSoftDeleted: onDeleted, onHardDeleted: onDeleted },
      contacts: { enabled: false },
    });
  });

  it('starts from the stored version: a version-3 configuration only takes the 3 → 4 steps', () => {
    const { name, contacts: _contacts, ...current } = migrateToV4(tenantConfigFixture('minimal'), stored) as RawConfigObject;
    const v3: RawConfigObject = { ...current, schemaVersion: 3, displayName: name };
    const migrated = migrateToV4(v3, stored) as RawConfigObject;
    expect(migrated).toMatchObject({ schemaVersion: 4, name: 'Contoso', contacts: { enabled: false } });
    expect(migrated).not.toHaveProperty('displayName');
    expect(migrateToV4(migrated, stored)).toEqual(migrated);
  });

  it('leaves a section it does not recognise for validation to report', () => {
    const migrated = migrateToV4({ ...tenantConfigFixture('minimal'), users: 'garbage' }, stored);
    expect(migrated).toMatchObject({ users: 'garbage', schemaVersion: 4 });
    expect(TenantConfigV4Schema.safeParse(migrated).error?.issues.map((i) => i.path.join('.'))).toEqual(['users']);
  });

  it('applies the steps of one version in order: the tenant step, then the features in manifest order', () => {
    const seen: string[] = [];
    const migrate = createTenantConfigMigrator({
      currentVersion: 3,
      tenantMigrations: {
        1: (config) => (seen.push('tenant 1'), config),
        2: (config) => (seen.push('tenant 2'), config),
      },
      features: [
        { name: 'a', migrations: { 1: (a) => (seen.push('a 1'), a), 2: (a) => (seen.push('a 2'), a) } },
        { name: 'b', migrations: { 2: (b) => (seen.push('b 2'), b) } },
      ],
    });
    migrate({}, stored);
    expect(seen).toEqual(['tenant 1', 'a 1', 'tenant 2', 'a 2', 'b 2']);
  });

  it('removes a section whose step returns undefined', () => {
    const migrate = createTenantConfigMigrator({
      currentVersion: 2,
      tenantMigrations: {},
      features: [{ name: 'legacy', migrations: { 1: () => undefined } }],
    });
    expect(migrate({ displayName: 'x', legacy: { on: true } }, stored)).toEqual({ displayName: 'x', schemaVersion: 2 });
  });

  it.each([
    ['a tenant step from the current version', { currentVersion: 2, tenantMigrations: { 2: (c: RawConfigObject) => c }, features: [] }],
    [
      'a feature step from the current version',
      { currentVersion: 2, tenantMigrations: {}, features: [{ name: 'users', migrations: { 2: (u: unknown) => u } }] },
    ],
    ['a step from version 0', { currentVersion: 2, tenantMigrations: { 0: (c: RawConfigObject) => c }, features: [] }],
  ])('refuses %s: it could never run (the version was not raised with it)', (_, spec) => {
    expect(() => createTenantConfigMigrator(spec)).toThrow(/never runs with schema version 2/);
  });
});
