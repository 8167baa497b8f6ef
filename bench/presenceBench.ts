import { seededRandom } from '../sandbox/graph/seededRandom';
import { processJob } from '../shared/app/processJob';
import { ensurePolling, pollSlotOf } from '../shared/app/pollingChain';
import { type SyncJob } from '../shared/app/jobs/SyncJob';
import { Logger } from '../shared/core/logging/Logger';
import { stderrLogSink } from '../shared/core/logging/logSinks';
import { type PollCycleState } from '../shared/engine/PollCycleStore';
import { MAX_PRESENCE_IDS_PER_CALL } from '../shared/graph/PresenceReader';
import { PresenceOptionsSchema } from '../shared/features/presence/presenceOptions';
import { usersManifest } from '../shared/features/users/usersManifest';
import { measureFeatureRun } from './measureFeatureRun';
import { PeakMemory } from './PeakMemory';
import { ask, type SandboxStats, startSandboxRig, configureRigTenant } from './sandboxRig';

export interface PresenceBenchOptions {
  /** Sandbox users, all synced before presence is turned on. */
  users: number;
  /** Presence cycles measured (each one poll period, 30 s by default, in real time). */
  cycles: number;
  pbxRate: number;
}

/** One batch job as the queue's handler saw it run. */
interface BatchRun {
  index: number;
  count: number;
  reassert: boolean;
  /** When planPresenceBatches scheduled it, and when it started and finished (epoch ms). */
  plannedAt: number;
  startedAt: number;
  finishedAt: number;
}

const rounded = (value: number, digits = 2) => Number(value.toFixed(digits));

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The cycles that started and their batches as they finish, and waits for the next cycle and its last batch. */
class CycleWatch {
  private readonly runs = new Map<number, BatchRun[]>();
  /** Each started cycle's job (it lists the synced users and queues the batches): when it started and finished. */
  readonly cycleJobs = new Map<number, { startedAt: number; finishedAt: number }>();

  record(slot: number, run: BatchRun): void {
    this.runs.set(slot, [...this.batchesOf(slot), run]);
  }

  batchesOf(slot: number): BatchRun[] {
    return this.runs.get(slot) ?? [];
  }

  /**
   * The first cycle that started after `slot` (a late cycle skips the slots it missed, so it need not be
   * slot + 1), once its cycle job has run; undefined at the deadline (epoch ms).
   */
  async nextCycle(slot: number, deadline: number): Promise<number | undefined> {
    for (;;) {
      const next = [...this.cycleJobs.keys()].filter((started) => started > slot).sort((a, b) => a - b)[0];
      if (next !== undefined) return next;
      if (Date.now() >= deadline) return undefined;
      await pause(50);
    }
  }

  /** True once every batch of the slot's cycle has run, false at the deadline (epoch ms). */
  async finished(slot: number, deadline: number): Promise<boolean> {
    for (;;) {
      const runs = this.batchesOf(slot);
      if (runs.length > 0 && runs.length >= runs[0]!.count) return true;
      if (Date.now() >= deadline) return false;
      await pause(50);
    }
  }
}

/** The sandboxes' counters for one cycle: what changed between two snapshots. */
function cycleCounts(before: SandboxStats, after: SandboxStats) {
  const byRoute: Record<string, number> = {};
  for (const [route, requests] of Object.entries(after.pbxByRoute)) {
    const delta = requests - (before.pbxByRoute[route] ?? 0);
    if (delta > 0) byRoute[route] = delta;
  }
  const presenceWrites = after.pbxPresenceWrites - before.pbxPresenceWrites;
  const dndWrites = after.pbxDndWrites - before.pbxDndWrites;
  return {
    graphPresenceCalls: after.graphPresenceCalls - before.graphPresenceCalls,
    graphPresenceIds: after.graphPresenceIdsRequested - before.graphPresenceIdsRequested,
    graphThrottled: after.graphPresenceThrottled - before.graphPresenceThrottled,
    pbxWrites: presenceWrites + dndWrites,
    pbxPresenceWrites: presenceWrites,
    pbxDndWrites: dndWrites,
    pbxStatusReads: after.pbxStatusReads - before.pbxStatusReads,
    pbxUserSignIns: after.pbxUserSignIns - before.pbxUserSignIns,
    pbxRequests: after.pbxRequests - before.pbxRequests,
    pbxThrottled: after.pbxThrottled - before.pbxThrottled,
    pbxRequestsByRoute: byRoute,
  };
}

