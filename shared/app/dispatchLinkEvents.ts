import { ensureError } from '../core/errors/ensureError';
import { type Logger } from '../core/logging/Logger';
import { type LinkEventBatch } from '../engine/LinkEvent';
import { type TenantConfig } from '../config/TenantConfig';
import { type LinkEventReaction } from '../features/Feature';
import { type RequestSyncDeps, requestSync } from './requestSync';
import { type Services } from './Services';

export type DispatchLinkEventsDeps = RequestSyncDeps & Pick<Services, 'deltaRequests' | 'linkEventInbox'>;

/**
 * Hands one run's link events to every other feature that is on for the tenant and reacts to them, and
 * queues the runs they ask for: a delta through the delta demand (while one is pending, a burst of runs or
 * notifications adds nothing), a full run as its own run. A failed send is logged, not thrown: the
 * run that wrote the links succeeded, and the reacting feature's scheduled reconcile catches up.
 * Returns the features that asked for a run.
 */
export async function dispatchLinkEvents(
  deps: DispatchLinkEventsDeps,
  config: TenantConfig,
  batch: LinkEventBatch,
  log: Logger,
): Promise<string[]> {
  const asked: string[] = [];
  for (const { feature, options } of deps.features.enabledFor(config)) {
    if (feature.manifest.name === batch.feature || !feature.onLinkEvents) continue;
    const reaction = feature.onLinkEvents(batch, options);
    if (!reaction) continue;
    asked.push(feature.manifest.name);
    try {
      const request = await keepEvents(deps, batch, feature.manifest.name, reaction, log);
      if (request.mode === 'delta') await deps.deltaRequests.request(batch.tenantId, feature.manifest, 'linkEvents');
      else await requestSync(deps, { tenantId: batch.tenantId, feature: feature.manifest.name, mode: 'full', trigger: 'linkEvents' });
    } catch (caught) {
      log.warn('could not queue the run a link event asked for; the scheduled reconcile will catch up', {
        feature: feature.manifest.name,
        error: ensureError(caught).message,
      });
    }
  }
  return asked;
}

/**
 * Puts the batch's events in the feature's inbox when it asks for them. A truncated batch cannot be kept whole,
 * and an inbox that refuses them would lose them: either way the feature gets a full run instead, which finds
 * everything the events would have said.
 */
async function keepEvents(
  deps: Pick<Services, 'linkEventInbox'>,
  batch: LinkEventBatch,
  feature: string,
  reaction: LinkEventReaction,
  log: Logger,
): Promise<{ mode: 'full' | 'delta' }> {
  if (!reaction.keepEvents) return reaction;
  if (batch.truncated) return { mode: 'full' };
  try {
    await deps.linkEventInbox.append(batch.tenantId, feature, batch.events);
    return reaction;
  } catch (caught) {
    log.warn('could not keep link events for a feature; it gets a full run instead', { feature, error: ensureError(caught).message });
    return { mode: 'full' };
  }
}
