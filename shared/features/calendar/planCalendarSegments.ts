import { createHash } from 'node:crypto';
import { type AppliedTarget, type CalendarPlan, type CalendarSegment } from '../../engine/PresenceRecord';
import { type CalendarEvent } from '../../graph/CalendarEvent';
import { type CalendarOptions } from './calendarOptions';

/** Where events overlap, the stronger status holds. */
const STRENGTH: Record<AppliedTarget, number> = { doNotDisturb: 3, away: 2, available: 1 };

/**
 * A user's calendar over [from, until) as segments of one status each. Cancelled events, statuses mapped to
 * `leave`, and all-day events whose "show as" is not in allDayShowAs drop out; the rest are clipped to the
 * window. Overlapping and back-to-back events make one continuous stretch: the time is cut at every start and
 * end, each piece takes the strongest status of the events over it, and neighbouring pieces of the same status
 * join. The plan's key covers every counted event (change key, times, status): the same calendar read again
 * later has the same key.
 */
export function planCalendarSegments(
  events: readonly CalendarEvent[],
  options: CalendarOptions,
  from: number,
  until: number,
  readAt: Date,
): CalendarPlan {
  const counted = events.flatMap((event) => {
    if (event.isCancelled) return [];
    if (event.isAllDay && !options.allDayShowAs.includes(event.showAs)) return [];
    const target = options.showAs[event.showAs];
    if (target === 'leave') return [];
    const start = Math.max(event.start, from);
    const end = Math.min(event.end, until);
    return end > start ? [{ event, target, start, end }] : [];
  });
  const cuts = [...new Set(counted.flatMap((c) => [c.start, c.end]))].sort((a, b) => a - b);
  const segments: CalendarSegment[] = [];
  for (let k = 0; k + 1 < cuts.length; k += 1) {
    const [start, end] = [cuts[k]!, cuts[k + 1]!];
    const over = counted.filter((c) => c.start <= start && c.end >= end);
    if (over.length === 0) continue;
    const target = over.reduce<AppliedTarget>((best, c) => (STRENGTH[c.target] > STRENGTH[best] ? c.target : best), over[0]!.target);
    const ids = over.map((c) => c.event.id);
    const last = segments.at(-1);
    if (last && last.target === target && Date.parse(last.end) === start) {
      last.end = new Date(end).toISOString();
      last.eventIds = [...new Set([...last.eventIds, ...ids])];
    } else {
      segments.push({ start: new Date(start).toISOString(), end: new Date(end).toISOString(), target, eventIds: ids });
    }
  }
  // The key is over the counted events themselves (their change keys and unclipped times), not the segments: the
  // window moves with every read and clips the running meeting differently each time, which must not make an
  // unchanged calendar a new plan (and queue its transitions all over again).
  const countedEvents = counted.map((c) => `${c.event.id}:${c.event.changeKey}:${c.event.start}:${c.event.end}:${c.target}`).sort();
  const key = createHash('sha256').update(JSON.stringify(countedEvents)).digest('base64url').slice(0, 22);
  return { segments, key, readAt: readAt.toISOString(), until: new Date(until).toISOString() };
}

/** A moment the calendar's wish changes: a segment starts (its status) or a stretch ends (`leave`). */
export interface CalendarTransition {
  at: string;
  target: AppliedTarget | 'leave';
}

/** The plan's transitions, in time order: each segment's start, and the end of each continuous stretch within the window. */
export function calendarTransitions(plan: CalendarPlan): CalendarTransition[] {
  const transitions: CalendarTransition[] = [];
  plan.segments.forEach((segment, k) => {
    transitions.push({ at: segment.start, target: segment.target });
    const next = plan.segments[k + 1];
    // A stretch cut off by the window's end goes on beyond it: the next read plans its end.
    if ((!next || next.start !== segment.end) && segment.end !== plan.until) transitions.push({ at: segment.end, target: 'leave' });
  });
  return transitions;
}
