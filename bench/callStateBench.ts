import { z } from 'zod';
import { generateUsers } from '../sandbox/graph';
import { seededRandom } from '../sandbox/graph/seededRandom';
import { type NotificationRig, startNotificationRig } from '../sandbox/notificationRig';
import { CallStateOptionsSchema } from '../shared/features/callState/callStateOptions';
import { type CommandLine, parseCommandLine } from '../shared/platform/local/parseCommandLine';
import { startAzurite } from '../shared/platform/local/startAzurite';
import { PeakMemory } from './PeakMemory';
import { percentiles } from './percentiles';

export const CALL_STATE = 'callState';

export const CALL_STATE_USAGE = [
  'usage: npm run bench -- --only callState [--calls N] [--call-users N] [--calls-per-second N] [--fault-calls N]',
  '  PBX calls → Teams presence over the sandboxes (PortSIP extension events → webhook → queue → Graph setPresence):',
  '  --calls (1000) calls of 2-5 s spread over the synced ones of --call-users (200) sandbox users, starting at',
  '  --calls-per-second (20); each start and end timed from its PBX event to Graph answering setPresence /',
  '  clearPresence (goal p95 ≤ 2 s). Then --fault-calls (200) calls with every event duplicated and some reordered',
  '  (0 skips that phase). About a minute and a half with the defaults.',
].join('\n');

/** True when the command line asks for this bench (`--only callState`); it has options of its own. */
export function isCallStateRun(argv: readonly string[]): boolean {
  const i = argv.indexOf('--only');
  return (i >= 0 && argv[i + 1] === CALL_STATE) || argv.includes(`--only=${CALL_STATE}`);
}

