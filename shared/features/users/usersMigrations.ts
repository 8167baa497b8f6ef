import { type ConfigMigrations, type SectionMigration } from '../../config/ConfigMigration';

/** Upgrades of the `users` section, keyed by the tenant schemaVersion they start from. */
export const usersMigrations: ConfigMigrations<SectionMigration> = {
  // 1 → 2: unchanged. (onDeleted splitting into onSoftDeleted / onHardDeleted will be the next step here.)
  1: (users) => users,
};