/** One measured cycle: the handler's view of its batches, the sandboxes' counts and the connector's cycle state. */
function cycleResult(
  cycle: number,
  slot: number,
  usersChanged: number,
  runs: BatchRun[],
  finished: boolean,
  cycleJob: { startedAt: number; finishedAt: number } | undefined,
  counts: ReturnType<typeof cycleCounts>,
  state: PollCycleState | undefined,
  periodMs: number,
) {
  const slotStart = slot * periodMs;
  const lastFinished = Math.max(slotStart, ...runs.map((run) => run.finishedAt));
  const busiest = runs.reduce<BatchRun | undefined>(
    (most, run) => (most && most.finishedAt - most.startedAt >= run.finishedAt - run.startedAt ? most : run),
    undefined,
  );
  const reasserting = runs.filter((run) => run.reassert).map((run) => run.index);
  const own = state?.slot === slot ? state : undefined;
  return {
    cycle,
    slot,
    usersChanged,
    finished,
    batches: runs.length,
    cycleSeconds: runs.length > 0 ? rounded((lastFinished - slotStart) / 1000) : null,
    // The cycle job: how late after the slot's start it began, and how long listing and queueing took.
    cycleJob: cycleJob
      ? { lateMs: cycleJob.startedAt - slotStart, seconds: rounded((cycleJob.finishedAt - cycleJob.startedAt) / 1000, 3) }
      : null,
    busiestBatch: busiest
      ? { index: busiest.index, seconds: rounded((busiest.finishedAt - busiest.startedAt) / 1000, 3), reassert: busiest.reassert }
      : null,
    batchSeconds:
      runs.length > 0 ? rounded(runs.reduce((sum, run) => sum + run.finishedAt - run.startedAt, 0) / runs.length / 1000, 3) : null,
    latestBatchStartLagMs: runs.length > 0 ? Math.max(...runs.map((run) => run.startedAt - run.plannedAt)) : null,
    reassertingBatches: reasserting,
    ...counts,
    // The connector's own record of the cycle (the status API's lastCycle); null once a newer cycle replaced it.
    connector: own ? { ...own.stats, finishedAt: own.finishedAt ?? null, lastError: own.lastError ?? null } : null,
  };
}

/** A seeded shuffle (Fisher–Yates), so the same options change the same users. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const random = seededRandom(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * The presence bench: syncs `users` sandbox users (not measured), turns presence on with its defaults (30 s
 * polls, 10 min re-assertion) and runs the real chain in real time — the rig's queue with the worker's
 * dispatch, ensurePolling, `cycles` cycles. Every sandbox user starts Offline (the mapping leaves the
 * PBX alone), so the first cycle costs Graph calls only; right after each cycle's last batch, 1% of the users
 * (a different 1% each time) turn DoNotDisturb for the next, each of them one PBX write. Per cycle: Graph
 * presence calls (goal ⌈users / 650⌉) and 429s (goal 0), the cycle time from the slot's start to the last
 * batch's end (goal ≤ the poll period), the busiest batch, PBX writes (goal: the users changed), reads and
 * requests (re-assertion reads included). Then presence is turned off, which the next cycle obeys by ending
 * the chain.
 */
