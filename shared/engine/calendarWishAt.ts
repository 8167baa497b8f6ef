import { type CalendarPlan, type PresenceWish } from './PresenceRecord';

/** The calendar's wish at a moment: the status of the segment that holds it, else no opinion. */
export function calendarWishAt(plan: CalendarPlan | undefined, at: Date): PresenceWish {
  const time = at.getTime();
  const segment = plan?.segments.find((s) => Date.parse(s.start) <= time && time < Date.parse(s.end));
  if (!segment) return { source: 'calendar', target: 'leave', detail: 'calendar: no event now' };
  return {
    source: 'calendar',
    target: segment.target,
    detail: `calendar ${segment.start}–${segment.end} (${segment.eventIds.length} event${segment.eventIds.length === 1 ? '' : 's'}) → ${segment.target}`,
  };
}
