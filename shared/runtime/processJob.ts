import { type SyncJob } from '../queue/SyncJob';
import { type JobLogger, processSyncJob } from './processSyncJob';
import { processSubscriptionJob } from './processSubscriptionJob';
import { type Services } from './Services';

/** The sync worker's dispatch: each job kind to its runner. */
export async function processJob(services: Services, job: SyncJob, logger: JobLogger): Promise<void> {
  if (job.resource === 'users') await processSyncJob(services, job, logger);
  else await processSubscriptionJob(services, job, logger);
}
