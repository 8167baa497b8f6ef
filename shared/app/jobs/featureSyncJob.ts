import { type FeatureManifest } from '../../features/FeatureManifest';
import { type FeatureSyncJob } from './SyncJob';

/** The job that runs one feature for a tenant, in that feature's lane; the run id doubles as the job id. */
export function featureSyncJob(
  manifest: Pick<FeatureManifest, 'name' | 'lane'>,
  request: { tenantId: string; runId: string; mode: 'full' | 'delta'; trigger: FeatureSyncJob['trigger']; now?: Date },
): FeatureSyncJob {
  return {
    kind: 'sync',
    jobId: request.runId,
    runId: request.runId,
    tenantId: request.tenantId,
    feature: manifest.name,
    lane: manifest.lane,
    mode: request.mode,
    trigger: request.trigger,
    requestedAt: (request.now ?? new Date()).toISOString(),
  };
}
