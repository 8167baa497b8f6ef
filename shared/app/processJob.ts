import { type SyncJob } from './jobs/SyncJob';
import { processSyncJob } from './processSyncJob';
import { processSubscriptionJob } from './processSubscriptionJob';
import { type Services } from './Services';
import { type Logger } from '../core/logging/Logger';

/** The sync worker's dispatch: a feature's sync to that feature (through the registry), upkeep to upkeep. */
export async function processJob(services: Services, job: SyncJob, logger: Logger): Promise<void> {
  if (job.kind === 'sync') await processSyncJob(services, job, logger);
  else await processSubscriptionJob(services, job, logger);
}
