import { type FeatureManifest } from '../FeatureManifest';
import { PhotoSyncOptionsSchema } from './photosOptions';

/** Entra profile photos → PBX pictures. */
export const photosManifest = {
  name: 'photos',
  lane: 'directory',
  options: PhotoSyncOptionsSchema,
  pbxCapability: 'avatars',
} as const satisfies FeatureManifest;
