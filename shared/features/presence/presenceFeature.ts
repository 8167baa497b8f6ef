import { type Feature } from '../Feature';
import { presenceManifest } from './presenceManifest';
import { type PresenceOptions } from './presenceOptions';
import { runPresenceSync } from './runPresenceSync';

/**
 * Teams presence → PBX status, as a feature of the engine. Graph offers app-only presence only by polling, so
 * the polling itself is a chain of presence jobs per tenant (processPresenceJob), not the scheduled
 * reconcile; a run of this feature ("Sync now", the CLI) is one full pass over every synced user that also
 * re-asserts every status the connector holds the PBX to, recorded like any run.
 */
export const presenceFeature: Feature<PresenceOptions> = {
  manifest: presenceManifest,
  optionsFor: (config) => (config.presence.enabled ? config.presence : undefined),
  reconcileOnSchedule: false,
  subscriptions: () => [],
  sync: (context, request) => runPresenceSync(context, request),
};
