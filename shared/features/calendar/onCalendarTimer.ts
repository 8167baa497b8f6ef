import { type FeatureContext, type FeatureTimer } from '../Feature';
import { applyCalendarAt } from './applyCalendar';
import { type CalendarOptions } from './calendarOptions';
import { isCalendarRefresh } from './calendarRefresh';
import { readUserCalendar } from './pollCalendarBatch';
import { usersInScope } from '../featureUserScope';
import { type PresenceRecord } from '../../engine/PresenceRecord';

/**
 * A refresh timer (a change notification about the user's events) reads their calendar now. Otherwise a
 * meeting's start or end is due. The timer was planned under a plan key: when the user's kept plan has another
 * key (the event moved, changed or was cancelled, or a later read planned anew), the timer is outdated and
 * dropped — the new plan has its own. Otherwise the arbiter applies the calendar's wish at this moment.
 */
export async function onCalendarTimer(context: FeatureContext<CalendarOptions>, timer: FeatureTimer): Promise<void> {
  const now = context.clock?.() ?? new Date();
  const record = await context.presenceStates.get(context.tenantId, timer.subject);
  if (isCalendarRefresh(timer)) return refreshCalendar(context, timer.subject, record, now);
  if (!record?.calendar || record.calendar.key !== timer.key) {
    context.log.debug('calendar transition outdated; dropped', { user: timer.subject, at: timer.at.toISOString() });
    return;
  }
  const user = await context.linkedUsers.get(timer.subject);
  if (!user) return;
  const applied = await applyCalendarAt(context, user, record, record.calendar, { now, dryRun: false });
  await context.presenceStates.putMany(context.tenantId, [applied.record]);
  if (applied.entry) await context.presenceHistory.append(context.tenantId, [applied.entry]);
}

/**
 * The user's events changed (a change notification): their calendar is read now rather than at the next poll. A
 * user no longer synced or no longer in scope is left to the poll, which removes their plan.
 */
async function refreshCalendar(
  context: FeatureContext<CalendarOptions>,
  userId: string,
  record: PresenceRecord | undefined,
  now: Date,
): Promise<void> {
  const user = await context.linkedUsers.get(userId);
  if (!user || (await usersInScope(context, context.options.users, [user])).length === 0) return;
  const read = await readUserCalendar(context, user, record, { now, dryRun: false });
  if (!read) return;
  await context.presenceStates.putMany(context.tenantId, [read.record]);
  if (read.entry) await context.presenceHistory.append(context.tenantId, [read.entry]);
}
