import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunSchema, TenantStatusSchema } from '../../../shared/admin/adminApiSchemas';
import { buildTenantStatus } from '../../../shared/admin/tenantStatus';
import { featureSyncJob } from '../../../shared/app/jobs/featureSyncJob';
import { processSyncJob } from '../../../shared/app/processSyncJob';
import { Logger } from '../../../shared/core/logging/Logger';
import { type RunStore, type SyncRun } from '../../../shared/engine/RunStore';
import { newRunId } from '../../../shared/engine/newRunId';
import { usersManifest } from '../../../shared/features/users/usersManifest';
import { GraphSandbox, generateUsers } from '../../../sandbox/graph';
import { PortSipSandbox } from '../../../sandbox/portsip';
import { createSandboxTenant } from '../../support/sandboxTenant';

const USERS = 240;
let graph: GraphSandbox;
let pbx: PortSipSandbox;

beforeAll(async () => {
  graph = await GraphSandbox.start({ pageSize: 20 });
  // A slow PBX, so creating the extensions lasts several seconds: several progress saves (every 2 s) happen.
  pbx = await PortSipSandbox.start({ rateLimitPerMinute: 600_000, latencyMs: 40 });
});
afterAll(async () => {
  await graph?.stop();
  await pbx?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The tenant's run store, with every progress save held back for a while: one is still in flight when the run
 * ends, so a final save that did not wait for it would be overwritten by it.
 */
function slowProgressSaves(runs: RunStore, holdMs: number): RunStore & { progressSaves: SyncRun[] } {
  const progressSaves: SyncRun[] = [];
  return {
    progressSaves,
    create: (run) => runs.create(run),
    get: (tenantId, runId) => runs.get(tenantId, runId),
    list: (tenantId, limit) => runs.list(tenantId, limit),
    save: async (run) => {
      if (run.status === 'running' && run.progress) {
        progressSaves.push(run);
        await sleep(holdMs);
      }
      await runs.save(run);
    },
  };
}

describe('a running sync run shows its progress', () => {
  it('a full users run saves done of the Graph count while it runs, and its final record is the last word', async () => {
    graph.seed(generateUsers(USERS, { seed: 11 }), []);
    const tenantId = 'progress';
    const { services } = await createSandboxTenant({ graph, pbx }, tenantId);
    const runs = slowProgressSaves(services.runs, 1_500);
    const runId = newRunId();
    const job = featureSyncJob(usersManifest, { tenantId, runId, mode: 'full', trigger: 'cli' });

    let finished = false;
    const running = processSyncJob({ ...services, runs }, job, Logger.silent()).finally(() => (finished = true));
    const seen: NonNullable<SyncRun['progress']>[] = [];
    let status: Awaited<ReturnType<typeof buildTenantStatus>>;
    while (!finished) {
      const stored = await services.runs.get(tenantId, runId);
      if (stored?.status === 'running' && stored.progress) {
        seen.push(stored.progress);
        status ??= await buildTenantStatus(services, tenantId, new Date());
      }
      await sleep(100);
    }
    const done = await running;
    expect(done).toMatchObject({ status: 'succeeded', itemsRead: USERS });
    expect(done!.counts.created).toBeGreaterThan(USERS / 2);

    // Mid-run: items done and the total from Graph's count of /users, persisted in the table.
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[0]).toMatchObject({ total: USERS, totalBasis: 'graphCount' });
    expect(seen[0]!.done).toBeGreaterThan(0);
    expect(seen[0]!.done).toBeLessThan(USERS);
    // Throttled: a few saves over the run, not one per page (12 pages).
    expect(runs.progressSaves.length).toBeGreaterThan(0);
    expect(runs.progressSaves.length).toBeLessThan(USERS / 20);

    // The status lists the run with its progress, rate and time left.
    // As the API documents it (the status answer and the run GET, whose body is the stored run).
    TenantStatusSchema.parse(status);
    const listed = status!.running.find((r) => r.runId === runId);
    expect(listed?.progress).toMatchObject({ total: USERS, totalBasis: 'graphCount' });
    expect(listed!.progress!.done).toBeGreaterThan(0);
    expect(listed!.progress!.percent).toBeGreaterThan(0);
    expect(listed!.progress!.ratePerSecond).toBeGreaterThan(0);
    expect(listed!.progress!.etaSeconds).toBeGreaterThanOrEqual(0);

    // The end: the final record, with the whole round done, and no late progress save turns it back.
    await sleep(2_500);
    const final = await services.runs.get(tenantId, runId);
    expect(final).toMatchObject({ status: 'succeeded', itemsRead: USERS, progress: { done: USERS, total: USERS } });
    expect(final!.finishedAt).toBeDefined();
    RunSchema.parse(final);
    const after = await buildTenantStatus(services, tenantId, new Date());
    expect(after!.running).toEqual([]);
  });

  it("without Graph's count, the estimate is what the last full run read; a delta run has no total", async () => {
    const tenantId = 'progress-previous';
    graph.seed(generateUsers(60, { seed: 12 }), []);
    const { services } = await createSandboxTenant({ graph, pbx }, tenantId);
    const first = await processSyncJob(
      services,
      featureSyncJob(usersManifest, { tenantId, runId: newRunId(), mode: 'full', trigger: 'cli' }),
      Logger.silent(),
    );
    expect(first).toMatchObject({ status: 'succeeded', itemsRead: 60, progress: { done: 60, total: 60, totalBasis: 'graphCount' } });

    // Graph refuses every count from now on (as a tenant without the permission might): the run goes on.
    const countless = { ...services, connectorsFor: withoutCount((...args) => services.connectorsFor(...args)) };
    const second = await processSyncJob(
      countless,
      featureSyncJob(usersManifest, { tenantId, runId: newRunId(), mode: 'full', trigger: 'cli' }),
      Logger.silent(),
    );
    expect(second).toMatchObject({ status: 'succeeded', progress: { done: 60, total: 60, totalBasis: 'previousRun' } });

    graph.addUser(generateUsers(1, { seed: 99 })[0]!);
    const delta = await processSyncJob(
      services,
      featureSyncJob(usersManifest, { tenantId, runId: newRunId(), mode: 'delta', trigger: 'cli' }),
      Logger.silent(),
    );
    expect(delta?.mode).toBe('delta');
    expect(delta?.progress?.done).toBe(1);
    expect(delta?.progress).not.toHaveProperty('total');
  });
});

/** The tenant's connectors with a directory reader whose count always fails. */
function withoutCount(connectorsFor: Parameters<typeof processSyncJob>[0]['connectorsFor']): typeof connectorsFor {
  return async (...args) => {
    const connectors = await connectorsFor(...args);
    const reader = connectors.directoryReader;
    return {
      ...connectors,
      directoryReader: Object.assign(Object.create(reader) as typeof reader, {
        countUsers: () => Promise.reject(new Error('Authorization_RequestDenied')),
      }),
    };
  };
}
