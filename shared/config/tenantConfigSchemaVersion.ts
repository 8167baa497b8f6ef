/**
 * The version of the tenant configuration's shape that this code reads and writes. Raising it goes with a
 * migration step from the previous version (tenantConfigMigrations.ts or a feature manifest's `migrations`);
 * createTenantConfigMigrator refuses steps that could never run.
 *
 * 1: stored before versions existed · 2: versions begin (same shape) · 3: configurations name no secrets
 * (the connector derives every secret name from the tenant id: shared/platform/secrets/tenantSecretNames.ts) ·
 * 4: users `onDeleted` splits into `onSoftDeleted` / `onHardDeleted`; `numbering.quarantineDays`,
 * `outboundCallerId` (usersMigrations.ts).
 */
export const TENANT_CONFIG_SCHEMA_VERSION = 4;

/** Configurations were stored without `schemaVersion` before versions existed; such a row is version 1. */
export const UNVERSIONED_TENANT_CONFIG_SCHEMA_VERSION = 1;
