import { type z } from 'zod';
import { personalContactsManifest } from './contacts/personalContactsManifest';
import { phonebookManifest } from './contacts/phonebookManifest';
import { groupsManifest } from './groups/groupsManifest';
import { photosManifest } from './photos/photosManifest';
import { presenceManifest } from './presence/presenceManifest';
import { calendarManifest } from './calendar/calendarManifest';
import { callStateManifest } from './callState/callStateManifest';
import { usersManifest } from './users/usersManifest';

/**
 * The registry of features, part one: their manifests. A new feature adds its manifest here and its
 * runtime to featureRegistry.ts; nothing else names it.
 */
export const featureManifests = [
  usersManifest,
  groupsManifest,
  personalContactsManifest,
  phonebookManifest,
  photosManifest,
  presenceManifest,
  calendarManifest,
  callStateManifest,
] as const;

type Manifest = (typeof featureManifests)[number];

/** The tenant configuration's feature sections: `{ [name]: options schema with its defaults }`. */
export function featureOptionSections(): { [M in Manifest as M['name']]: z.ZodDefault<M['options']> } {
  const section = (manifest: Manifest) => [manifest.name, (manifest.options as z.ZodType).default(manifest.options.parse({}))];
  return Object.fromEntries(featureManifests.map(section)) as {
    [M in Manifest as M['name']]: z.ZodDefault<M['options']>;
  };
}
