import { featureManifests } from '../features/featureManifests';
import { createTenantConfigMigrator } from './createTenantConfigMigrator';
import { tenantConfigMigrations } from './tenantConfigMigrations';
import { TENANT_CONFIG_SCHEMA_VERSION } from './tenantConfigSchemaVersion';

/** Upgrades raw tenant configuration JSON (a stored row, a request body) to TENANT_CONFIG_SCHEMA_VERSION. */
export const migrateTenantConfig = createTenantConfigMigrator({
  currentVersion: TENANT_CONFIG_SCHEMA_VERSION,
  tenantMigrations: tenantConfigMigrations,
  features: featureManifests,
});
