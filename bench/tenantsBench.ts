import { processJob } from '../shared/app/processJob';
import { featureSyncJob } from '../shared/app/jobs/featureSyncJob';
import { newRunId } from '../shared/engine/newRunId';
import { type SyncRun } from '../shared/engine/RunStore';
import { Logger } from '../shared/core/logging/Logger';
import { stderrLogSink } from '../shared/core/logging/logSinks';
import { usersManifest } from '../shared/features/users/usersManifest';
import { PeakMemory } from './PeakMemory';
import { percentiles } from './percentiles';
import { ask, type SandboxStats, startSandboxRig } from './sandboxRig';

export interface TenantsBenchOptions {
  tenants: number;
  /** Generated directory users per tenant. */
  tenantUsers: number;
  /** The queue's maxConcurrentSessions, one measured level each. */
  sessions: number[];
  /** Each tenant's own PBX limit (its sandbox PBX and its `pbx.rateLimitPerMinute`), requests a minute. */
  pbxRate: number;
}

const seconds = (from: bigint, to: bigint) => Number(to - from) / 1e9;
const rounded = (value: number, digits = 2) => Number(value.toFixed(digits));

/** min / p50 / p95 / max of per-tenant times in seconds (percentiles() without its p99 and count). */
function distributionOf(values: number[]) {
  const { p50, p95, max } = percentiles(values);
  return { min: rounded(Math.min(...values), 1), p50, p95, max };
}

/**
 * One concurrency level: a fresh rig (Azurite, and per tenant its own sandbox Graph tenant and PBX), every
 * tenant's initial users sync queued at once as a job, and the in-process queue running them through the
 * worker's dispatch (processJob) at most `sessions` sessions (tenants) at a time. Per tenant it records when
 * its job started and finished, counted from the moment the jobs were queued.
 */
async function measureSessions(options: TenantsBenchOptions, sessions: number) {
  const { tenants, tenantUsers, pbxRate } = options;
  const rig = await startSandboxRig({ users: tenantUsers, pbxRate, tenants, maxConcurrentSessions: sessions });
  try {
    await ask(rig.sandbox, { cmd: 'reset' });
    global.gc?.();
    const memory = new PeakMemory();
    const logger = new Logger(stderrLogSink('error'), 'bench');
    const startedAt = new Map<string, bigint>();
    const finishedAt = new Map<string, bigint>();
    rig.queue.start(async (job) => {
      startedAt.set(job.tenantId, process.hrtime.bigint());
      await processJob(rig.services, job, logger);
      finishedAt.set(job.tenantId, process.hrtime.bigint());
    });
    const queued = process.hrtime.bigint();
    const runIds = new Map<string, string>();
    for (const tenantId of rig.tenantIds) {
      const runId = newRunId();
      runIds.set(tenantId, runId);
      await rig.queue.enqueue(featureSyncJob(usersManifest, { tenantId, runId, mode: 'full', trigger: 'cli' }));
    }
    await rig.queue.idle();
    const wallSeconds = seconds(queued, process.hrtime.bigint());
    const mem = memory.stop();
    const stats = await ask<SandboxStats>(rig.sandbox, { cmd: 'stats' });

    const runs = (await Promise.all(rig.tenantIds.map((tenantId) => rig.services.runs.get(tenantId, runIds.get(tenantId)!)))) as (
      SyncRun | undefined
    )[];
    const succeeded = runs.filter((run) => run?.status === 'succeeded').length;
    const usersRead = runs.reduce((sum, run) => sum + (run?.itemsRead ?? 0), 0);
    const created = runs.reduce((sum, run) => sum + (run?.counts.created ?? 0), 0);
    const finished = rig.tenantIds.flatMap((tenantId) => {
      const end = finishedAt.get(tenantId);
      return end === undefined ? [] : [{ finish: seconds(queued, end), run: seconds(startedAt.get(tenantId)!, end) }];
    });
    const finish = distributionOf(finished.map((tenant) => tenant.finish));
    const run = distributionOf(finished.map((tenant) => tenant.run));
    // Each tenant's own PBX pace while its job ran, against its limit: 1.0 = the tenant ran at its limit.
    const pbxPerTenantPerSecond = stats.pbxRequests / tenants / run.p50;
    const queueStats = rig.queue.stats();
    const warnings: string[] = [];
    if (succeeded !== tenants) warnings.push(`${tenants - succeeded} of ${tenants} tenants' runs did not succeed`);
    if (queueStats.retried > 0 || queueStats.deadLettered > 0)
      warnings.push(`the queue retried ${queueStats.retried} and dead-lettered ${queueStats.deadLettered} jobs`);
    for (const warning of warnings) console.error(`WARNING tenants bench (${sessions} sessions): ${warning}`);
    return {
      sessions,
      succeeded,
      wallSeconds: rounded(wallSeconds),
      usersRead,
      created,
      usersPerSecond: rounded(usersRead / wallSeconds, 1),
      graphRequests: stats.graphRequests,
      pbxRequests: stats.pbxRequests,
      pbxRequestsPerSecond: rounded(stats.pbxRequests / wallSeconds, 1),
      pbxThrottled: stats.pbxThrottled,
      tenantFinishSeconds: { ...finish, spread: rounded(finish.max - finish.min, 1) },
      tenantRunSeconds: run,
      tenantPbxShareOfLimit: rounded(pbxPerTenantPerSecond / (pbxRate / 60), 3),
      ...mem,
      warnings,
    };
  } finally {
    await rig.stop();
  }
}

/**
 * The tenants bench: `tenants` connector tenants of `tenantUsers` users each, every tenant's initial users sync
 * run through one in-process queue, once per concurrency level in `sessions`, each level on a fresh rig.
 */
export async function runTenantsBench(options: TenantsBenchOptions): Promise<void> {
  const results = [];
  for (const sessions of options.sessions) results.push(await measureSessions(options, sessions));
  console.log(
    JSON.stringify(
      {
        tenants: options.tenants,
        tenantUsers: options.tenantUsers,
        pbxRateLimitPerMinutePerTenant: options.pbxRate,
        node: process.version,
        results,
      },
      null,
      2,
    ),
  );
}
