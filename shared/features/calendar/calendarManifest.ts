import { type FeatureManifest } from '../FeatureManifest';
import { CalendarOptionsSchema } from './calendarOptions';

/** Calendar "show as" → PBX status, in the realtime lane (its transitions are timers there). */
export const calendarManifest = {
  name: 'calendar',
  lane: 'realtime',
  options: CalendarOptionsSchema,
  pbxCapability: 'presence',
} as const satisfies FeatureManifest;
