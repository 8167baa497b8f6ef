import { type SyncJob } from './jobs/SyncJob';
import { processSyncJob } from './processSyncJob';
import { processSubscriptionJob } from './processSubscriptionJob';
import { type Services } from './Services';
import { type Logger } from '../core/logging/Logger';

/** The sync worker's dispatch: each job kind to its runner. */
export async function processJob(services: Services, job: SyncJob, logger: Logger): Promise<void> {
  if (job.resource === 'users') await processSyncJob(services, job, logger);
  else await processSubscriptionJob(services, job, logger);
}