const count = (min: number, max: number, fallback: number) =>
  z
    .string()
    .regex(/^[0-9]+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`))
    .default(fallback);

const CallStateBenchOptionsSchema = z
  .object({
    only: z.literal(CALL_STATE),
    calls: count(1, 100_000, 1000),
    'call-users': count(1, 100_000, 200),
    'calls-per-second': count(1, 1000, 20),
    'fault-calls': count(0, 10_000, 200),
  })
  .transform((o) => ({ calls: o.calls, users: o['call-users'], callsPerSecond: o['calls-per-second'], faultCalls: o['fault-calls'] }));

export type CallStateBenchOptions = z.output<typeof CallStateBenchOptionsSchema>;

/** `npm run bench -- --only callState …` arguments. */
export function parseCallStateBenchOptions(argv: readonly string[]): CommandLine<CallStateBenchOptions> {
  const text = { type: 'string' } as const;
  return parseCommandLine(argv, {
    usage: CALL_STATE_USAGE,
    options: { only: text, calls: text, 'call-users': text, 'calls-per-second': text, 'fault-calls': text },
    schema: CallStateBenchOptionsSchema,
  });
}

/** The goal: from the PBX event to Graph's answer, 95% of call starts and ends within this many ms. */
const GOAL_P95_MS = 2000;
/** Each call lasts from 2 to 5 s. */
const MIN_CALL_MS = 2000;
const MAX_CALL_MS = 5000;
/**
 * A user's next call starts at least this long after their previous one ended: PortSIP's event times are whole
 * seconds, and a start in the same second as the previous end would rightly count as no later than that end.
 */
const MIN_GAP_MS = 1100;
/** How often the sandbox's last write per watched user is sampled (it keeps only the last one). */
const SAMPLE_MS = 20;
/** A user is sampled this long after their last event even when every write expected was seen (extra writes). */
const WATCH_AFTER_MS = 1000;
/** …and at most this long after it while writes are still missing. */
const WATCH_AT_MOST_MS = 60_000;
/** Calls in the fault phase whose end is sent before their start (each run alone, so nothing comes between). */
const OVERTAKEN_CALLS = 10;
/** In the fault phase, every this-many-th call's start is held back until the next event is answered. */
const REORDER_EVERY = 4;

const NOTE =
  'Measured up to Graph answering setPresence / clearPresence. Teams clients pick the change up with a delay of ' +
  'their own: Microsoft says clients poll presence and a change can take a few minutes to show, so what ' +
  'colleagues see lags these numbers.';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One PBX call event as the sandbox delivered it (the first copy to go out when it was duplicated). */
export interface SentCallEvent {
  userId: string;
  kind: 'start' | 'end';
  /** When the sandbox raised it (epoch ms). */
  raisedAt: number;
  /** When its first POST went out (epoch ms): on this machine, its arrival at the connector. */
  sentAt: number;
  /** The event's own time, as the PBX writes it: whole Unix seconds. */
  pbxSecond?: number;
}

/** A setPresence / clearPresence Graph answered for a user (epoch ms). */
export interface PresenceWrite {
  userId: string;
  action: 'setPresence' | 'clearPresence';
  at: number;
}

/**
 * Pairs each user's call events with Graph's writes for them, in order: each event, in the order raised, takes
 * the first write not taken yet that is of its kind (a start setPresence, an end clearPresence) and no earlier
 * than its sending. The connector runs a tenant's call events one at a time in arrival order, so the writes come
 * in the events' order even when a backlog delays them past the user's next event. An event with no such write is
 * missed; writes skipped over, or left after the last match, are unexpected. Events in `expectNoWrite` (an end that overtook its start,
 * and that start) are not paired: any write for such a call shows as unexpected.
 */
export function pairCallWrites(
  events: readonly SentCallEvent[],
  writes: readonly PresenceWrite[],
  expectNoWrite: ReadonlySet<SentCallEvent> = new Set(),
) {
  const writesByUser = new Map<string, PresenceWrite[]>();
  for (const write of writes) writesByUser.set(write.userId, [...(writesByUser.get(write.userId) ?? []), write]);
  const eventsByUser = new Map<string, SentCallEvent[]>();
  for (const event of events) eventsByUser.set(event.userId, [...(eventsByUser.get(event.userId) ?? []), event]);
  const latencies: { kind: SentCallEvent['kind']; ms: number }[] = [];
  const missed: SentCallEvent[] = [];
  const unexpected: PresenceWrite[] = [];
  for (const [userId, unsorted] of eventsByUser) {
    const own = [...(writesByUser.get(userId) ?? [])].sort((a, b) => a.at - b.at);
    writesByUser.delete(userId);
    const sorted = [...unsorted].sort((a, b) => a.raisedAt - b.raisedAt);
    let next = 0;
    sorted.forEach((event) => {
      if (expectNoWrite.has(event)) return;
      const action = event.kind === 'start' ? 'setPresence' : 'clearPresence';
      let j = next;
      while (j < own.length && !(own[j]!.action === action && own[j]!.at >= event.sentAt)) j += 1;
      if (j >= own.length) {
        missed.push(event);
        return;
      }
      unexpected.push(...own.slice(next, j));
      latencies.push({ kind: event.kind, ms: own[j]!.at - event.sentAt });
      next = j + 1;
    });
    unexpected.push(...own.slice(next));
  }
  for (const rest of writesByUser.values()) unexpected.push(...rest);
  return { latencies, missed, unexpected };
}

/**
 * Times the connector's realtime-lane jobs through the writer lease every timer job holds (the queue runs a
 * tenant's lane one job at a time, so these spans are the lane's service times): from asking for the lease to
 * having given it back.
 */
class LaneJobTimer {
  readonly spans: { start: number; acquired: number; releasing: number; end: number }[] = [];
  private readonly open = new Map<string, { start: number; acquired: number }>();

  constructor(rig: NotificationRig) {
    const leases = rig.services.leases;
    const acquire = leases.acquire.bind(leases);
    const release = leases.release.bind(leases);
    leases.acquire = async (key, owner, ttlMs, now) => {
      const start = Date.now();
      const answer = await acquire(key, owner, ttlMs, now);
      if (key.lane === 'realtime' && answer.lease) this.open.set(owner, { start, acquired: Date.now() });
      return answer;
    };
    leases.release = async (lease) => {
      const releasing = Date.now();
      try {
        await release(lease);
      } finally {
        const opened = this.open.get(lease.owner);
        this.open.delete(lease.owner);
        if (opened) this.spans.push({ ...opened, releasing, end: Date.now() });
      }
    };
  }

  /** The spans that began at or after `from` (epoch ms): per job, and the lane's busy share of the window. */
  summary(from: number, to: number) {
    const spans = this.spans.filter((span) => span.start >= from && span.start < to);
    const busy = spans.reduce((sum, span) => sum + span.end - span.start, 0);
    return {
      jobs: spans.length,
      jobMs: percentiles(spans.map((span) => span.end - span.start)),
      leaseAcquireMs: percentiles(spans.map((span) => span.acquired - span.start)),
      workMs: percentiles(spans.map((span) => span.releasing - span.acquired)),
      leaseReleaseMs: percentiles(spans.map((span) => span.end - span.releasing)),
      laneBusyShare: Number((busy / Math.max(1, to - from)).toFixed(2)),
    };
  }
}

/** One planned call: who, and when it starts and ends (ms from the phase's start). */
interface PlannedCall {
  userId: string;
  pbxUserId: string;
  start: number;
  end: number;
}

/**
 * `calls` calls spread round-robin over the users, the k-th starting at k / perSecond s (later when the user's
 * previous call has not ended MIN_GAP_MS before), each lasting 2–5 s (seeded).
 */
function planCalls(users: readonly { userId: string; pbxUserId: string }[], calls: number, perSecond: number, seed: number): PlannedCall[] {
  const random = seededRandom(seed);
  const freeAt = new Map<string, number>();
  const planned: PlannedCall[] = [];
  for (let k = 0; k < calls; k += 1) {
    const user = users[k % users.length]!;
    const start = Math.max(Math.round((k * 1000) / perSecond), freeAt.get(user.userId) ?? 0);
    const end = start + MIN_CALL_MS + Math.round(random() * (MAX_CALL_MS - MIN_CALL_MS));
    freeAt.set(user.userId, end + MIN_GAP_MS);
    planned.push({ ...user, start, end });
  }
  return planned;
}

/**
 * Samples the sandbox Graph's last setPresence / clearPresence of each watched user every SAMPLE_MS and keeps
 * every distinct one. A user is watched from their event until the writes expected were seen (and a second more,
 * for extra writes); two writes for one user within one sample would show as one (the totals tell).
 */
class WriteSampler {
  readonly writes: PresenceWrite[] = [];
  private readonly lastSeen = new Map<string, string>();
  private readonly watch = new Map<string, { lastEventAt: number; expected: number; seen: number }>();
  private readonly timer = setInterval(() => this.sample(), SAMPLE_MS);

  constructor(private readonly rig: NotificationRig) {
    // Writes from before the bench are not the bench's.
    for (const user of rig.graph.listUsers()) this.remember(user.id);
  }

  /** The bench raised an event for the user; `writes` is how many Graph writes it should bring (0 or 1). */
  expect(userId: string, writes: number): void {
    const state = this.watch.get(userId) ?? { lastEventAt: 0, expected: 0, seen: 0 };
    state.lastEventAt = Date.now();
    state.expected += writes;
    this.watch.set(userId, state);
  }

  sample(): void {
    const now = Date.now();
    for (const [userId, state] of this.watch) {
      const write = this.rig.graph.appPresenceSessions(userId).lastWrite;
      if (write) {
        const key = `${write.action}@${write.at}`;
        if (this.lastSeen.get(userId) !== key) {
          this.lastSeen.set(userId, key);
          this.writes.push({ userId, action: write.action, at: write.at });
          state.seen += 1;
        }
      }
      const since = now - state.lastEventAt;
      if ((state.seen >= state.expected && since > WATCH_AFTER_MS) || since > WATCH_AT_MOST_MS) this.watch.delete(userId);
    }
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }

  private remember(userId: string): void {
    const write = this.rig.graph.appPresenceSessions(userId).lastWrite;
    if (write) this.lastSeen.set(userId, `${write.action}@${write.at}`);
  }
}

/** The sandbox's deliveries after `afterEventId` as call events, the first copy of each event only. */
function sentEvents(rig: NotificationRig, afterEventId: number, objectIdOf: ReadonlyMap<string, string>) {
  const byEvent = new Map<number, SentCallEvent>();
  const deliveries = rig.pbx.extensionEventLog().filter((d) => d.eventId > afterEventId);
  let notSent = 0;
  const statuses: Record<string, number> = {};
  for (const delivery of deliveries) {
    statuses[delivery.state] = (statuses[delivery.state] ?? 0) + 1;
    const body = delivery.body;
    if (body.event_type !== 'extension_call' || delivery.sentAt === null) {
      notSent += 1;
      continue;
    }
    const userId = objectIdOf.get(body.extension_id);
    if (!userId) continue;
    const kind = body.call_status === 'ON_CALL' ? 'start' : 'end';
    const known = byEvent.get(delivery.eventId);
    if (!known || delivery.sentAt < known.sentAt)
      byEvent.set(delivery.eventId, { userId, kind, raisedAt: delivery.queuedAt, sentAt: delivery.sentAt, pbxSecond: Number(body.time) });
  }
  const lastEventId = Math.max(afterEventId, ...deliveries.map((d) => d.eventId));
  return { events: [...byEvent.values()], deliveries: deliveries.length, deliveryStates: statuses, notSent, lastEventId };
}

/** Raises every planned call's start and end at its time (a start and an end due together: in plan order). */
async function runCalls(rig: NotificationRig, sampler: WriteSampler, calls: readonly PlannedCall[], onStart?: (k: number) => void) {
  const steps = calls
    .flatMap((call, k) => [
      { at: call.start, call, k, active: true },
      { at: call.end, call, k, active: false },
    ])
    .sort((a, b) => a.at - b.at || (a.active === b.active ? a.k - b.k : a.active ? 1 : -1));
  const began = Date.now();
  let lateMs = 0;
  let startsHeldToNextSecond = 0;
  const lastEndSecond = new Map<string, number>();
  for (const step of steps) {
    const wait = began + step.at - Date.now();
    if (wait > 0) await pause(wait);
    else lateMs = Math.max(lateMs, -wait);
    // A late loop could raise a start in the PBX second of the user's previous end, which the connector rightly
    // reads as no later than that end (PortSIP's times are whole seconds): wait into the next second instead.
    const endSecond = lastEndSecond.get(step.call.userId);
    if (step.active && endSecond !== undefined && Math.floor(Date.now() / 1000) <= endSecond) {
      startsHeldToNextSecond += 1;
      await pause((endSecond + 1) * 1000 - Date.now() + 5);
    }
    if (!step.active) lastEndSecond.set(step.call.userId, Math.floor(Date.now() / 1000));
    if (step.active) onStart?.(step.k);
    sampler.expect(step.call.userId, 1);
    rig.pbx.setCallInProgress(step.call.pbxUserId, step.active);
  }
  return { seconds: (Date.now() - began) / 1000, latestRaiseMs: lateMs, startsHeldToNextSecond };
}

/** Until the sandbox PBX has delivered everything and the jobs it queued have run (re-assertions ahead excepted). */
async function settle(rig: NotificationRig): Promise<void> {
  await rig.pbx.extensionEventsSettled();
  await rig.services.queue.idle({ withinMs: 2000 });
  await pause(WATCH_AFTER_MS + 2 * SAMPLE_MS);
}

const latencySummary = (latencies: readonly { kind: 'start' | 'end'; ms: number }[]) => ({
  starts: percentiles(latencies.filter((l) => l.kind === 'start').map((l) => l.ms)),
  ends: percentiles(latencies.filter((l) => l.kind === 'end').map((l) => l.ms)),
  all: percentiles(latencies.map((l) => l.ms)),
});

/** Every event and write of the first few users with a missed event, for stderr (what went wrong for them). */
function traceMissed(label: string, missed: readonly SentCallEvent[], events: readonly SentCallEvent[], writes: readonly PresenceWrite[]) {
  const users = [...new Set(missed.map((event) => event.userId))].slice(0, 3);
  for (const userId of users)
    console.error(
      `callState bench trace (${label}) ${userId}: ` +
        JSON.stringify({
          events: events.filter((e) => e.userId === userId).sort((a, b) => a.raisedAt - b.raisedAt),
          writes: writes.filter((w) => w.userId === userId).sort((a, b) => a.at - b.at),
        }),
    );
}

function sessionsLeft(rig: NotificationRig, userIds: readonly string[]): number {
  return userIds.reduce((sum, userId) => sum + rig.graph.appPresenceSessions(userId).sessions.length, 0);
}

/**
 * The call-state bench: `users` sandbox users synced through the notification rig (callState on, so the
 * connector points the sandbox PBX's extension events at its own webhook), then `calls` calls of 2–5 s on the
 * synced users' phones at `callsPerSecond` starts a second. Each start and end is timed from the moment the PBX
 * sent its event (the delivery's first POST, on this machine its arrival at the connector) to Graph answering
 * setPresence / clearPresence for the user; Graph writes are counted (one per start and one per end) and no
 * session may be left. A second phase repeats `faultCalls` calls with every event sent twice and every fourth
 * start held back behind the next event, then a few calls whose end overtakes their start (no write expected).
 */
export async function runCallStateBench(options: CallStateBenchOptions): Promise<void> {
  const { calls, users, callsPerSecond, faultCalls } = options;
  const startedAt = Date.now();
  const azurite = await startAzurite();
  let rig: NotificationRig | undefined;
  try {
    rig = await startNotificationRig({
      storageConnectionString: azurite.connectionString,
      tablePrefix: `cs${Date.now().toString(36)}`,
      users: generateUsers(users, { seed: 23 }),
      configure: (config) => ({ ...config, callState: CallStateOptionsSchema.parse({ enabled: true }) }),
    });
    const setupSeconds = (Date.now() - startedAt) / 1000;
    const warnings: string[] = [];
    const tenant = (await rig.services.tenants.get(rig.tenantId))!;
    const target = await (await rig.services.connectorsFor(tenant)).pbxEventTarget?.read();
    if (!target?.enabled || !target.url?.includes('/api/pbx/'))
      throw new Error(`the PBX's extension events do not reach the connector: ${JSON.stringify(target)}`);
    const synced = rig.pbx
      .listUsers()
      .filter((u) => u.ms365_binding)
      .map((u) => ({ userId: u.ms365_binding!, pbxUserId: String(u.id) }))
      .sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
    if (synced.length === 0) throw new Error('no user was synced');
    const objectIdOf = new Map(synced.map((u) => [u.pbxUserId, u.userId]));
    const userIds = synced.map((u) => u.userId);

    global.gc?.();
    const memory = new PeakMemory();
    const sampler = new WriteSampler(rig);
    const laneJobs = new LaneJobTimer(rig);
    const phase1From = Date.now();
    const queueBefore = rig.services.queue.stats();
    const lastEventBefore = Math.max(0, ...rig.pbx.extensionEventLog().map((d) => d.eventId));

    // Phase 1: no faults.
    let graphBefore = rig.graph.presenceWriteStats();
    let throttledBefore = rig.graph.presenceStats().throttled;
    const plan = planCalls(synced, calls, callsPerSecond, 29);
    const raised = await runCalls(rig, sampler, plan);
    await settle(rig);
    let graphAfter = rig.graph.presenceWriteStats();
    const phase1To = Date.now();
    const sent = sentEvents(rig, lastEventBefore, objectIdOf);
    const phase1Writes = [...sampler.writes];
    const paired = pairCallWrites(sent.events, phase1Writes);
    const latency = latencySummary(paired.latencies);
    traceMissed('no faults', paired.missed, sent.events, phase1Writes);
    const setPresence = graphAfter.setPresence - graphBefore.setPresence;
    const clearPresence = graphAfter.clearPresence - graphBefore.clearPresence;
    const refused =
      graphAfter.setPresenceRefused - graphBefore.setPresenceRefused + graphAfter.clearPresenceRefused - graphBefore.clearPresenceRefused;
    const left = sessionsLeft(rig, userIds);
    const queueAfter = rig.services.queue.stats();
    const raiseToSend = percentiles(sent.events.map((e) => e.sentAt - e.raisedAt));
    const main = {
      calls,
      callUsers: users,
      syncedUsers: synced.length,
      callsPerSecond,
      callSeconds: { min: MIN_CALL_MS / 1000, max: MAX_CALL_MS / 1000 },
      raisingSeconds: Number(raised.seconds.toFixed(1)),
      latestRaiseMs: raised.latestRaiseMs,
      startsHeldToNextSecond: raised.startsHeldToNextSecond,
      eventsSent: sent.events.length,
      eventsExpected: 2 * calls,
      deliveries: sent.deliveries,
      deliveryStates: sent.deliveryStates,
      raiseToSendMs: raiseToSend,
      eventToGraphMs: latency,
      goal: { p95Ms: GOAL_P95_MS, met: latency.all.p95 <= GOAL_P95_MS },
      graph: {
        setPresence,
        clearPresence,
        refused,
        throttled: rig.graph.presenceStats().throttled - throttledBefore,
        writesSampled: phase1Writes.length,
      },
      missed: paired.missed.length,
      missedSample: paired.missed.slice(0, 5),
      unexpectedWrites: paired.unexpected.length,
      unexpectedSample: paired.unexpected.slice(0, 5),
      sessionsLeft: left,
      realtimeLaneJobs: laneJobs.summary(phase1From, phase1To),
      queue: Object.fromEntries(
        Object.entries(queueAfter).map(([key, value]) => [
          key,
          typeof value === 'number' ? value - ((queueBefore as unknown as Record<string, number>)[key] ?? 0) : value,
        ]),
      ),
    };
    if (!main.goal.met) warnings.push(`p95 ${latency.all.p95} ms from a PBX call event to Graph's answer, above ${GOAL_P95_MS} ms`);
    if (sent.events.length !== 2 * calls) warnings.push(`${sent.events.length} PBX events sent for ${calls} calls (expected ${2 * calls})`);
    if (setPresence !== calls) warnings.push(`${setPresence} Graph setPresence calls for ${calls} call starts`);
    if (clearPresence !== calls) warnings.push(`${clearPresence} Graph clearPresence calls for ${calls} call ends`);
    if (refused > 0) warnings.push(`Graph refused ${refused} presence writes`);
    if (main.graph.throttled > 0) warnings.push(`Graph answered 429 ${main.graph.throttled} times`);
    if (paired.missed.length > 0) warnings.push(`${paired.missed.length} call events got no Graph write the sampler saw`);
    if (paired.unexpected.length > 0) warnings.push(`${paired.unexpected.length} Graph writes no call event asked for`);
    if (phase1Writes.length !== setPresence + clearPresence)
      warnings.push(
        `the sampler saw ${phase1Writes.length} of ${setPresence + clearPresence} Graph writes (two within ${SAMPLE_MS} ms for one user?)`,
      );
    if (left > 0) warnings.push(`${left} Teams sessions left after every call ended`);
    if (sent.notSent > 0) warnings.push(`${sent.notSent} deliveries never went out`);

    // Phase 2: every event duplicated, every fourth start reordered behind the next event, then calls whose end overtakes their start.
    let faults: Record<string, unknown> | undefined;
    if (faultCalls > 0) {
      graphBefore = graphAfter;
      throttledBefore = rig.graph.presenceStats().throttled;
      const writesBefore = sampler.writes.length;
      const phase2From = Date.now();
      const lastEvent = sent.lastEventId;
      const faultPlan = planCalls(synced, faultCalls, callsPerSecond, 31);
      rig.pbx.setExtensionEventFaults({ duplicate: 1_000_000 });
      let reordered = 0;
      await runCalls(rig, sampler, faultPlan, (k) => {
        if (k % REORDER_EVERY === 0) {
          rig!.pbx.setExtensionEventFaults({ reorder: 1 });
          reordered += 1;
        }
      });
      await settle(rig);
      // An end that overtakes its start: the start held back, the end a second later (a later PBX second) sent first.
      const overtakenUsers = synced.slice(0, Math.min(OVERTAKEN_CALLS, synced.length));
      for (const user of overtakenUsers) {
        rig.pbx.setExtensionEventFaults({ reorder: 1 });
        sampler.expect(user.userId, 0);
        rig.pbx.setCallInProgress(user.pbxUserId, true);
        await pause(MIN_GAP_MS);
        sampler.expect(user.userId, 0);
        rig.pbx.setCallInProgress(user.pbxUserId, false);
        await rig.pbx.extensionEventsSettled();
      }
      rig.pbx.setExtensionEventFaults({ duplicate: 0, reorder: 0 });
      await settle(rig);
      graphAfter = rig.graph.presenceWriteStats();
      const faultSent = sentEvents(rig, lastEvent, objectIdOf);
      const faultWrites = sampler.writes.slice(writesBefore);
      // The overtaken calls are the last two events of each of their users.
      const overtakenIds = new Set(overtakenUsers.map((u) => u.userId));
      const lastTwo = new Set<SentCallEvent>();
      for (const userId of overtakenIds)
        for (const event of faultSent.events
          .filter((e) => e.userId === userId)
          .sort((a, b) => a.raisedAt - b.raisedAt)
          .slice(-2))
          lastTwo.add(event);
      const overtakenInOrder = [...lastTwo]
        .filter((e) => e.kind === 'end')
        .filter((end) => {
          const start = [...lastTwo].find((e) => e.userId === end.userId && e.kind === 'start');
          return start !== undefined && end.sentAt <= start.sentAt;
        }).length;
      const faultPaired = pairCallWrites(faultSent.events, faultWrites, lastTwo);
      traceMissed('faults', faultPaired.missed, faultSent.events, faultWrites);
      const set = graphAfter.setPresence - graphBefore.setPresence;
      const clear = graphAfter.clearPresence - graphBefore.clearPresence;
      const faultLeft = sessionsLeft(rig, userIds);
      faults = {
        calls: faultCalls,
        duplicated: 'every event',
        startsReordered: reordered,
        overtakenCalls: overtakenUsers.length,
        overtakenEndsSentFirst: overtakenInOrder,
        eventsRaised: faultSent.events.length,
        deliveries: faultSent.deliveries,
        deliveryStates: faultSent.deliveryStates,
        eventToGraphMs: latencySummary(faultPaired.latencies),
        graph: {
          setPresence: set,
          setPresenceExpected: faultCalls,
          clearPresence: clear,
          clearPresenceExpected: faultCalls,
          refused:
            graphAfter.setPresenceRefused -
            graphBefore.setPresenceRefused +
            graphAfter.clearPresenceRefused -
            graphBefore.clearPresenceRefused,
          throttled: rig.graph.presenceStats().throttled - throttledBefore,
          writesSampled: faultWrites.length,
        },
        missed: faultPaired.missed.length,
        missedSample: faultPaired.missed.slice(0, 5),
        unexpectedWrites: faultPaired.unexpected.length,
        unexpectedSample: faultPaired.unexpected.slice(0, 5),
        sessionsLeft: faultLeft,
        realtimeLaneJobs: laneJobs.summary(phase2From, Date.now()),
      };
      const label = 'faults';
      if (set !== faultCalls)
        warnings.push(
          `${label}: ${set} Graph setPresence calls for ${faultCalls} calls (+${overtakenUsers.length} overtaken, which need none)`,
        );
      if (clear !== faultCalls) warnings.push(`${label}: ${clear} Graph clearPresence calls for ${faultCalls} calls`);
      if (faultPaired.missed.length > 0)
        warnings.push(`${label}: ${faultPaired.missed.length} call events got no Graph write the sampler saw`);
      if (faultPaired.unexpected.length > 0)
        warnings.push(`${label}: ${faultPaired.unexpected.length} Graph writes no call event asked for`);
      if (faultLeft > 0) warnings.push(`${label}: ${faultLeft} Teams sessions left after every call ended`);
      if (overtakenInOrder !== overtakenUsers.length)
        warnings.push(`${label}: only ${overtakenInOrder} of ${overtakenUsers.length} overtaken calls had their end sent first`);
    }

    sampler.stop();
    const mem = memory.stop();
    const queue = rig.services.queue.stats();
    for (const warning of warnings) console.error(`WARNING callState bench: ${warning}`);
    console.log(
      JSON.stringify(
        {
          callState: {
            node: process.version,
            setupSeconds: Number(setupSeconds.toFixed(1)),
            ...main,
            faults: faults ?? null,
            queueTotal: queue,
            ...mem,
            runSeconds: Number(((Date.now() - startedAt) / 1000).toFixed(1)),
            note: NOTE,
            warnings,
          },
        },
        null,
        2,
      ),
    );
  } finally {
    await rig?.stop();
    await azurite.stop();
  }
}
