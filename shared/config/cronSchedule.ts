import { CronExpressionParser } from 'cron-parser';

/**
 * The shortest time allowed between two occurrences of a tenant's reconcile schedule. The scheduler timer
 * runs every 5 minutes and a full reconcile reads the whole directory, so a schedule that fires more often
 * would only queue full rounds back to back (changes arrive within seconds through notifications anyway).
 */
export const MIN_SCHEDULE_INTERVAL_MINUTES = 15;

/**
 * The shortest gap, in minutes, between two consecutive occurrences of a schedule that fires at the given
 * minutes of the given hours (on whatever days): gaps inside an hour, and from the last minute of an hour
 * to the first of the next when two consecutive hours fire (23 → 0 counts: consecutive days almost always
 * both fire). Infinity when it fires once a day. Daylight-saving shifts only lengthen these gaps or repeat
 * an hour (a gap of 60 minutes), so wall-clock arithmetic is enough.
 */
export function shortestGapMinutes(minutes: readonly number[], hours: readonly number[]): number {
  const m = [...new Set(minutes)].sort((a, b) => a - b);
  const h = new Set(hours);
  let gap = Infinity;
  for (let i = 1; i < m.length; i++) gap = Math.min(gap, m[i]! - m[i - 1]!);
  const consecutiveHours = [...h].some((hour) => h.has((hour + 1) % 24));
  if (m.length > 0 && consecutiveHours) gap = Math.min(gap, 60 - m[m.length - 1]! + m[0]!);
  return gap;
}

/**
 * Why `expression` is not an acceptable reconcile schedule, or undefined when it is: exactly five fields
 * (minute hour day-of-month month day-of-week; no seconds field, no @macros, no random `H` values), valid
 * for cron-parser (what the scheduler uses), occurring at all, and never more often than every
 * MIN_SCHEDULE_INTERVAL_MINUTES minutes.
 */
export function cronScheduleProblem(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/).filter(Boolean);
  if (fields.length === 0) return 'must not be empty; give five fields: minute hour day-of-month month day-of-week (e.g. "30 0 * * *")';
  if (fields.length !== 5)
    return `must have exactly five fields (minute hour day-of-month month day-of-week, e.g. "30 0 * * *"), got ${fields.length}`;
  if (fields.some((field) => field.split(',').some((part) => /^H(?![a-z])/i.test(part))))
    return 'must not use H (a random value per parse); name the minute and hour';
  let parsed;
  try {
    parsed = CronExpressionParser.parse(fields.join(' '), { tz: 'UTC' });
  } catch (err) {
    return `is not a valid cron expression (${err instanceof Error ? err.message : String(err)}), e.g. "30 0 * * *"`;
  }
  try {
    parsed.next();
  } catch {
    return 'never occurs (check the day of month and month)';
  }
  const gap = shortestGapMinutes(parsed.fields.minute.values, parsed.fields.hour.values);
  if (gap < MIN_SCHEDULE_INTERVAL_MINUTES)
    return (
      `has occurrences ${gap} minute${gap === 1 ? '' : 's'} apart; a full reconcile may run at most every ` +
      `${MIN_SCHEDULE_INTERVAL_MINUTES} minutes (e.g. "*/${MIN_SCHEDULE_INTERVAL_MINUTES} * * * *", or nightly "30 0 * * *")`
    );
  return undefined;
}
