import { seededRandom } from '../sandbox/graph/seededRandom';
import { processJob } from '../shared/app/processJob';
import { ensurePolling, pollSlotOf } from '../shared/app/pollingChain';
import { type SyncJob } from '../shared/app/jobs/SyncJob';
import { Logger } from '../shared/core/logging/Logger';
import { stderrLogSink } from '../shared/core/logging/logSinks';
import { CalendarOptionsSchema } from '../shared/features/calendar/calendarOptions';
import { PresenceOptionsSchema } from '../shared/features/presence/presenceOptions';
import { usersManifest } from '../shared/features/users/usersManifest';
import { measureFeatureRun } from './measureFeatureRun';
import { PeakMemory } from './PeakMemory';
import { percentiles } from './percentiles';
import { ask, type PbxPresenceWrite, type SandboxStats, startSandboxRig, configureRigTenant } from './sandboxRig';

export interface CalendarBenchOptions {
  /** Sandbox users, all synced before the calendar is turned on (the generator makes about 88% of them syncable). */
  users: number;
  /** Busy meetings per synced user. */
  meetings: number;
  /** The tenant's PBX limit (requests per minute); the realtime lane paces at its share of it (realtimeShare). */
  pbxRate: number;
}

/** From the seeding to the earliest user's first meeting: the next calendar cycle has read every calendar by then. */
const LEAD_MS = 90_000;
/** The users' first meetings start spread evenly over this long (in object id order), so transitions spread too. */
const STAGGER_MS = 45_000;
/** Each meeting and each gap between two of a user's meetings lasts from 30 to 45 s (whole seconds, seeded). */
const MIN_PART_S = 30;
const MAX_PART_S = 45;
/** After the last transition: how long the bench waits before it checks whether the queue has caught up. */
const MARGIN_MS = 30_000;
/** The longest the bench waits for the queue to catch up after that margin. */
const CATCH_UP_MS = 5 * 60_000;
/** Writes of one transition (the DND switch and the status as the user) land within this of each other. */
const SAME_TRANSITION_MS = 2000;
/** The goal: a meeting's start or end reaches the PBX within this many seconds at the 95th percentile. */
const GOAL_P95_SECONDS = 30;

const rounded = (value: number, digits = 2) => Number(value.toFixed(digits));
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A meeting's start (the PBX goes DND) or end (the status from before is restored), at its exact time (epoch ms). */
interface Transition {
  objectId: string;
  pbxUserId: string;
  at: number;
  kind: 'start' | 'end';
}

/** One synced user's meetings as seeded: alternating starts and ends, in time order. */
interface UserSchedule {
  objectId: string;
  pbxUserId: string;
  meetings: { start: number; end: number }[];
}

/** A timer job (a meeting's start or end) as the queue's handler ran it. */
interface TimerRun {
  due: number;
  startedAt: number;
  finishedAt: number;
  failed: boolean;
}

/** A calendar poll batch job as the queue's handler ran it. */
interface BatchRun {
  slot: number;
  plannedAt: number;
  startedAt: number;
  finishedAt: number;
}

/**
 * Every synced user's meetings: the first starts LEAD_MS after `seededAt` (whole seconds) plus the user's place in
 * the stagger, then meetings and gaps of 30–45 s alternate. Seeded, so the same users get the same schedule.
 */
function scheduleMeetings(users: readonly { objectId: string; pbxUserId: string }[], meetings: number, seededAt: number): UserSchedule[] {
  const random = seededRandom(17);
  const part = () => (MIN_PART_S + Math.floor(random() * (MAX_PART_S - MIN_PART_S + 1))) * 1000;
  const base = Math.ceil((seededAt + LEAD_MS) / 1000) * 1000;
  return users.map((user, k) => {
    let at = base + Math.floor((k * STAGGER_MS) / users.length / 1000) * 1000;
    const own: { start: number; end: number }[] = [];
    for (let m = 0; m < meetings; m += 1) {
      const start = at;
      const end = start + part();
      own.push({ start, end });
      at = end + part();
    }
    return { ...user, meetings: own };
  });
}

