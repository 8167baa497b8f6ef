import { AppError } from '../core/errors/AppError';
import { type ConfigMigrations, type RawConfigObject, type SectionMigration, type TenantConfigMigration } from './ConfigMigration';

export interface TenantConfigMigratorSpec {
  /** The version the chain ends at: what the code validates and writes. */
  currentVersion: number;
  /** Steps for the tenant-level fields. */
  tenantMigrations: ConfigMigrations<TenantConfigMigration>;
  /** Each feature's steps for its own section (the section is `config[name]`). */
  features: readonly { name: string; migrations?: ConfigMigrations<SectionMigration> }[];
}

export interface MigrateOptions {
  /**
   * The version of a configuration without `schemaVersion`: 1 for a stored row (written before versions
   * existed), the current version for a request body (callers write today's shape without saying so).
   */
  versionIfMissing: number;
}

/** Upgrades raw configuration JSON to the current version; pure (the input is never changed). */
export type TenantConfigMigrator = (raw: unknown, options: MigrateOptions) => unknown;

/**
 * Builds the migrator for a set of steps. From the configuration's version up to the current one, each
 * version's step runs on the tenant-level fields, then each feature's step on its section (in manifest order),
 * then `schemaVersion` is stamped. Validation comes after: migrations only move and rename, they do not judge.
 * A version newer than `currentVersion` (written by a newer connector) is refused with UNPROCESSABLE — guessing
 * would silently drop options.
 */
export function createTenantConfigMigrator(spec: TenantConfigMigratorSpec): TenantConfigMigrator {
  assertStepsCanRun('tenant', spec.tenantMigrations, spec.currentVersion);
  for (const feature of spec.features) assertStepsCanRun(`feature ${feature.name}`, feature.migrations ?? {}, spec.currentVersion);

  return (raw, { versionIfMissing }) => {
    // Not an object: nothing to migrate, and validation names the problem better than we could.
    if (!isRawConfigObject(raw)) return raw;
    const from = versionOf(raw, versionIfMissing, spec.currentVersion);
    let config = structuredClone(raw);
    for (let version = from; version < spec.currentVersion; version++) {
      config = spec.tenantMigrations[version]?.(config) ?? config;
      for (const feature of spec.features) {
        const step = feature.migrations?.[version];
        if (!step) continue;
        const section = step(config[feature.name]);
        if (section === undefined) delete config[feature.name];
        else config[feature.name] = section;
      }
      config.schemaVersion = version + 1;
    }
    // Stamped even when nothing ran, so a body sent without a version comes out current.
    return { ...config, schemaVersion: spec.currentVersion };
  };
}

function versionOf(config: RawConfigObject, versionIfMissing: number, currentVersion: number): number {
  const version = config.schemaVersion === undefined ? versionIfMissing : config.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw versionError(`schemaVersion must be an integer from 1 to ${currentVersion}`);
  }
  if (version > currentVersion) {
    throw versionError(
      `schemaVersion ${version} is newer than this connector knows (${currentVersion}); ` +
        `update the connector, or send a version-${currentVersion} configuration`,
    );
  }
  return version;
}

function versionError(message: string): AppError {
  return new AppError('UNPROCESSABLE', message, { details: [{ path: 'schemaVersion', message }] });
}

/** A step at or beyond the current version would never run: most likely the version was not raised with it. */
function assertStepsCanRun(owner: string, migrations: ConfigMigrations<unknown>, currentVersion: number): void {
  for (const key of Object.keys(migrations)) {
    const from = Number(key);
    if (!Number.isInteger(from) || from < 1 || from >= currentVersion) {
      throw new AppError(
        'INTERNAL',
        `${owner} has a migration from version ${key}, which never runs with schema version ${currentVersion}: ` +
          'steps go from 1 up to the version before the current one (raise TENANT_CONFIG_SCHEMA_VERSION with a new step)',
      );
    }
  }
}

function isRawConfigObject(value: unknown): value is RawConfigObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
