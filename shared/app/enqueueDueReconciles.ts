import { ensureError } from '../core/errors/ensureError';
import { type Services } from './Services';
import { dueFireTime } from './dueFireTime';
import { type RequestTenantSyncDeps, requestTenantSync } from './requestTenantSync';
import { type Logger } from '../core/logging/Logger';

/**
 * Called by the scheduledSync timer: enqueues one full reconcile of each of its scheduled features per
 * enabled tenant whose cron occurrence is
 * due (and came after the tenant was created). A deterministic message id per occurrence keeps two
 * overlapping timers from queueing it twice.
 */
export async function enqueueDueReconciles(
  deps: Pick<Services, 'tenants' | 'features' | 'scheduleState'> & RequestTenantSyncDeps,
  now: Date,
  log: Logger,
): Promise<string[]> {
  const queued: string[] = [];
  for (const tenant of await deps.tenants.list({
    onInvalid: (id, err) => log.warn('tenant skipped: its stored configuration is invalid', { tenant: id, error: err.message }),
  })) {
    if (!deps.features.enabledFor(tenant.config).some(({ feature }) => feature.reconcileOnSchedule)) continue;
    try {
      const { cron, timeZone } = tenant.config.schedule;
      // A tenant that never fired counts from its creation: a slot that passed before it existed is not due.
      const since = (await deps.scheduleState.getLastFire(tenant.id)) ?? tenant.createdAt;
      const fire = dueFireTime(cron, timeZone, now, since);
      if (!fire) continue;
      const slot = fire.toISOString();
      await requestTenantSync(deps, tenant, { mode: 'full', trigger: 'scheduled', now }, (feature) =>
        `scheduled:${tenant.id}:${feature}:${slot}`.slice(0, 128),
      );
      await deps.scheduleState.setLastFire(tenant.id, fire.toISOString());
      queued.push(tenant.id);
      log.info('queued the scheduled reconcile', { tenant: tenant.id, slot: fire.toISOString() });
    } catch (err) {
      // One tenant's problem must not stop the others' schedules.
      log.error('could not queue the scheduled reconcile', { tenant: tenant.id, error: ensureError(err).message });
    }
  }
  return queued;
}
