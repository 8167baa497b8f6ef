import { z } from 'zod';
import { isAppError } from '../core/errors/AppError';
import { migrateTenantConfig } from './migrateTenantConfig';
import { TenantConfigSchema } from './TenantConfig';
import { type MigrateOptions } from './createTenantConfigMigrator';
import { TENANT_CONFIG_SCHEMA_VERSION, UNVERSIONED_TENANT_CONFIG_SCHEMA_VERSION } from './tenantConfigSchemaVersion';

/** Raw JSON → migrated → validated; a version this code cannot read becomes an issue on `schemaVersion`. */
function migratedTenantConfigSchema(options: MigrateOptions) {
  return z
    .unknown()
    .transform((raw, ctx): unknown => {
      try {
        return migrateTenantConfig(raw, options);
      } catch (err) {
        if (!isAppError(err, 'UNPROCESSABLE')) throw err;
        ctx.issues.push({ code: 'custom', path: ['schemaVersion'], message: err.message, input: raw });
        return z.NEVER;
      }
    })
    .pipe(TenantConfigSchema);
}

/** A configuration read from the tenants table: a row without `schemaVersion` predates versions (version 1). */
export const StoredTenantConfigSchema = migratedTenantConfigSchema({ versionIfMissing: UNVERSIONED_TENANT_CONFIG_SCHEMA_VERSION });

/**
 * A configuration sent to the admin API: without `schemaVersion` it is taken as today's shape; an older version
 * is migrated like a stored row, so a saved request body keeps working after an upgrade.
 */
export const TenantConfigRequestSchema = migratedTenantConfigSchema({ versionIfMissing: TENANT_CONFIG_SCHEMA_VERSION });
