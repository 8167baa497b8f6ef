import { type FeatureManifest } from '../FeatureManifest';
import { CallStateOptionsSchema } from './callStateOptions';

/** PBX calls → Teams presence, in the realtime lane (each PBX call event is a job there). */
export const callStateManifest = {
  name: 'callState',
  lane: 'realtime',
  options: CallStateOptionsSchema,
  pbxCapability: 'callEvents',
} as const satisfies FeatureManifest;
