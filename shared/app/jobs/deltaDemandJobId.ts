import { type FeatureSyncJob } from './SyncJob';

/** Which pending delta a job answers: the demand row's epoch (new when the row is created) and generation. */
export interface DeltaDemandGeneration {
  epoch: string;
  generation: number;
}

/**
 * The job and message id of one pending delta generation of a tenant's feature. The same generation always
 * gets the same id, so a retried or concurrent enqueue of it is dropped by the queue's duplicate detection,
 * and every new generation gets a new id. The epoch keeps ids of a re-created demand row (generation 1
 * again) from colliding with ids the queue still remembers. At most 6 + 63 + 1 + 32 + 1 + 8 + 1 + 16 = 128.
 */
export function deltaDemandJobId(tenantId: string, feature: string, at: DeltaDemandGeneration): string {
  return `delta:${tenantId}:${feature}:${at.epoch}-${at.generation}`;
}

/** The generation a delta job answers, when its id is a demand id of its own tenant and feature; else undefined. */
export function deltaDemandGenerationOf(job: Pick<FeatureSyncJob, 'jobId' | 'tenantId' | 'feature'>): DeltaDemandGeneration | undefined {
  const prefix = `delta:${job.tenantId}:${job.feature}:`;
  if (!job.jobId.startsWith(prefix)) return undefined;
  const match = /^([0-9a-f]{8})-([1-9][0-9]{0,15})$/.exec(job.jobId.slice(prefix.length));
  if (!match) return undefined;
  const generation = Number(match[2]);
  return Number.isSafeInteger(generation) ? { epoch: match[1]!, generation } : undefined;
}
