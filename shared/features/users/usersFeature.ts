import { type Feature } from '../Feature';
import { runUserSync } from './runUserSync';
import { usersManifest } from './usersManifest';
import { type UserSyncOptions } from './usersOptions';

/** Users → extensions, as a feature of the engine. */
export const usersFeature: Feature<UserSyncOptions> = {
  manifest: usersManifest,
  optionsFor: (config) => (config.users.enabled ? config.users : undefined),
  reconcileOnSchedule: true,
  // Creation and soft delete arrive as `updated`, permanent deletion as `deleted` (Graph's rule for users).
  subscriptions: () => [{ graphResource: 'users', changeType: 'updated,deleted', maxLifetimeMinutes: 41_760 }],
  sync: (context, request) => runUserSync(context, request),
};
