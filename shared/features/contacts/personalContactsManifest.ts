import { type FeatureManifest } from '../FeatureManifest';
import { PersonalContactsOptionsSchema } from './personalContactsOptions';

/** Each synced user's Outlook contacts → their personal PBX contacts. */
export const personalContactsManifest = {
  name: 'personalContacts',
  lane: 'directory',
  options: PersonalContactsOptionsSchema,
  pbxCapability: 'personalContacts',
} as const satisfies FeatureManifest;
