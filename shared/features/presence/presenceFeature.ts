import { type Feature } from '../Feature';
import { presenceManifest } from './presenceManifest';
import { type PresenceOptions } from './presenceOptions';
import { runPresenceSync } from './runPresenceSync';
import { planPresenceBatches } from './planPresenceBatches';
import { pollPresenceBatch } from './pollPresenceBatch';
import { teardownPresenceSource } from '../../engine/teardownConnectorPresence';

/**
 * Teams presence → PBX status, as a feature of the engine. Graph offers app-only presence only by polling, so
 * the feature polls (FeaturePolling: the engine's chain of poll jobs per tenant, processPollJob), rather than
 * taking part in the scheduled reconcile; a run of this feature ("Sync now", the CLI) is one full pass over every synced user that also
 * re-asserts every status the connector holds the PBX to, recorded like any run.
 */
export const presenceFeature: Feature<PresenceOptions> = {
  manifest: presenceManifest,
  optionsFor: (config) => (config.presence.enabled ? config.presence : undefined),
  reconcileOnSchedule: false,
  subscriptions: () => [],
  polling: {
    periodSeconds: (options) => options.pollSeconds,
    planCycle: planPresenceBatches,
    pollBatch: pollPresenceBatch,
  },
  // Every PBX status Teams presence set goes back to what it was (unless changed by hand since).
  teardown: (context, request) => teardownPresenceSource(context, 'teams', request),
  sync: (context, request) => runPresenceSync(context, request),
};
