import { type FeatureContext, type FeatureTimer } from '../Feature';
import { applyCalendarAt } from './applyCalendar';
import { type CalendarOptions } from './calendarOptions';

/**
 * A meeting's start or end is due. The timer was planned under a plan key: when the user's kept plan has another
 * key (the event moved, changed or was cancelled, or a later read planned anew), the timer is outdated and
 * dropped — the new plan has its own. Otherwise the arbiter applies the calendar's wish at this moment.
 */
export async function onCalendarTimer(context: FeatureContext<CalendarOptions>, timer: FeatureTimer): Promise<void> {
  const now = context.clock?.() ?? new Date();
  const record = await context.presenceStates.get(context.tenantId, timer.subject);
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
