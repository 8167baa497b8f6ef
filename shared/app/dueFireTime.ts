import { CronExpressionParser } from 'cron-parser';

/**
 * The most recent occurrence of `cron` (in `timeZone`) at or before `now`, if it is newer than `lastFire`
 * and not older than `maxLagMs` (a scheduler that was down for a day does not replay every missed night;
 * it runs the latest one). Returns undefined when nothing is due.
 */
export function dueFireTime(
  cron: string,
  timeZone: string,
  now: Date,
  lastFire: string | null,
  maxLagMs = 24 * 3600_000,
): Date | undefined {
  const expression = CronExpressionParser.parse(cron, { currentDate: new Date(now.getTime() + 1), tz: timeZone });
  const previous = expression.prev().toDate();
  if (now.getTime() - previous.getTime() > maxLagMs) return undefined;
  if (lastFire && new Date(lastFire).getTime() >= previous.getTime()) return undefined;
  return previous;
}
