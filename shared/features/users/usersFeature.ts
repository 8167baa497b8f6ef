import { type Feature } from '../Feature';
import { runUserSync } from './runUserSync';
import { usersManifest } from './usersManifest';
import { teardownUsers } from './teardownUsers';
import { type UserSyncOptions } from './usersOptions';

/** Users → extensions, as a feature of the engine. */
export const usersFeature: Feature<UserSyncOptions> = {
  manifest: usersManifest,
  optionsFor: (config) => (config.users.enabled ? config.users : undefined),
  reconcileOnSchedule: true,
  // Creation and soft delete arrive as `updated`, permanent deletion as `deleted` (Graph's rule for users and
  // groups). A GROUPS scope also follows membership changes, which do not touch the user objects.
  subscriptions: (options) => [
    { graphResource: 'users', changeType: 'updated,deleted', maxLifetimeMinutes: 41_760 },
    ...(options.scope.mode === 'GROUPS' ? [{ graphResource: 'groups', changeType: 'updated,deleted', maxLifetimeMinutes: 41_760 }] : []),
  ],
  teardown: teardownUsers,
  sync: (context, request) => runUserSync(context, request),
};
