import { app, type InvocationContext, type Timer } from '@azure/functions';
import { loggerFor } from '../shared/core/logging/loggerFor';
import { enqueueAllSubscriptionMaintenance } from '../shared/app/enqueueSubscriptionMaintenance';
import { getServices } from '../shared/app/getServices';

export async function renewSubscriptions(_timer: Timer, context: InvocationContext): Promise<void> {
  await enqueueAllSubscriptionMaintenance(await getServices(), new Date(), loggerFor(context));
}

// Every 30 minutes: each tenant's maintenance job creates missing subscriptions and renews those with less
// than half their lifetime left, days before Graph would expire them.
app.timer('renewSubscriptions', { schedule: '0 */30 * * * *', handler: renewSubscriptions });
