import { app, type InvocationContext, type Timer } from '@azure/functions';
import { loggerFor } from '../shared/core/logging/loggerFor';
import { enqueueDueReconciles } from '../shared/app/enqueueDueReconciles';
import { getServices } from '../shared/app/getServices';

export async function scheduledSync(_timer: Timer, context: InvocationContext): Promise<void> {
  await enqueueDueReconciles(await getServices(), new Date(), loggerFor(context));
}

// Every 5 minutes: each tenant's own cron (tenant-local time zone) decides whether its reconcile is due.
app.timer('scheduledSync', { schedule: '0 */5 * * * *', handler: scheduledSync });
