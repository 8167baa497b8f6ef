import { type ConfigMigrations, type TenantConfigMigration } from './ConfigMigration';

/**
 * Upgrades of the tenant-level fields (displayName, microsoft365, pbx, schedule, …); each feature upgrades its
 * own section through its manifest. Steps are never edited once released: a stored row may still need them.
 */
export const tenantConfigMigrations: ConfigMigrations<TenantConfigMigration> = {
  // 1 → 2: versions begin. The shape did not change (pbx.kind was required from the start); the migrator
  // only stamps schemaVersion.
  1: (config) => config,
};
