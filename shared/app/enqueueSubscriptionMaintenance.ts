import { ensureError } from '../core/errors/ensureError';
import { type SubscriptionJob } from './jobs/SyncJob';
import { type Services } from './Services';
import { type Logger } from '../core/logging/Logger';

/** Queuing one tenant's upkeep needs only the queue. */
export type EnqueueSubscriptionMaintenanceDeps = Pick<Services, 'queue'>;

/**
 * Queues a `maintain` subscription job for a tenant. The message id is per tenant and `slot` (a timer
 * occurrence, a configuration version, an admin request's window), so overlapping timers or a retried
 * request queue it once. Returns the job id (= message id).
 */
export async function enqueueSubscriptionMaintenance(
  deps: EnqueueSubscriptionMaintenanceDeps,
  tenantId: string,
  slot: string,
  trigger: SubscriptionJob['trigger'],
  now = new Date(),
): Promise<string> {
  const jobId = `maintain:${tenantId}:${slot}`.slice(0, 128);
  const job: SubscriptionJob = {
    kind: 'subscriptions',
    jobId,
    tenantId,
    lane: 'directory',
    action: 'maintain',
    trigger,
    requestedAt: now.toISOString(),
  };
  await deps.queue.enqueue(job, { messageId: jobId });
  return jobId;
}

/**
 * Called by the renewSubscriptions timer: one maintenance job per tenant (disabled ones too, so their
 * subscriptions are removed). Renewal decisions are made in the job, from the subscription table.
 */
export async function enqueueAllSubscriptionMaintenance(
  deps: Pick<Services, 'tenants'> & EnqueueSubscriptionMaintenanceDeps,
  now: Date,
  log: Logger,
): Promise<string[]> {
  const queued: string[] = [];
  const slot = new Date(Math.floor(now.getTime() / 60_000) * 60_000).toISOString();
  for (const tenant of await deps.tenants.list({
    onInvalid: (id, err) => log.warn('tenant skipped: its stored configuration is invalid', { tenant: id, error: err.message }),
  })) {
    try {
      await enqueueSubscriptionMaintenance(deps, tenant.id, slot, 'scheduled', now);
      queued.push(tenant.id);
    } catch (err) {
      log.error('could not queue subscription maintenance', { tenant: tenant.id, error: ensureError(err).message });
    }
  }
  return queued;
}