/** A write that silences the phone (DND status or switch on); any other presence write restores. */
const silences = (write: PbxPresenceWrite) =>
  (write.kind === 'status' && write.value === 'DO_NOT_DISTURB') || (write.kind === 'dnd' && write.value === 'true');

/**
 * Pairs each user's transitions with the PBX writes made for them, in order: a start with the first DND write at
 * or after it, an end with the first restoring write at or after it — each before the user's next transition of
 * the same kind (a write later than that is counted unexpected, and the transition missed). Writes following the
 * matched one within SAME_TRANSITION_MS and of the same kind belong to the same transition (e.g. DND switch and
 * status); every other write is unexpected.
 */
function matchWrites(schedules: readonly UserSchedule[], writes: readonly PbxPresenceWrite[]) {
  const byUser = new Map<string, PbxPresenceWrite[]>();
  for (const write of writes) byUser.set(write.userId, [...(byUser.get(write.userId) ?? []), write]);
  const latencies: { kind: Transition['kind']; seconds: number }[] = [];
  const missed: Transition[] = [];
  const unexpected: PbxPresenceWrite[] = [];
  let sameTransitionWrites = 0;
  for (const schedule of schedules) {
    const own = (byUser.get(schedule.pbxUserId) ?? []).sort((a, b) => a.at - b.at);
    byUser.delete(schedule.pbxUserId);
    const transitions: Transition[] = schedule.meetings.flatMap(({ start, end }) => [
      { objectId: schedule.objectId, pbxUserId: schedule.pbxUserId, at: start, kind: 'start' as const },
      { objectId: schedule.objectId, pbxUserId: schedule.pbxUserId, at: end, kind: 'end' as const },
    ]);
    let next = 0;
    transitions.forEach((transition, k) => {
      const before = transitions[k + 2]?.at ?? Infinity;
      const wantsSilence = transition.kind === 'start';
      let j = next;
      while (j < own.length && !(own[j]!.at >= transition.at - 250 && own[j]!.at < before && silences(own[j]!) === wantsSilence)) j += 1;
      if (j >= own.length) {
        missed.push(transition);
        return;
      }
      unexpected.push(...own.slice(next, j));
      const matched = own[j]!;
      latencies.push({ kind: transition.kind, seconds: (matched.at - transition.at) / 1000 });
      next = j + 1;
      while (next < own.length && own[next]!.at - matched.at <= SAME_TRANSITION_MS && silences(own[next]!) === wantsSilence) {
        sameTransitionWrites += 1;
        next += 1;
      }
    });
    unexpected.push(...own.slice(next));
  }
  // Writes for users the bench gave no meeting.
  for (const rest of byUser.values()) unexpected.push(...rest);
  return { latencies, missed, unexpected, sameTransitionWrites };
}

/** The most writes within any 60 s. */
function peakPerMinute(writes: readonly PbxPresenceWrite[]): number {
  const times = writes.map((w) => w.at).sort((a, b) => a - b);
  let peak = 0;
  let from = 0;
  for (let to = 0; to < times.length; to += 1) {
    while (times[to]! - times[from]! >= 60_000) from += 1;
    peak = Math.max(peak, to - from + 1);
  }
  return peak;
}

/**
 * The calendar bench: syncs `users` sandbox users (not measured), turns the calendar on (reads every minute) and
 * presence off, and runs the real chain in real time — the rig's queue with the worker's dispatch and
 * ensurePolling. Once the first cycle has read every (empty) calendar, each synced user gets `meetings` busy
 * meetings of 30–45 s with 30–45 s gaps, the first 90 s later, staggered over 45 s across users; the next cycle
 * reads them and queues their starts and ends as timers. After the last meeting ended and the queue caught up,
 * per transition: seconds from the meeting's start or end to the PBX write (goal p95 ≤ 30 s), transitions with no
 * write, writes no transition asked for; Graph calendar reads per user per hour; PBX requests, and the peak
 * minute's writes against the realtime lane's share of the PBX limit. Then the calendar is turned off, which the
 * next cycle obeys by ending the chain.
 */
