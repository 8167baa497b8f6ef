import { app, type InvocationContext } from '@azure/functions';
import { loggerFor } from '../shared/core/logging/loggerFor';
import { parseSyncJob } from '../shared/app/jobs/parseSyncJob';
import { getServices } from '../shared/app/getServices';
import { processJob } from '../shared/app/processJob';

export async function syncWorker(message: unknown, context: InvocationContext): Promise<void> {
  const job = parseSyncJob(message);
  await processJob(await getServices(), job, loggerFor(context));
}

// Sessions keyed by tenant: one tenant's jobs (syncs and subscription upkeep) run one at a time;
// failures are redelivered, then dead-lettered.
app.serviceBusQueue('syncWorker', {
  connection: 'ServiceBusConnection',
  queueName: '%ServiceBusQueueName%',
  isSessionsEnabled: true,
  handler: syncWorker,
});
