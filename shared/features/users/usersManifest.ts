import { type FeatureManifest } from '../FeatureManifest';
import { UserSyncOptionsSchema } from './usersOptions';

/** Users → extensions. */
export const usersManifest = {
  name: 'users',
  lane: 'directory',
  options: UserSyncOptionsSchema,
} as const satisfies FeatureManifest;
