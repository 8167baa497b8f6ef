import { type FeatureManifest } from '../FeatureManifest';
import { PhonebookOptionsSchema } from './phonebookOptions';

/** Shared mailboxes' contacts → the company phonebook. */
export const phonebookManifest = {
  name: 'phonebook',
  lane: 'directory',
  options: PhonebookOptionsSchema,
  pbxCapability: 'companyContacts',
} as const satisfies FeatureManifest;
