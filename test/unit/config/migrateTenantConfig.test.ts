import { describe, expect, it } from 'vitest';
import { migrateTenantConfig } from '../../../shared/config/migrateTenantConfig';
import { TenantConfigSchema } from '../../../shared/config/TenantConfig';
import { TENANT_CONFIG_SCHEMA_VERSION } from '../../../shared/config/tenantConfigSchemaVersion';
import { AppError } from '../../../shared/core/errors/AppError';
import { tenantConfigFixture, tenantConfigFixtureNames } from '../../fixtures/tenantConfigs/tenantConfigFixture';
import { expectedTenantConfigs } from '../../fixtures/tenantConfigs/expectedTenantConfigs';

const stored = { versionIfMissing: 1 };

function appErrorOf(work: () => unknown): AppError {
  try {
    work();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError, but the call succeeded');
}

describe('migrateTenantConfig', () => {
  it('starts at version 2', () => {
    expect(TENANT_CONFIG_SCHEMA_VERSION).toBe(2);
  });

  it.each(tenantConfigFixtureNames)('migrates the version-1 fixture %s into a valid current configuration', (name) => {
    const migrated = migrateTenantConfig(tenantConfigFixture(name), stored);
    expect(TenantConfigSchema.parse(migrated)).toEqual(expectedTenantConfigs[name]);
  });

  it.each(tenantConfigFixtureNames)('is stable: migrating %s a second time changes nothing', (name) => {
    const once = migrateTenantConfig(tenantConfigFixture(name), stored);
    expect(migrateTenantConfig(once, stored)).toEqual(once);
    expect(migrateTenantConfig(TenantConfigSchema.parse(once), stored)).toEqual(TenantConfigSchema.parse(once));
  });

  it('leaves its input untouched', () => {
    const input = tenantConfigFixture('full');
    const before = structuredClone(input);
    const migrated = migrateTenantConfig(input, stored);
    expect(input).toEqual(before);
    expect(migrated).not.toBe(input);
  });

  it('migrates a hand-written version-1 row with its defaults left out; validation fills them in', () => {
    const { displayName, microsoft365, pbx } = tenantConfigFixture('minimal');
    const migrated = migrateTenantConfig({ displayName, microsoft365, pbx }, stored);
    expect(migrated).toEqual({ displayName, microsoft365, pbx, schemaVersion: 2 });
    expect(TenantConfigSchema.parse(migrated)).toEqual(expectedTenantConfigs.minimal);
  });

  it('takes a configuration without schemaVersion as the version the caller names', () => {
    const body = { displayName: 'x' };
    expect(migrateTenantConfig(body, { versionIfMissing: TENANT_CONFIG_SCHEMA_VERSION })).toEqual({ displayName: 'x', schemaVersion: 2 });
    expect(migrateTenantConfig({ ...body, schemaVersion: 1 }, { versionIfMissing: 2 })).toEqual({ displayName: 'x', schemaVersion: 2 });
  });

  it('refuses a version newer than the code knows, naming both versions', () => {
    const err = appErrorOf(() => migrateTenantConfig({ ...tenantConfigFixture('minimal'), schemaVersion: 3 }, stored));
    expect(err.code).toBe('UNPROCESSABLE');
    expect(err.message).toBe(
      'schemaVersion 3 is newer than this connector knows (2); update the connector, or send a version-2 configuration',
    );
    expect(err.details).toEqual([{ path: 'schemaVersion', message: err.message }]);
  });

  it.each([0, -1, 1.5, '2', null, true])('refuses schemaVersion %j', (schemaVersion) => {
    const err = appErrorOf(() => migrateTenantConfig({ displayName: 'x', schemaVersion }, stored));
    expect(err.code).toBe('UNPROCESSABLE');
    expect(err.message).toBe('schemaVersion must be an integer from 1 to 2');
  });

  it.each([null, 'text', 42, [1, 2]])('passes %j through for validation to report', (raw) => {
    expect(migrateTenantConfig(raw, stored)).toEqual(raw);
  });
});
