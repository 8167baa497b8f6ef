import { type ConfigMigrations, type SectionMigration } from '../../config/ConfigMigration';

/** Upgrades of the `users` section, keyed by the tenant schemaVersion they start from. */
export const usersMigrations: ConfigMigrations<SectionMigration> = {
  // 1 → 2: unchanged.
  1: (users) => users,
  // 3 → 4: `onDeleted` splits into `onSoftDeleted` (the user is still restorable) and `onHardDeleted`. The
  // old value keeps deciding permanent deletes. For soft deletes a stored `delete` (the old default, written
  // into every stored row) becomes `disable`: deleting a restorable user's extension gives its number away,
  // which no restore can undo; `disable` and `retain` were explicit choices and are kept.
  3: (users) => {
    if (typeof users !== 'object' || users === null || Array.isArray(users)) return users;
    const section = users as Record<string, unknown>;
    if (!('onDeleted' in section)) return section;
    const { onDeleted, ...rest } = section;
    return {
      ...rest,
      onSoftDeleted: rest.onSoftDeleted ?? (onDeleted === 'delete' ? 'disable' : onDeleted),
      onHardDeleted: rest.onHardDeleted ?? onDeleted,
    };
  },
};
