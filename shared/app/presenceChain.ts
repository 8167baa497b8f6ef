import { ensureError } from '../core/errors/ensureError';
import { type Logger } from '../core/logging/Logger';
import { type PresenceOptions } from '../features/presence/presenceOptions';
import { type PresenceJob } from './jobs/SyncJob';
import { type Services } from './Services';
import { type TenantRecord } from './TenantStore';

/** The cycle slot of a time: ⌊epoch ms / poll period⌋. Cycles start at slot × period. */
export function presenceSlotOf(at: Date, options: Pick<PresenceOptions, 'pollSeconds'>): number {
  return Math.floor(at.getTime() / (options.pollSeconds * 1000));
}

/** When a slot's cycle starts. */
export function presenceSlotStart(slot: number, options: Pick<PresenceOptions, 'pollSeconds'>): Date {
  return new Date(slot * options.pollSeconds * 1000);
}

/** The presence options of a tenant whose polling should run (tenant enabled, feature on), else undefined. */
export function presenceOptionsOf(deps: Pick<Services, 'features'>, tenant: TenantRecord): PresenceOptions | undefined {
  if (!tenant.config.enabled) return undefined;
  const on = deps.features.enabledFor(tenant.config).find(({ feature }) => feature.manifest.name === 'presence');
  return on ? (on.options as PresenceOptions) : undefined;
}

/**
 * Queues the cycle job of `slot`, to start at the slot's time. Its message id is the tenant and slot, so two
 * callers (the previous cycle, the keep-alive timer, a configuration write) queue it once.
 */
export async function enqueuePresenceCycle(
  deps: Pick<Services, 'queue'>,
  tenantId: string,
  slot: number,
  options: Pick<PresenceOptions, 'pollSeconds'>,
  trigger: PresenceJob['trigger'],
  now: Date,
): Promise<void> {
  const jobId = `presence:${tenantId}:${slot}`;
  const job: PresenceJob = { kind: 'presence', jobId, tenantId, lane: 'realtime', trigger, requestedAt: now.toISOString(), slot };
  const startsAt = presenceSlotStart(slot, options);
  await deps.queue.enqueue(job, { messageId: jobId, ...(startsAt > now ? { scheduledEnqueueTime: startsAt } : {}) });
}

/**
 * Starts a tenant's presence polling unless its chain of cycles is alive (a cycle started within the last
 * two periods). Called when a configuration is written and by the scheduledSync timer, which so restarts a
 * chain broken by an outage. A tenant that is disabled or has presence off is left alone: its chain has
 * stopped by itself (each cycle checks before it queues the next).
 */
export async function ensurePresencePolling(
  deps: Pick<Services, 'queue' | 'features' | 'presenceCycles'>,
  tenant: TenantRecord,
  trigger: PresenceJob['trigger'],
  now: Date,
): Promise<boolean> {
  const options = presenceOptionsOf(deps, tenant);
  if (!options) return false;
  const current = presenceSlotOf(now, options);
  const state = await deps.presenceCycles.get(tenant.id);
  if (state && state.slot >= current - 2) return false;
  await enqueuePresenceCycle(deps, tenant.id, current + 1, options, trigger, now);
  return true;
}

/** The timer's pass over every tenant; one tenant's failure does not stop the others. */
export async function ensureAllPresencePolling(
  deps: Pick<Services, 'queue' | 'features' | 'presenceCycles' | 'tenants'>,
  now: Date,
  log: Logger,
): Promise<string[]> {
  const started: string[] = [];
  for (const tenant of await deps.tenants.list({ onInvalid: () => undefined })) {
    try {
      if (await ensurePresencePolling(deps, tenant, 'scheduled', now)) started.push(tenant.id);
    } catch (err) {
      log.error('could not start presence polling', { tenant: tenant.id, error: ensureError(err).message });
    }
  }
  if (started.length > 0) log.info('presence polling (re)started', { tenants: started.join(', ') });
  return started;
}
