import { ensureError } from '../core/errors/ensureError';
import { type Logger } from '../core/logging/Logger';
import { type Feature } from '../features/Feature';
import { type FeaturePolling } from '../features/FeaturePolling';
import { type PollJob } from './jobs/SyncJob';
import { type Services } from './Services';
import { type TenantRecord } from './TenantStore';

/** A feature that polls, as it is on for a tenant. */
export interface ActivePolling {
  feature: Feature;
  polling: FeaturePolling<unknown>;
  options: unknown;
  periodMs: number;
}

/** The polling features that should run for a tenant (tenant enabled, feature on). */
export function activePollingOf(deps: Pick<Services, 'features'>, tenant: TenantRecord): ActivePolling[] {
  if (!tenant.config.enabled) return [];
  return deps.features.enabledFor(tenant.config).flatMap(({ feature, options }) => {
    const polling = feature.polling;
    return polling ? [{ feature, polling, options, periodMs: polling.periodSeconds(options) * 1000 }] : [];
  });
}

/** The slot of a time: ⌊epoch ms / period⌋; the cycle of slot s starts at s × period. */
export function pollSlotOf(at: Date, periodMs: number): number {
  return Math.floor(at.getTime() / periodMs);
}

/**
 * Queues the cycle job of `slot`, to run at the slot's start. Its message id is tenant, feature and slot, so
 * the previous cycle, the keep-alive timer and a configuration write queue it once between them.
 */
export async function enqueuePollCycle(
  deps: Pick<Services, 'queue'>,
  tenantId: string,
  active: Pick<ActivePolling, 'feature' | 'periodMs'>,
  slot: number,
  trigger: PollJob['trigger'],
  now: Date,
): Promise<void> {
  const feature = active.feature.manifest.name;
  const jobId = `poll:${tenantId}:${feature}:${slot}`;
  const job: PollJob = {
    kind: 'poll',
    jobId,
    tenantId,
    lane: active.feature.manifest.lane,
    feature,
    trigger,
    requestedAt: now.toISOString(),
    slot,
  };
  const startsAt = new Date(slot * active.periodMs);
  await deps.queue.enqueue(job, { messageId: jobId, ...(startsAt > now ? { scheduledEnqueueTime: startsAt } : {}) });
}

/**
 * Starts each polling feature's chain for a tenant unless it is alive (a cycle started within the last two
 * periods). Called when a configuration is written and by the scheduledSync timer, which so restarts a chain
 * an outage broke. A disabled tenant or a feature turned off is left alone: its chain stops by itself (every
 * cycle checks before it queues the next). Returns the features started.
 */
export async function ensurePolling(
  deps: Pick<Services, 'queue' | 'features' | 'pollCycles'>,
  tenant: TenantRecord,
  trigger: PollJob['trigger'],
  now: Date,
): Promise<string[]> {
  const started: string[] = [];
  for (const active of activePollingOf(deps, tenant)) {
    const current = pollSlotOf(now, active.periodMs);
    const state = await deps.pollCycles.get(tenant.id, active.feature.manifest.name);
    if (state && state.slot >= current - 2) continue;
    await enqueuePollCycle(deps, tenant.id, active, current + 1, trigger, now);
    started.push(active.feature.manifest.name);
  }
  return started;
}

/** The timer's pass over every tenant; one tenant's failure does not stop the others. */
export async function ensureAllPolling(
  deps: Pick<Services, 'queue' | 'features' | 'pollCycles' | 'tenants'>,
  now: Date,
  log: Logger,
): Promise<string[]> {
  const started: string[] = [];
  for (const tenant of await deps.tenants.list({ onInvalid: () => undefined })) {
    try {
      for (const feature of await ensurePolling(deps, tenant, 'scheduled', now)) started.push(`${tenant.id}/${feature}`);
    } catch (err) {
      log.error('could not start polling', { tenant: tenant.id, error: ensureError(err).message });
    }
  }
  if (started.length > 0) log.info('polling (re)started', { chains: started.join(', ') });
  return started;
}
