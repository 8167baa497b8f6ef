import { ensureError } from '../../core/errors/ensureError';
import { type PresenceChangeEntry } from '../../engine/PresenceHistory';
import { type PresenceRecord } from '../../engine/PresenceRecord';
import { type LinkedUser } from '../../engine/LinkedUsers';
import { runWithConcurrency } from '../../engine/runWithConcurrency';
import { type FeatureContext } from '../Feature';
import { type PollBatchOutcome, type PollBatchRequest } from '../FeaturePolling';
import { applyCalendarAt } from './applyCalendar';
import { usersInScope } from '../featureUserScope';
import { type CalendarOptions } from './calendarOptions';
import { calendarTransitions, planCalendarSegments } from './planCalendarSegments';

/** What a calendar batch did; `entries` are its status decisions. */
export interface CalendarBatchOutcome extends PollBatchOutcome {
  entries: PresenceChangeEntry[];
  /** Transitions queued as timers. */
  timers: number;
}

/**
 * One read of a batch's calendars (readUserCalendar per user in scope). A plan whose key is unchanged costs
 * nothing more. A user whose calendar cannot be read keeps the plan they had, and the next read tries again.
 */
export async function pollCalendarBatch(context: FeatureContext<CalendarOptions>, batch: PollBatchRequest): Promise<CalendarBatchOutcome> {
  const outcome: CalendarBatchOutcome = {
    users: batch.users.length,
    graphCalls: 0,
    changed: 0,
    pbxWrites: 0,
    limited: [],
    failed: [],
    entries: [],
    timers: 0,
  };
  const now = batch.now;
  const records = new Map(
    (await context.presenceStates.listRange(context.tenantId, batch.after, batch.through)).map((r) => [r.userId.toLowerCase(), r]),
  );
  const saved: PresenceRecord[] = [];
  const inScope = await usersInScope(context, context.options.users, batch.users);
  outcome.users = inScope.length;
  await runWithConcurrency(inScope, context.options.concurrency, async (user) => {
    try {
      outcome.graphCalls += 1;
      const read = await readUserCalendar(context, user, records.get(user.objectId.toLowerCase()), { now, dryRun: batch.dryRun });
      if (!read) return;
      outcome.changed += 1;
      outcome.timers += read.timers;
      saved.push(read.record);
      if (read.wrote) outcome.pbxWrites += 1;
      if (read.entry) outcome.entries.push(read.entry);
      if (read.limited && read.record.limitedBy) outcome.limited.push({ userId: user.objectId, reason: read.record.limitedBy });
    } catch (caught) {
      const message = ensureError(caught).message;
      outcome.failed.push({ userId: user.objectId, message });
      context.log.warn('calendar of a user not read; the next read tries again', { user: user.objectId, error: message });
    }
  });
  if (batch.dryRun) return outcome;
  // Users in this batch's key range that it does not read are no longer synced or not in scope: their
  // calendar plans go; what else the record holds is the presence feature's.
  const mine = new Set(inScope.map((u) => u.objectId.toLowerCase()));
  for (const [key, record] of records)
    if (!mine.has(key) && record.calendar) saved.push({ ...record, calendar: undefined, updatedAt: now.toISOString() });
  if (saved.length > 0) await context.presenceStates.putMany(context.tenantId, saved);
  if (outcome.entries.length > 0) await context.presenceHistory.append(context.tenantId, outcome.entries);
  return outcome;
}

/**
 * One read of a user's calendar: calendarView over [now, now + lookaheadHours). Undefined when the plan's key is
 * the one kept (nothing more to do). A new plan's future transitions are queued as timers for their exact times
 * (older timers are outdated by the key, never cancelled) and the calendar's wish right now goes through the
 * arbiter. The caller keeps the record.
 */
export async function readUserCalendar(
  context: FeatureContext<CalendarOptions>,
  user: LinkedUser,
  record: PresenceRecord | undefined,
  request: { now: Date; dryRun: boolean },
): Promise<(Awaited<ReturnType<typeof applyCalendarAt>> & { timers: number }) | undefined> {
  const { now } = request;
  const until = now.getTime() + context.options.lookaheadHours * 3_600_000;
  const events = await context.mailboxReader.calendarView(user.objectId, now, new Date(until));
  const plan = planCalendarSegments(events, context.options, now.getTime(), until, now);
  if (plan.key === record?.calendar?.key) return undefined;
  const future = calendarTransitions(plan).filter((t) => Date.parse(t.at) > now.getTime());
  let timers = 0;
  if (!request.dryRun && future.length > 0) {
    await context.timers?.schedule(future.map((t) => ({ subject: user.objectId, key: plan.key, at: new Date(t.at) })));
    timers = future.length;
  }
  // Whatever the old plan said, the arbiter compares the new wish with what the PBX holds: a read that comes
  // after a transition whose timer has not run yet (a busy lane) applies it here, and that timer, now
  // outdated, drops itself.
  return { ...(await applyCalendarAt(context, user, record, plan, request)), timers };
}
