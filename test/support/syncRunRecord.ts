import { emptyCounts, type SyncRun } from '../../shared/engine/RunStore';

/** A finished users run of tenant `contoso` (30 s, 3 created, 2 updated), with whatever a test changes. */
export function syncRunRecord(runId: string, overrides: Partial<SyncRun> = {}): SyncRun {
  return {
    tenantId: 'contoso',
    runId,
    feature: 'users',
    status: 'succeeded',
    trigger: 'scheduled',
    mode: 'full',
    dryRun: false,
    queuedAt: '2026-03-01T08:00:00.000Z',
    startedAt: '2026-03-01T08:00:01.000Z',
    finishedAt: '2026-03-01T08:00:31.000Z',
    durationMs: 30_000,
    counts: { ...emptyCounts(), created: 3, updated: 2 },
    skippedByReason: {},
    outOfScopeByReason: {},
    itemsRead: 5,
    issues: [],
    graphRequests: 1,
    pbxRequests: 5,
    pages: 1,
    notes: [],
    ...overrides,
  };
}
