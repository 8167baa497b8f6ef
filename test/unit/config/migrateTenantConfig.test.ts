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
  it('is at version 4 (users onDeleted split into soft and hard)', () => {
    expect(TENANT_CONFIG_SCHEMA_VERSION).toBe(4);
  });

  it.each(tenantConfigFixtureNames)('migrates the stored fixture %s into a valid current configuration', (name) => {
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
    expect(migrated).toEqual({
      displayName,
      microsoft365: { ...(microsoft365 as object), auth: { kind: 'certificate' } },
      pbx: Object.fromEntries(Object.entries(pbx as object).filter(([key]) => key !== 'credentialSecretName')),
      schemaVersion: 4,
    });
    expect(TenantConfigSchema.parse(migrated)).toEqual(expectedTenantConfigs.minimal);
  });

  it('2 → 3 drops every field that named a secret (or held the sandbox token), whatever secret it named', () => {
    const migrated = migrateTenantConfig(tenantConfigFixture('v2-certificate'), stored) as Record<string, any>;
    expect(JSON.stringify(migrated)).not.toMatch(/contoso-pbx-admin|contoso-graph|credentialSecretName|certificateName/);
    expect(migrated.pbx).not.toHaveProperty('credentialSecretName');
    expect(migrated.microsoft365.auth).toEqual({ kind: 'certificate' });
    const clientSecret = migrateTenantConfig(tenantConfigFixture('full'), stored) as Record<string, any>;
    expect(clientSecret.microsoft365.auth).toEqual({ kind: 'clientSecret' });
    const sandbox = migrateTenantConfig(tenantConfigFixture('v2-sandbox'), stored) as Record<string, any>;
    expect(sandbox.microsoft365.auth).toEqual({ kind: 'sandbox', graphBaseUrl: 'http://127.0.0.1:7081' });
    expect(JSON.stringify(sandbox)).not.toContain('sandbox-graph-token');
  });

  it('2 → 3 leaves what it does not recognise for validation to report', () => {
    const odd = { schemaVersion: 2, displayName: 'x', microsoft365: 'garbage', pbx: ['not', 'an', 'object'] };
    expect(migrateTenantConfig(odd, stored)).toEqual({ ...odd, schemaVersion: 4 });
    const unknownKind = { schemaVersion: 2, microsoft365: { auth: { kind: 'federated', secretName: 'x' } } };
    expect(migrateTenantConfig(unknownKind, stored)).toEqual({ ...unknownKind, schemaVersion: 4 });
  });

  it('a current (version-3) body that still names a secret is refused, not silently obeyed', () => {
    const body = migrateTenantConfig(tenantConfigFixture('minimal'), stored) as Record<string, any>;
    const naming = { ...body, pbx: { ...body.pbx, credentialSecretName: 'contoso-pbx-admin' } };
    expect(TenantConfigSchema.safeParse(naming).success).toBe(false);
    const namingGraph = { ...body, microsoft365: { ...body.microsoft365, auth: { kind: 'clientSecret', secretName: 'x' } } };
    expect(TenantConfigSchema.safeParse(namingGraph).success).toBe(false);
  });

  it('takes a configuration without schemaVersion as the version the caller names', () => {
    const body = { displayName: 'x' };
    expect(migrateTenantConfig(body, { versionIfMissing: TENANT_CONFIG_SCHEMA_VERSION })).toEqual({ displayName: 'x', schemaVersion: 4 });
    expect(migrateTenantConfig({ ...body, schemaVersion: 1 }, { versionIfMissing: 3 })).toEqual({ displayName: 'x', schemaVersion: 4 });
  });

  it('refuses a version newer than the code knows, naming both versions', () => {
    const err = appErrorOf(() => migrateTenantConfig({ ...tenantConfigFixture('minimal'), schemaVersion: 5 }, stored));
    expect(err.code).toBe('UNPROCESSABLE');
    expect(err.message).toBe(
      'schemaVersion 5 is newer than this connector knows (4); update the connector, or send a version-4 configuration',
    );
    expect(err.details).toEqual([{ path: 'schemaVersion', message: err.message }]);
  });

  it.each([0, -1, 1.5, '2', null, true])('refuses schemaVersion %j', (schemaVersion) => {
    const err = appErrorOf(() => migrateTenantConfig({ displayName: 'x', schemaVersion }, stored));
    expect(err.code).toBe('UNPROCESSABLE');
    expect(err.message).toBe('schemaVersion must be an integer from 1 to 4');
  });

  it('3 → 4 splits users onDeleted: a stored delete keeps deciding permanent deletes, soft deletes disable', () => {
    const v3 = (onDeleted: string) => ({ schemaVersion: 3, displayName: 'x', users: { onDeleted, adoptByEmail: true } });
    expect((migrateTenantConfig(v3('delete'), stored) as Record<string, any>).users).toEqual({
      adoptByEmail: true,
      onSoftDeleted: 'disable',
      onHardDeleted: 'delete',
    });
    expect((migrateTenantConfig(v3('retain'), stored) as Record<string, any>).users).toMatchObject({
      onSoftDeleted: 'retain',
      onHardDeleted: 'retain',
    });
    expect((migrateTenantConfig(v3('disable'), stored) as Record<string, any>).users).toMatchObject({
      onSoftDeleted: 'disable',
      onHardDeleted: 'disable',
    });
    // A version-3 row without users keeps having none (the defaults apply at validation).
    expect(migrateTenantConfig({ schemaVersion: 3, displayName: 'x' }, stored)).toEqual({ schemaVersion: 4, displayName: 'x' });
  });

  it.each([null, 'text', 42, [1, 2]])('passes %j through for validation to report', (raw) => {
    expect(migrateTenantConfig(raw, stored)).toEqual(raw);
  });
});
