/**
 * The version of the tenant configuration's shape that this code reads and writes. Raising it goes with a
 * migration step from the previous version (tenantConfigMigrations.ts or a feature manifest's `migrations`);
 * createTenantConfigMigrator refuses steps that could never run.
 */
export const TENANT_CONFIG_SCHEMA_VERSION = 2;

/** Configurations were stored without `schemaVersion` before versions existed; such a row is version 1. */
export const UNVERSIONED_TENANT_CONFIG_SCHEMA_VERSION = 1;
