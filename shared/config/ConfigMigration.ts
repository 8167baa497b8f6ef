/** Raw configuration JSON before validation: anything may be missing or of the wrong type. */
export type RawConfigObject = Record<string, unknown>;

/**
 * One step of the tenant-level chain: the whole raw configuration at version N becomes version N+1. It gets
 * its own copy (it may change it in place) and must not depend on anything but its input; the migrator stamps
 * `schemaVersion` itself.
 */
export type TenantConfigMigration = (config: RawConfigObject) => RawConfigObject;

/**
 * One step of a feature's chain: its raw section at tenant version N becomes version N+1. The section may be
 * absent (undefined) or malformed — leave what you do not recognise as it is and let validation report it;
 * returning undefined removes the section.
 */
export type SectionMigration = (section: unknown) => unknown;

/** Steps keyed by the version they upgrade from: `{ 1: step }` turns a version-1 value into version 2. */
export type ConfigMigrations<Step> = Readonly<Partial<Record<number, Step>>>;
