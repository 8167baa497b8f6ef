import { type TenantRecord } from './TenantStore';
import { type RunTrigger } from '../engine/RunStore';
import { type EnqueueOptions } from '../platform/queue/JobQueue';
import { type Services } from './Services';
import { type RequestSyncDeps, requestSync } from './requestSync';

/** The features that are on (`features`), and what requesting each run uses. */
export type RequestTenantSyncDeps = Pick<Services, 'features'> & RequestSyncDeps;

/**
 * Queues a run of every feature that is on for the tenant and takes part in its reconcile (or of the one
 * named), one run record each. `messageIdOf` gives a deterministic message id per feature (the scheduler's
 * per-slot id), so overlapping callers queue each run once.
 */
export async function requestTenantSync(
  deps: RequestTenantSyncDeps,
  tenant: TenantRecord,
  request: { mode: 'full' | 'delta'; trigger: RunTrigger; feature?: string | undefined; now?: Date },
  messageIdOf?: (feature: string) => string,
): Promise<{ feature: string; runId: string }[]> {
  const features = deps.features
    .enabledFor(tenant.config)
    .map(({ feature }) => feature)
    .filter((feature) => (request.feature ? feature.manifest.name === request.feature : feature.reconcileOnSchedule));
  const runs: { feature: string; runId: string }[] = [];
  for (const feature of features) {
    const name = feature.manifest.name;
    const options: EnqueueOptions = messageIdOf ? { messageId: messageIdOf(name) } : {};
    const { runId } = await requestSync(
      deps,
      { tenantId: tenant.id, feature: name, mode: request.mode, trigger: request.trigger, ...(request.now ? { now: request.now } : {}) },
      options,
    );
    runs.push({ feature: name, runId });
  }
  return runs;
}
