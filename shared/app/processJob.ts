import { type SyncJob } from './jobs/SyncJob';
import { processSyncJob } from './processSyncJob';
import { type SubscriptionJobDeps, processSubscriptionJob } from './processSubscriptionJob';
import { type Logger } from '../core/logging/Logger';

/** What the sync worker's dispatch forwards: whatever a feature sync job uses, and what a subscription job uses. */
export type ProcessJobDeps = Parameters<typeof processSyncJob>[0] & SubscriptionJobDeps;

/** The sync worker's dispatch: a feature's sync to that feature (through the registry), upkeep to upkeep. */
export async function processJob(deps: ProcessJobDeps, job: SyncJob, logger: Logger): Promise<void> {
  if (job.kind === 'sync') await processSyncJob(deps, job, logger);
  else await processSubscriptionJob(deps, job, logger);
}