export async function runCalendarBench(options: CalendarBenchOptions): Promise<void> {
  const { users, meetings, pbxRate } = options;
  const rig = await startSandboxRig({ users, pbxRate });
  try {
    const setup = await measureFeatureRun(rig, usersManifest, `users sync, ${users} users (setup)`, 'full');
    const synced = (await rig.services.links.listByTenant(rig.tenantId))
      .filter((l) => l.state === 'active' && l.pbxUserId !== undefined)
      .map((l) => ({ objectId: l.objectId, pbxUserId: l.pbxUserId! }))
      .sort((a, b) => (a.objectId < b.objectId ? -1 : a.objectId > b.objectId ? 1 : 0));
    const calendar = CalendarOptionsSchema.parse({ enabled: true, refreshMinutes: 1 });
    await configureRigTenant(rig, (config) => {
      config.calendar = calendar;
      config.presence = PresenceOptionsSchema.parse({ enabled: false });
    });
    const tenant = (await rig.services.tenants.get(rig.tenantId))!;
    const realtimeRate = Math.floor(pbxRate * tenant.config.pbx.realtimeShare);
    const period = calendar.refreshMinutes * 60_000;

    const logger = new Logger(stderrLogSink('error'), 'bench');
    const timerRuns: TimerRun[] = [];
    const batchRuns: BatchRun[] = [];
    const otherJobs: Record<string, number> = {};
    await ask(rig.sandbox, { cmd: 'reset' });
    global.gc?.();
    const memory = new PeakMemory();
    rig.queue.start(async (job: SyncJob) => {
      const startedAt = Date.now();
      let failed = false;
      try {
        await processJob(rig.services, job, logger);
      } catch (err) {
        failed = true;
        throw err;
      } finally {
        const finishedAt = Date.now();
        if (job.kind === 'timer') timerRuns.push({ due: Date.parse(job.at), startedAt, finishedAt, failed });
        else if (job.kind === 'poll' && job.batch) {
          const plannedAt = job.slot * period + Math.floor((job.batch.index * period) / job.batch.count);
          batchRuns.push({ slot: job.slot, plannedAt, startedAt, finishedAt });
        } else if (job.kind !== 'poll') otherJobs[job.kind] = (otherJobs[job.kind] ?? 0) + 1;
      }
    });
    const now = new Date();
    const firstSlot = pollSlotOf(now, period) + 1;
    const started = await ensurePolling(rig.services, tenant, 'cli', now);
    if (!started.includes('calendar'))
      throw new Error('calendar polling did not start (the tenant has a live chain or the calendar is off)');

    // The first cycle reads every calendar, all empty: it writes nothing and queues no timer.
    const firstDeadline = (firstSlot + 3) * period;
    let first = await rig.services.pollCycles.get(rig.tenantId, 'calendar');
    while (!(first && first.slot >= firstSlot && first.finishedAt)) {
      if (Date.now() > firstDeadline) throw new Error(`the first calendar cycle (slot ${firstSlot}) did not finish within three periods`);
      await pause(250);
      first = await rig.services.pollCycles.get(rig.tenantId, 'calendar');
    }
    const firstRead = first;

    const warnings: string[] = [];
    const seededAt = Date.now();
    const schedules = scheduleMeetings(synced, meetings, seededAt);
    const meetingsToAdd = schedules.flatMap(({ objectId, meetings: own }) =>
      own.map(({ start, end }) => ({ userId: objectId, start: new Date(start).toISOString(), end: new Date(end).toISOString() })),
    );
    const added = await ask<{ ok: boolean; error?: string }>(rig.sandbox, { cmd: 'addMeetings', meetings: meetingsToAdd });
    if (!added.ok) throw new Error(`the sandbox refused the meetings: ${added.error}`);
    const seededIn = Date.now() - seededAt;
    const times = schedules.flatMap(({ meetings: own }) => own.flatMap(({ start, end }) => [start, end]));
    const firstTransition = Math.min(...times);
    const lastTransition = Math.max(...times);

    // Every meeting ended, plus a margin; then until the queue has nothing due (timers that ran late included).
    await pause(Math.max(0, lastTransition + MARGIN_MS - Date.now()));
    const caughtUp = await Promise.race([rig.queue.idle({ withinMs: 0 }).then(() => true), pause(CATCH_UP_MS).then(() => false)]);
    if (!caughtUp) warnings.push(`the queue still had due jobs ${CATCH_UP_MS / 60_000} min after the margin: late writes count as missed`);
    const endAt = Date.now();
    const stats = await ask<SandboxStats>(rig.sandbox, { cmd: 'stats' });
    // The cycle after the seeding must have read every calendar before the first meeting begins.
    const seedReadBy = Math.max(0, ...batchRuns.filter((run) => run.slot === firstRead.slot + 1).map((run) => run.finishedAt));
    if (seedReadBy > firstTransition)
      warnings.push(
        `the cycle after the seeding finished ${rounded((seedReadBy - firstTransition) / 1000)} s after the first meeting began`,
      );

    // Calendar off: the cycle already queued finds it off and ends the chain; then nothing is left queued.
    await configureRigTenant(rig, (config) => {
      config.calendar = CalendarOptionsSchema.parse({ ...calendar, enabled: false });
    });
    await rig.queue.idle();
    const mem = memory.stop();
    const log = await ask<{ writes: PbxPresenceWrite[]; dropped: number }>(rig.sandbox, { cmd: 'presenceWriteLog' });
    if (log.dropped > 0) warnings.push(`the sandbox PBX dropped ${log.dropped} presence writes from its log`);
    const afterEnd = log.writes.filter((write) => write.at > endAt).length;

    const { latencies, missed, unexpected, sameTransitionWrites } = matchWrites(schedules, log.writes);
    const seconds = latencies.map((l) => l.seconds);
    const all = percentiles(seconds);
    const transitions = schedules.length * meetings * 2;
    if (all.p95 > GOAL_P95_SECONDS)
      warnings.push(`p95 ${all.p95} s from a meeting's start or end to its PBX write, above ${GOAL_P95_SECONDS} s`);
    if (missed.length > 0) warnings.push(`${missed.length} of ${transitions} transitions got no PBX write`);
    if (unexpected.length > 0) warnings.push(`${unexpected.length} PBX presence writes no transition asked for`);
    if (stats.pbxThrottled > 0) warnings.push(`the PBX answered 429 ${stats.pbxThrottled} times`);
    if (stats.outlookThrottled > 0) warnings.push(`Outlook answered 429 ${stats.outlookThrottled} times`);

    // Graph: calendar reads from the first cycle's start to the end of the measurement, per synced user and hour.
    const windowMs = endAt - firstSlot * period;
    const perUserPerHour = stats.graphCalendarViews / Math.max(1, synced.length) / (windowMs / 3_600_000);
    const writesTotal = stats.pbxPresenceWrites + stats.pbxDndWrites;
    const requestsPerTransition = latencies.length > 0 ? stats.pbxRequests / latencies.length : null;
    // The busiest minute's writes at the run's average PBX requests per write.
    const peakWrites = peakPerMinute(log.writes);
    const peakRequests = writesTotal > 0 ? Math.round(peakWrites * (stats.pbxRequests / writesTotal)) : null;
    if (peakRequests !== null && peakRequests > realtimeRate)
      warnings.push(`the peak minute needed about ${peakRequests} PBX requests, above the realtime lane's ${realtimeRate}/min`);

    const failedTimers = timerRuns.filter((run) => run.failed).length;
    const queue = rig.queue.stats();
    if (queue.retried > 0 || queue.deadLettered > 0)
      warnings.push(`the queue retried ${queue.retried} and dead-lettered ${queue.deadLettered} jobs`);
    if (Object.keys(otherJobs).length > 0) warnings.push(`other jobs ran alongside the calendar: ${JSON.stringify(otherJobs)}`);
    if (afterEnd > 0) warnings.push(`${afterEnd} PBX presence writes after the measurement ended`);
    for (const warning of warnings) console.error(`WARNING calendar bench: ${warning}`);

    const sample = <T>(items: readonly T[], map: (item: T) => object) => items.slice(0, 5).map(map);
    console.log(
      JSON.stringify(
        {
          calendar: {
            users,
            synced: synced.length,
            meetingsPerUser: meetings,
            refreshMinutes: calendar.refreshMinutes,
            pbxRateLimitPerMinute: pbxRate,
            realtimeLaneRatePerMinute: realtimeRate,
            node: process.version,
            setup: { status: setup.status, usersRunSeconds: setup.wallSeconds },
            firstRead: {
              slot: firstRead.slot,
              users: firstRead.stats.users,
              batches: firstRead.stats.batches,
              graphCalls: firstRead.stats.graphCalls,
              failed: firstRead.stats.failed,
              seconds: rounded(firstRead.stats.durationMs / 1000),
            },
            schedule: {
              transitions,
              seededInSeconds: rounded(seededIn / 1000, 3),
              firstTransitionAfterSeedingSeconds: rounded((firstTransition - seededAt) / 1000),
              lastTransitionAfterSeedingSeconds: rounded((lastTransition - seededAt) / 1000),
              meetingAndGapSeconds: `${MIN_PART_S}-${MAX_PART_S}`,
              staggerSeconds: STAGGER_MS / 1000,
            },
            goals: { p95Seconds: GOAL_P95_SECONDS, missed: 0, unexpected: 0 },
            latencySeconds: {
              all,
              starts: percentiles(latencies.filter((l) => l.kind === 'start').map((l) => l.seconds)),
              ends: percentiles(latencies.filter((l) => l.kind === 'end').map((l) => l.seconds)),
            },
            missedTransitions: {
              count: missed.length,
              sample: sample(missed, (t) => ({ ...t, at: new Date(t.at).toISOString() })),
            },
            unexpectedWrites: {
              count: unexpected.length,
              afterMeasurementEnd: afterEnd,
              sample: sample(unexpected, (w) => ({ ...w, at: new Date(w.at).toISOString() })),
            },
            graph: {
              calendarViewRequests: stats.graphCalendarViews,
              windowSeconds: rounded(windowMs / 1000),
              requestsPerUserPerHour: rounded(perUserPerHour),
              expectedPerUserPerHour: 60 / calendar.refreshMinutes,
              outlookThrottled: stats.outlookThrottled,
            },
            pbx: {
              requests: stats.pbxRequests,
              presenceWrites: stats.pbxPresenceWrites,
              dndWrites: stats.pbxDndWrites,
              writesSameTransition: sameTransitionWrites,
              statusReads: stats.pbxStatusReads,
              userSignIns: stats.pbxUserSignIns,
              throttled: stats.pbxThrottled,
              requestsPerTransition: requestsPerTransition === null ? null : rounded(requestsPerTransition),
              peakWritesPerMinute: peakWrites,
              peakRequestsPerMinuteEstimate: peakRequests,
              requestsByRoute: stats.pbxByRoute,
            },
            jobs: {
              timers: {
                count: timerRuns.length,
                failed: failedTimers,
                startLagSeconds: percentiles(timerRuns.map((run) => (run.startedAt - run.due) / 1000)),
                runMs: percentiles(timerRuns.map((run) => run.finishedAt - run.startedAt)),
              },
              pollBatches: {
                count: batchRuns.length,
                seconds: percentiles(batchRuns.map((run) => (run.finishedAt - run.startedAt) / 1000)),
                startLagSeconds: percentiles(batchRuns.map((run) => (run.startedAt - run.plannedAt) / 1000)),
              },
            },
            queue,
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
