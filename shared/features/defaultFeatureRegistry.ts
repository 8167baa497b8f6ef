import { FeatureRegistry } from './FeatureRegistry';
import { personalContactsFeature } from './contacts/personalContactsFeature';
import { phonebookFeature } from './contacts/phonebookFeature';
import { groupsFeature } from './groups/groupsFeature';
import { photosFeature } from './photos/photosFeature';
import { presenceFeature } from './presence/presenceFeature';
import { calendarFeature } from './calendar/calendarFeature';
import { callStateFeature } from './callState/callStateFeature';
import { usersFeature } from './users/usersFeature';

/**
 * The registry of features, part two: their runtimes (part one, featureManifests.ts, lists their
 * manifests for the configuration schema). A new feature adds itself to both lists; nothing else names it.
 */
export function defaultFeatureRegistry(): FeatureRegistry {
  return new FeatureRegistry([
    usersFeature,
    groupsFeature,
    personalContactsFeature,
    phonebookFeature,
    photosFeature,
    presenceFeature,
    calendarFeature,
    callStateFeature,
  ]);
}
