import { DAY_MS, WEEK_MS, parseDate } from './calendarTime';

/** Graph's dayOfWeek values; the index is JavaScript's getUTCDay(). */
export const DAYS_OF_WEEK = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
export type DayOfWeek = (typeof DAYS_OF_WEEK)[number];

/** The recurrence patterns the sandbox models: every `interval` days, or on `daysOfWeek` every `interval` weeks. */
export interface SandboxRecurrencePattern {
  type: 'daily' | 'weekly';
  interval: number;
  /** Weekly only (required there). */
  daysOfWeek?: DayOfWeek[] | undefined;
}

/** How long a series runs: a number of occurrences, until a date (inclusive, UTC), or for ever. */
export interface SandboxRecurrenceRange {
  type: 'numbered' | 'endDate' | 'noEnd';
  numberOfOccurrences?: number | undefined;
  /** `YYYY-MM-DD`. */
  endDate?: string | undefined;
}

export interface SandboxRecurrence {
  pattern: SandboxRecurrencePattern;
  range: SandboxRecurrenceRange;
}

/**
 * The original start times (epoch ms, ascending) of a series' occurrences that begin in [fromMs, untilMs),
 * at most `max` of them. The series starts at `firstStartMs`; every occurrence keeps its time of day (UTC).
 * Weeks run Sunday to Saturday (Graph's default firstDayOfWeek), and for an interval above 1 the weeks
 * counted are those from the first start's week. A weekly day before the first start in its first week is
 * not an occurrence and does not count towards `numberOfOccurrences`. Whole periods before `fromMs` are
 * skipped arithmetically, so a long-running series costs no more than the window asked for.
 */
export function occurrenceStarts(
  firstStartMs: number,
  recurrence: SandboxRecurrence,
  fromMs: number,
  untilMs: number,
  max = Number.POSITIVE_INFINITY,
): number[] {
  const { pattern, range } = recurrence;
  const interval = Math.max(1, Math.floor(pattern.interval));
  const count = range.type === 'numbered' ? (range.numberOfOccurrences ?? 0) : Number.POSITIVE_INFINITY;
  const endDay = range.type === 'endDate' ? parseDate(range.endDate ?? '') : undefined;
  // endDate is inclusive: occurrences starting on that day still count.
  const limit = Math.min(untilMs, endDay === undefined ? Number.POSITIVE_INFINITY : endDay + DAY_MS);
  const out: number[] = [];
  if (pattern.type === 'daily') {
    const step = interval * DAY_MS;
    let index = fromMs > firstStartMs ? Math.ceil((fromMs - firstStartMs) / step) : 0;
    for (let at = firstStartMs + index * step; at < limit && index < count && out.length < max; index += 1, at += step) out.push(at);
    return out;
  }
  const timeOfDay = ((firstStartMs % DAY_MS) + DAY_MS) % DAY_MS;
  const firstDay = firstStartMs - timeOfDay;
  const firstWeekStart = firstDay - new Date(firstDay).getUTCDay() * DAY_MS;
  const days = weekdayIndexes(pattern.daysOfWeek, new Date(firstDay).getUTCDay());
  const period = interval * WEEK_MS;
  // Selected days of the first week that fall before the first start: never occurrences, never counted.
  const skippedInFirstWeek = days.filter((d) => firstWeekStart + d * DAY_MS + timeOfDay < firstStartMs).length;
  // Every period before the one holding fromMs ends (its 7 days are over) before fromMs.
  let week = Math.max(0, Math.floor((fromMs - firstWeekStart) / period));
  let index = week === 0 ? 0 : week * days.length - skippedInFirstWeek;
  for (; ; week += 1) {
    const weekStart = firstWeekStart + week * period;
    if (weekStart + timeOfDay >= limit) return out;
    for (const d of days) {
      const at = weekStart + d * DAY_MS + timeOfDay;
      if (at < firstStartMs) continue;
      if (index >= count || at >= limit || out.length >= max) return out;
      if (at >= fromMs) out.push(at);
      index += 1;
    }
  }
}

/** The smallest gap between two consecutive occurrences' starts: an occurrence must end before the next begins. */
export function shortestGapMs(pattern: SandboxRecurrencePattern, firstStartMs: number): number {
  const interval = Math.max(1, Math.floor(pattern.interval));
  if (pattern.type === 'daily') return interval * DAY_MS;
  const days = weekdayIndexes(pattern.daysOfWeek, new Date(firstStartMs).getUTCDay());
  let gap = interval * WEEK_MS - (days.at(-1)! - days[0]!) * DAY_MS;
  for (let i = 1; i < days.length; i += 1) gap = Math.min(gap, (days[i]! - days[i - 1]!) * DAY_MS);
  return gap;
}

/** Sorted, distinct day indexes; without days, the first start's weekday (Outlook's own default). */
function weekdayIndexes(daysOfWeek: readonly DayOfWeek[] | undefined, fallback: number): number[] {
  if (!daysOfWeek || daysOfWeek.length === 0) return [fallback];
  return [...new Set(daysOfWeek.map((d) => DAYS_OF_WEEK.indexOf(d)))].sort((a, b) => a - b);
}
