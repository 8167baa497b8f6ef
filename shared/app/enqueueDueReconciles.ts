import { ensureError } from '../core/errors/ensureError';
import { type Services } from './Services';
import { dueFireTime } from './dueFireTime';
import { requestSync } from './requestSync';
import { type Logger } from '../core/logging/Logger';

/**
 * Called by the scheduledSync timer: enqueues one full reconcile per enabled tenant whose cron occurrence is
 * due (and came after the tenant was created). A deterministic message id per occurrence keeps two
 * overlapping timers from queueing it twice.
 */
export async function enqueueDueReconciles(services: Services, now: Date, log: Logger): Promise<string[]> {
  const queued: string[] = [];
  for (const tenant of await services.tenants.list({
    onInvalid: (id, err) => log.warn('tenant skipped: its stored configuration is invalid', { tenant: id, error: err.message }),
  })) {
    if (!tenant.config.enabled || !tenant.config.users.enabled) continue;
    try {
      const { cron, timeZone } = tenant.config.schedule;
      // A tenant that never fired counts from its creation: a slot that passed before it existed is not due.
      const since = (await services.scheduleState.getLastFire(tenant.id)) ?? tenant.createdAt;
      const fire = dueFireTime(cron, timeZone, now, since);
      if (!fire) continue;
      await requestSync(
        services,
        { tenantId: tenant.id, mode: 'full', trigger: 'scheduled', now },
        { messageId: `scheduled:${tenant.id}:${fire.toISOString()}` },
      );
      await services.scheduleState.setLastFire(tenant.id, fire.toISOString());
      queued.push(tenant.id);
      log.info('queued the scheduled reconcile', { tenant: tenant.id, slot: fire.toISOString() });
    } catch (err) {
      // One tenant's problem must not stop the others' schedules.
      log.error('could not queue the scheduled reconcile', { tenant: tenant.id, error: ensureError(err).message });
    }
  }
  return queued;
}