export async function runPresenceBench(options: PresenceBenchOptions): Promise<void> {
  const { users, cycles, pbxRate } = options;
  const rig = await startSandboxRig({ users, pbxRate });
  try {
    const setup = await measureFeatureRun(rig, usersManifest, `users sync, ${users} users (setup)`, 'full');
    const synced = (await rig.services.links.listByTenant(rig.tenantId)).filter((l) => l.state === 'active').map((l) => l.objectId);
    const presence = PresenceOptionsSchema.parse({ enabled: true });
    await configureRigTenant(rig, (config) => {
      config.presence = presence;
    });
    const period = presence.pollSeconds * 1000;
    // 1% of the users (100 of 10,000), drawn from the synced ones: a user the connector did not sync is not polled.
    const perCycle = Math.min(synced.length, Math.max(1, Math.round(users / 100)));
    const changeOrder = shuffled([...synced].sort(), 11);
    const expectedCalls = Math.ceil(synced.length / MAX_PRESENCE_IDS_PER_CALL);

    const logger = new Logger(stderrLogSink('error'), 'bench');
    const watch = new CycleWatch();
    const otherJobs: Record<string, number> = {};
    await ask(rig.sandbox, { cmd: 'reset' });
    global.gc?.();
    const memory = new PeakMemory();
    rig.queue.start(async (job: SyncJob) => {
      const startedAt = Date.now();
      try {
        await processJob(rig.services, job, logger);
      } finally {
        if (job.kind === 'poll' && job.feature === 'presence' && job.batch) {
          const { index, count, reassert } = job.batch;
          const plannedAt = job.slot * period + Math.floor((index * period) / count);
          watch.record(job.slot, { index, count, reassert, plannedAt, startedAt, finishedAt: Date.now() });
        } else if (job.kind === 'poll' && job.feature === 'presence') {
          const finishedAt = Date.now();
          // A cycle job that started its cycle stored its slot (a duplicate or a stopped chain did not).
          const state = await rig.services.pollCycles.get(rig.tenantId, 'presence');
          if (state?.slot === job.slot) watch.cycleJobs.set(job.slot, { startedAt, finishedAt });
        } else if (job.kind !== 'poll') {
          otherJobs[job.kind] = (otherJobs[job.kind] ?? 0) + 1;
        }
      }
    });
    const now = new Date();
    const firstSlot = pollSlotOf(now, period) + 1;
    const tenant = (await rig.services.tenants.get(rig.tenantId))!;
    const started = await ensurePolling(rig.services, tenant, 'cli', now);
    if (!started.includes('presence')) throw new Error('presence polling did not start (the tenant has a live chain or presence is off)');

    const results = [];
    const warnings: string[] = [];
    let before = await ask<SandboxStats>(rig.sandbox, { cmd: 'stats' });
    let usersChanged = 0;
    let previous = firstSlot - 1;
    for (let k = 0; k < cycles; k += 1) {
      const next = await watch.nextCycle(previous, (previous + 4) * period);
      if (next === undefined) {
        warnings.push(`cycle ${k + 1}: no cycle started within three periods after slot ${previous}`);
        break;
      }
      const slot = next;
      const skippedSlots = slot - previous - 1;
      previous = slot;
      const nextStart = (slot + 1) * period;
      // A cycle that has not finished two periods after it should have is reported as it stands.
      const finished = await watch.finished(slot, nextStart + 2 * period);
      const snapshotAt = Date.now();
      const after = await ask<SandboxStats>(rig.sandbox, { cmd: 'stats' });
      const state = await rig.services.pollCycles.get(rig.tenantId, 'presence');
      const result = cycleResult(
        k + 1,
        slot,
        usersChanged,
        watch.batchesOf(slot),
        finished,
        watch.cycleJobs.get(slot),
        cycleCounts(before, after),
        state,
        period,
      );
      results.push({ ...result, skippedSlotsBefore: skippedSlots });
      before = after;

      const label = `cycle ${k + 1} (slot ${slot})`;
      if (skippedSlots > 0) warnings.push(`${label}: the chain skipped ${skippedSlots} slot(s) before it (the cycle before ran late)`);
      if (!finished) warnings.push(`${label}: ${result.batches} batches finished within two periods after its end`);
      if (snapshotAt > nextStart) warnings.push(`${label}: counted after the next cycle began, so its counts may include the next's`);
      if (result.graphPresenceCalls !== expectedCalls)
        warnings.push(`${label}: ${result.graphPresenceCalls} Graph presence calls, not ⌈${synced.length} / 650⌉ = ${expectedCalls}`);
      if (result.graphThrottled > 0) warnings.push(`${label}: Graph answered 429 ${result.graphThrottled} times`);
      if (result.cycleSeconds !== null && result.cycleSeconds > presence.pollSeconds)
        warnings.push(`${label}: took ${result.cycleSeconds} s from its slot's start, more than the ${presence.pollSeconds} s period`);
      if (result.pbxWrites !== usersChanged) warnings.push(`${label}: ${result.pbxWrites} PBX writes for ${usersChanged} users changed`);
      if (result.pbxThrottled > 0) warnings.push(`${label}: the PBX answered 429 ${result.pbxThrottled} times`);

      // The next cycle's change, made right after this one's last batch: a different 1% turn DoNotDisturb.
      usersChanged = 0;
      if (k + 1 < cycles) {
        const changing = changeOrder.slice(k * perCycle, (k + 1) * perCycle);
        const presences = changing.map((userId) => ({ userId, availability: 'DoNotDisturb', activity: 'DoNotDisturb' }));
        await ask(rig.sandbox, { cmd: 'setPresences', presences });
        usersChanged = changing.length;
        if (Date.now() > nextStart) warnings.push(`cycle ${k + 2}: its users changed after it began, so some may count in the cycle after`);
      }
    }

    // Presence off: the cycle already queued finds it off and ends the chain; then nothing is left queued.
    await configureRigTenant(rig, (config) => {
      config.presence = PresenceOptionsSchema.parse({ ...presence, enabled: false });
    });
    await rig.queue.idle();

    // Users the last cycle saw change in Teams though the bench changed nobody else: their records were written then
    // (users the connector set are left out: a re-assertion rewrites their records).
    const lastSlot = previous;
    const lastStart = new Date(lastSlot * period).toISOString();
    const changedByBench = new Set(cycles > 1 ? changeOrder.slice((cycles - 2) * perCycle, (cycles - 1) * perCycle) : []);
    const listedAt = Date.now();
    const records = await rig.services.presenceStates.listRange(rig.tenantId, undefined, undefined);
    const listSeconds = (Date.now() - listedAt) / 1000;
    // A re-assertion rewrites the records of the users the connector set (applied): those are expected too.
    const unexpected = records.filter(
      (record) => record.updatedAt >= lastStart && !changedByBench.has(record.userId) && record.applied === undefined,
    );
    if (cycles > 1 && unexpected.length > 0)
      warnings.push(`cycle ${cycles}: ${unexpected.length} records written for users whose Teams presence the bench did not change`);
    const unexpectedTeamsChanges = {
      count: unexpected.length,
      sample: unexpected
        .slice(0, 5)
        .map(({ userId, teams, applied, updatedAt }) => ({ userId, teams, applied: applied?.target, updatedAt })),
    };

    // What a first cycle's batch pays on top (every record is new): storing one batch's records, 650 of them.
    // Written back as they are (the chain has stopped), so nothing changes for the connector.
    const rewrite = records.slice(0, MAX_PRESENCE_IDS_PER_CALL);
    const putAt = Date.now();
    await rig.services.presenceStates.putMany(rig.tenantId, rewrite);
    const storeCosts = {
      listAllRecords: { records: records.length, seconds: rounded(listSeconds, 3) },
      putOneBatchOfRecords: { records: rewrite.length, seconds: rounded((Date.now() - putAt) / 1000, 3) },
    };

    const mem = memory.stop();
    const queue = rig.queue.stats();
    if (queue.retried > 0 || queue.deadLettered > 0)
      warnings.push(`the queue retried ${queue.retried} and dead-lettered ${queue.deadLettered} jobs`);
    if (Object.keys(otherJobs).length > 0) warnings.push(`other jobs ran alongside presence: ${JSON.stringify(otherJobs)}`);
    for (const warning of warnings) console.error(`WARNING presence bench: ${warning}`);

    console.log(
      JSON.stringify(
        {
          presence: {
            users,
            synced: synced.length,
            cycles,
            pollSeconds: presence.pollSeconds,
            reassertMinutes: presence.reassertMinutes,
            usersChangedPerCycle: perCycle,
            pbxRateLimitPerMinute: pbxRate,
            node: process.version,
            setup: { status: setup.status, usersRunSeconds: setup.wallSeconds },
            goals: { graphPresenceCallsPerCycle: expectedCalls, cycleSeconds: presence.pollSeconds, graphThrottled: 0 },
            results,
            queue,
            unexpectedTeamsChangesInLastCycle: unexpectedTeamsChanges,
            storeCosts,
            ...mem,
            warnings,
          },
        },
        null,
        2,
      ),
    );
  } finally {
    await rig.stop();
  }
}
