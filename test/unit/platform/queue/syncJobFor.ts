import { type FeatureSyncJob } from '../../../../shared/app/jobs/SyncJob';

/** A valid delta job for a tenant; `jobId` doubles as the message id unless one is given. */
export function syncJobFor(tenantId: string, jobId: string, overrides: Partial<FeatureSyncJob> = {}): FeatureSyncJob {
  return {
    kind: 'sync',
    jobId,
    tenantId,
    feature: 'users',
    lane: 'directory',
    mode: 'delta',
    trigger: 'notification',
    requestedAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}
