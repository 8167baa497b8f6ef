import { type Feature } from '../Feature';
import { groupsManifest } from './groupsManifest';
import { type GroupSyncOptions } from './groupsOptions';
import { runGroupSync } from './runGroupSync';
import { teardownGroups } from './teardownGroups';

/** Groups → PBX extension groups, as a feature of the engine. */
export const groupsFeature: Feature<GroupSyncOptions> = {
  manifest: groupsManifest,
  optionsFor: (config) => (config.groups.enabled ? config.groups : undefined),
  reconcileOnSchedule: true,
  // Creation, renames, membership changes and soft deletes arrive as `updated`, permanent deletion as `deleted`.
  subscriptions: () => [{ graphResource: 'groups', changeType: 'updated,deleted', maxLifetimeMinutes: 41_760 }],
  /**
   * A user the users feature linked, renumbered or unlinked changes the members of the groups they belong
   * to: the events go to the inbox and a delta run applies them (a truncated batch, an initial sync, asks for
   * a full run instead).
   */
  onLinkEvents: (batch) => (batch.feature === 'users' ? { mode: 'delta', keepEvents: true } : undefined),
  teardown: teardownGroups,
  sync: (context, request) => runGroupSync(context, request),
};
