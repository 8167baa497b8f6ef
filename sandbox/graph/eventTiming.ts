import { DAY_MS, isUtcMidnight, parseDate, utcDate } from './calendarTime';
import { type SandboxRecurrence, occurrenceStarts, shortestGapMs } from './expandRecurrence';

/** A refusal of an event's times, named by the body property at fault. */
export interface EventTimingProblem {
  path: (string | number)[];
  message: string;
}

/**
 * What Outlook refuses about an event's times: an end not after the start, an all-day event that does not
 * cover whole days (the sandbox's calendars are UTC, so whole UTC days), a recurrence missing what its type
 * needs, an occurrence lasting longer than the gap to the next one, or a range without any occurrence.
 */
export function eventTimingProblems(event: {
  startMs: number;
  endMs: number;
  isAllDay: boolean;
  recurrence?: SandboxRecurrence | undefined;
}): EventTimingProblem[] {
  const { startMs, endMs, isAllDay, recurrence } = event;
  const problems: EventTimingProblem[] = [];
  if (endMs <= startMs) problems.push({ path: ['end'], message: 'must be after start' });
  if (isAllDay && (!isUtcMidnight(startMs) || !isUtcMidnight(endMs)))
    problems.push({ path: ['start'], message: 'an all-day event starts and ends at midnight UTC (whole days)' });
  if (!recurrence) return problems;
  const { pattern, range } = recurrence;
  if (pattern.type === 'weekly' && (pattern.daysOfWeek ?? []).length === 0)
    problems.push({ path: ['recurrence', 'pattern', 'daysOfWeek'], message: 'a weekly pattern needs daysOfWeek' });
  if (pattern.type === 'daily' && pattern.daysOfWeek !== undefined)
    problems.push({ path: ['recurrence', 'pattern', 'daysOfWeek'], message: 'a daily pattern takes no daysOfWeek' });
  if ((range.type === 'numbered') !== (range.numberOfOccurrences !== undefined))
    problems.push({
      path: ['recurrence', 'range', 'numberOfOccurrences'],
      message: 'a numbered range, and only a numbered range, needs numberOfOccurrences',
    });
  if ((range.type === 'endDate') !== (range.endDate !== undefined))
    problems.push({ path: ['recurrence', 'range', 'endDate'], message: 'an endDate range, and only an endDate range, needs endDate' });
  if (problems.length > 0) return problems;
  const durationMs = endMs - startMs;
  if (durationMs > shortestGapMs(pattern, startMs))
    problems.push({
      path: ['end'],
      message: 'an occurrence must end before the next one starts (the duration is too long for the pattern)',
    });
  if (range.type === 'endDate') {
    const endDay = parseDate(range.endDate!)!;
    if (endDay < parseDate(utcDate(startMs))!)
      problems.push({ path: ['recurrence', 'range', 'endDate'], message: 'is before the first start' });
    else if (occurrenceStarts(startMs, recurrence, startMs, endDay + DAY_MS, 1).length === 0)
      problems.push({ path: ['recurrence'], message: 'the recurrence has no occurrence in its range' });
  }
  return problems;
}
