import { ensureError } from '../../core/errors/ensureError';
import { type PresenceChangeEntry } from '../../engine/PresenceHistory';
import { type PresenceRecord } from '../../engine/PresenceRecord';
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
 * One read of a batch's calendars: per user one calendarView over [now, now + lookaheadHours). A plan whose key
 * is unchanged costs nothing more. A new plan is kept, its future transitions are queued as timers for their
 * exact times (older timers are outdated by the key, never cancelled), and when the calendar's wish right now
 * changed (a meeting booked into the present, or cancelled while it runs) it is applied at once. A user whose
 * calendar cannot be read keeps the plan they had, and the next read tries again.
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
  const until = now.getTime() + context.options.lookaheadHours * 3_600_000;
  await runWithConcurrency(inScope, context.options.concurrency, async (user) => {
    const record = records.get(user.objectId.toLowerCase());
    try {
      outcome.graphCalls += 1;
      const events = await context.mailboxReader.calendarView(user.objectId, now, new Date(until));
      const plan = planCalendarSegments(events, context.options, now.getTime(), until, now);
      if (plan.key === record?.calendar?.key) return;
      outcome.changed += 1;
      const future = calendarTransitions(plan).filter((t) => Date.parse(t.at) > now.getTime());
      if (!batch.dryRun && future.length > 0) {
        await context.timers?.schedule(future.map((t) => ({ subject: user.objectId, key: plan.key, at: new Date(t.at) })));
        outcome.timers += future.length;
      }
      // Whatever the old plan said, the arbiter compares the new wish with what the PBX holds: a read that comes
      // after a transition whose timer has not run yet (a busy lane) applies it here, and that timer, now
      // outdated, drops itself.
      const applied = await applyCalendarAt(context, user, record, plan, { now, dryRun: batch.dryRun });
      saved.push(applied.record);
      if (applied.wrote) outcome.pbxWrites += 1;
      if (applied.entry) outcome.entries.push(applied.entry);
      if (applied.limited && applied.record.limitedBy) outcome.limited.push({ userId: user.objectId, reason: applied.record.limitedBy });
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
