import { type FeatureManifest } from '../FeatureManifest';
import { PresenceOptionsSchema } from './presenceOptions';

/** Teams presence → PBX status, in the realtime lane. */
export const presenceManifest = {
  name: 'presence',
  lane: 'realtime',
  options: PresenceOptionsSchema,
  pbxCapability: 'presence',
} as const satisfies FeatureManifest;
