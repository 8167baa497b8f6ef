import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type RawConfigObject } from '../../../shared/config/ConfigMigration';
import { createTenantConfigMigrator } from '../../../shared/config/createTenantConfigMigrator';
import { TenantConfigSchema } from '../../../shared/config/TenantConfig';
import { tenantConfigMigrations } from '../../../shared/config/tenantConfigMigrations';
import { usersManifest } from '../../../shared/features/users/usersManifest';
import { tenantConfigFixture } from '../../fixtures/tenantConfigs/tenantConfigFixture';
import { expectedTenantConfigs } from '../../fixtures/tenantConfigs/expectedTenantConfigs';

const stored = { versionIfMissing: 1 };

/**
 * A hypothetical version 5, registered through the same fields the real steps use: the tenant renames
 * `displayName` to `name`, and a new `contacts` feature appears.
 */
const TenantConfigV5Schema = TenantConfigSchema.omit({ displayName: true }).extend({
  schemaVersion: z.literal(5),
  name: z.string().min(1),
  contacts: z.object({ enabled: z.boolean() }).strict(),
});
const migrateToV5 = createTenantConfigMigrator({
  currentVersion: 5,
  tenantMigrations: {
    ...tenantConfigMigrations,
    4: ({ displayName, ...config }) => ({ ...config, name: displayName }),
  },
  features: [
    usersManifest,
    // A feature new in version 5: older configurations get its section with the behaviour they had (off).
    { name: 'contacts', migrations: { 4: (contacts) => contacts ?? { enabled: false } } },
  ],
});

describe('createTenantConfigMigrator', () => {
  it('runs a registered version 4 → 5 step of the tenant and of each feature after the real 1 → … → 4 steps', () => {
    const migrated = migrateToV5(tenantConfigFixture('full'), stored);
    const { displayName, ...unchanged } = expectedTenantConfigs.full;
    expect(TenantConfigV5Schema.parse(migrated)).toEqual({
      ...unchanged,
      schemaVersion: 5,
      name: displayName,
      contacts: { enabled: false },
    });
  });

  it('starts from the stored version: a version-4 configuration only takes the 4 → 5 steps', () => {
    const { name, contacts: _contacts, ...current } = migrateToV5(tenantConfigFixture('minimal'), stored) as RawConfigObject;
    const v4: RawConfigObject = { ...current, schemaVersion: 4, displayName: name };
    const migrated = migrateToV5(v4, stored) as RawConfigObject;
    expect(migrated).toMatchObject({ schemaVersion: 5, name: 'Contoso', contacts: { enabled: false } });
    expect(migrated).not.toHaveProperty('displayName');
    expect(migrateToV5(migrated, stored)).toEqual(migrated);
  });

  it('leaves a section it does not recognise for validation to report', () => {
    const migrated = migrateToV5({ ...tenantConfigFixture('minimal'), users: 'garbage' }, stored);
    expect(migrated).toMatchObject({ users: 'garbage', schemaVersion: 5 });
    expect(TenantConfigV5Schema.safeParse(migrated).error?.issues.map((i) => i.path.join('.'))).toEqual(['users']);
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
