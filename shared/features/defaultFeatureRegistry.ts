import { FeatureRegistry } from './FeatureRegistry';
import { groupsFeature } from './groups/groupsFeature';
import { usersFeature } from './users/usersFeature';

/**
 * The registry of features, part two: their runtimes (part one, featureManifests.ts, lists their
 * manifests for the configuration schema). A new feature adds itself to both lists; nothing else names it.
 */
export function defaultFeatureRegistry(): FeatureRegistry {
  return new FeatureRegistry([usersFeature, groupsFeature]);
}
