import { type ConfigMigrations, type RawConfigObject, type TenantConfigMigration } from './ConfigMigration';

const isObject = (value: unknown): value is RawConfigObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Upgrades of the tenant-level fields (displayName, microsoft365, pbx, schedule, …); each feature upgrades its
 * own section through its manifest. Steps are never edited once released: a stored row may still need them.
 */
export const tenantConfigMigrations: ConfigMigrations<TenantConfigMigration> = {
  // 1 → 2: versions begin. The shape did not change (pbx.kind was required from the start); the migrator
  // only stamps schemaVersion.
  1: (config) => config,
  // 2 → 3: a tenant can only use its own secrets. The connector derives every secret name from the tenant id
  // (tenant-<id>-pbx, tenant-<id>-graph, tenant-<id>-graph-cert), so the fields that named a secret — or, for
  // the sandbox kind, held the token — are dropped. Nothing is copied from the secret a row named: that name
  // may be another tenant's (the very hole this closes), so the operator writes the credential again through
  // PUT /api/tenants/{id}/secrets/pbx and …/graph; until then the tenant answers NOT_READY saying so.
  2: (config) => {
    if (isObject(config.pbx)) delete config.pbx.credentialSecretName;
    const microsoft365 = config.microsoft365;
    if (isObject(microsoft365) && isObject(microsoft365.auth)) {
      const auth = microsoft365.auth;
      if (auth.kind === 'clientSecret') delete auth.secretName;
      if (auth.kind === 'certificate') delete auth.certificateName;
      if (auth.kind === 'sandbox') delete auth.token;
    }
    return config;
  },
};
