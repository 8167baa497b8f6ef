import { type LinkedUser } from '../../engine/LinkedUsers';
import { type PollBatchPlan } from '../FeaturePolling';
import { type CalendarOptions } from './calendarOptions';

/** Calendars per batch job: each is one calendarView request (and its pages). */
export const CALENDARS_PER_BATCH = 100;

/**
 * A calendar cycle's batches: the synced users sorted by lower-case object id in runs of 100, spread evenly
 * across the refresh period. Key ranges cover every key, so a plan kept for a user no longer synced is cleared
 * by the batch whose range holds it.
 */
export function planCalendarBatches(
  users: readonly LinkedUser[],
  slot: number,
  options: Pick<CalendarOptions, 'refreshMinutes'>,
): PollBatchPlan[] {
  const keyOf = (user: LinkedUser) => user.objectId.toLowerCase();
  const sorted = [...users].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  const count = Math.max(1, Math.ceil(sorted.length / CALENDARS_PER_BATCH));
  const period = options.refreshMinutes * 60_000;
  return Array.from({ length: count }, (_, index) => {
    const batchUsers = sorted.slice(index * CALENDARS_PER_BATCH, (index + 1) * CALENDARS_PER_BATCH);
    return {
      index,
      startsAt: new Date(slot * period + Math.floor((index * period) / count)),
      after: index > 0 ? keyOf(sorted[index * CALENDARS_PER_BATCH - 1]!) : undefined,
      through: index < count - 1 ? keyOf(batchUsers.at(-1)!) : undefined,
      reassert: false,
      users: batchUsers,
    };
  });
}
