import { processSyncJob } from '../shared/app/processSyncJob';
import { featureSyncJob } from '../shared/app/jobs/featureSyncJob';
import { type FeatureManifest } from '../shared/features/FeatureManifest';
import { newRunId } from '../shared/engine/newRunId';
import { type SyncRun } from '../shared/engine/RunStore';
import { Logger } from '../shared/core/logging/Logger';
import { stderrLogSink } from '../shared/core/logging/logSinks';
import { PeakMemory } from './PeakMemory';
import { ask, type SandboxRig, type SandboxStats } from './sandboxRig';

/**
 * One run of a feature for the rig's tenant, measured: wall time, the sandboxes' request counts (reset
 * before), the time the PBX rate limit allows for those requests and the ratio to it, and peak memory.
 */
export async function measureFeatureRun(
  rig: SandboxRig,
  manifest: Pick<FeatureManifest, 'name' | 'lane'>,
  label: string,
  mode: 'full' | 'delta',
) {
  await ask(rig.sandbox, { cmd: 'reset' });
  global.gc?.();
  const memory = new PeakMemory();
  const runId = newRunId();
  const started = process.hrtime.bigint();
  await processSyncJob(
    rig.services,
    featureSyncJob(manifest, { tenantId: rig.tenantId, runId, mode, trigger: 'cli' }),
    new Logger(stderrLogSink('error'), 'bench'),
  );
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const mem = memory.stop();
  const stats = await ask<SandboxStats>(rig.sandbox, { cmd: 'stats' });
  const record = (await rig.services.runs.get(rig.tenantId, runId)) as SyncRun;
  // What the PBX limit allows: every request paced at the limit, less the bucket's initial burst (2 s' worth).
  const perSecond = rig.pbxRate / 60;
  const boundSeconds = Math.max(0, (stats.pbxRequests - 2 * perSecond) / perSecond);
  return {
    label,
    status: record.status,
    wallSeconds: Number(wallSeconds.toFixed(2)),
    counts: record.counts,
    pages: record.pages,
    graphRequests: stats.graphRequests,
    pbxRequests: stats.pbxRequests,
    pbxWrites: stats.pbxWrites,
    pbxThrottled: stats.pbxThrottled,
    rateLimitBoundSeconds: Number(boundSeconds.toFixed(2)),
    ratioToBound: boundSeconds > 0 ? Number((wallSeconds / boundSeconds).toFixed(3)) : null,
    ...mem,
  };
}
