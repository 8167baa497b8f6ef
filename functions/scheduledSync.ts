import { app, type InvocationContext, type Timer } from '@azure/functions';
import { loggerFor } from '../shared/core/logging/loggerFor';
import { enqueueDueReconciles } from '../shared/app/enqueueDueReconciles';
import { getServices } from '../shared/app/getServices';
import { ensureAllPolling } from '../shared/app/pollingChain';

export async function scheduledSync(_timer: Timer, context: InvocationContext): Promise<void> {
  const services = await getServices();
  const now = new Date();
  await enqueueDueReconciles(services, now, loggerFor(context));
  // Restarts a polling chain (presence) an outage broke (each chain normally keeps itself going).
  await ensureAllPolling(services, now, loggerFor(context));
}

// Every 5 minutes: each tenant's own cron (tenant-local time zone) decides whether its reconcile is due, and
// a tenant's presence polling that stopped without being turned off starts again.
app.timer('scheduledSync', { schedule: '0 */5 * * * *', handler: scheduledSync });
