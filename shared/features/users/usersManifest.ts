import { type FeatureManifest } from '../FeatureManifest';
import { usersMigrations } from './usersMigrations';
import { UserSyncOptionsSchema } from './usersOptions';

/** Users → extensions. */
export const usersManifest = {
  name: 'users',
  lane: 'directory',
  options: UserSyncOptionsSchema,
  migrations: usersMigrations,
} as const satisfies FeatureManifest;
