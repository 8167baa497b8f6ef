import { type FeatureManifest } from '../FeatureManifest';
import { GroupSyncOptionsSchema } from './groupsOptions';

/** Groups → PBX extension groups, with their members. */
export const groupsManifest = {
  name: 'groups',
  lane: 'directory',
  options: GroupSyncOptionsSchema,
  pbxCapability: 'groups',
} as const satisfies FeatureManifest;
