import { app, type InvocationContext, type Timer } from '@azure/functions';
import { loggerFor } from '../shared/core/logging/loggerFor';
import { enqueueAllSubscriptionMaintenance } from '../shared/app/enqueueSubscriptionMaintenance';
import { getServices } from '../shared/app/getServices';
import { rollSharedAppCertificateIfConfigured } from '../shared/app/graphCredentials';
import { rewrapPortalPasswordKeys } from '../shared/app/rewrapPortalPasswordKeys';

export async function renewSubscriptions(_timer: Timer, context: InvocationContext): Promise<void> {
  const services = await getServices();
  // The shared app's certificate is no tenant's: its rollover check runs here (timers run on one instance).
  await rollSharedAppCertificateIfConfigured(services, loggerFor(context));
  // Likewise the portal password key: after Key Vault rotates it, every tenant's data key is wrapped again.
  await rewrapPortalPasswordKeys(services, loggerFor(context));
  await enqueueAllSubscriptionMaintenance(services, new Date(), loggerFor(context));
}

// Every 30 minutes: each tenant's maintenance job checks its certificate's rollover, creates missing
// subscriptions and renews those with less than half their lifetime left, days before Graph would expire them.
app.timer('renewSubscriptions', { schedule: '0 */30 * * * *', handler: renewSubscriptions });
