import { z } from 'zod';

const SHOW_AS = ['free', 'tentative', 'busy', 'oof', 'workingElsewhere', 'unknown'] as const;

/** An event as the calendar feature reads it (an occurrence of a series is an event of its own). */
export interface CalendarEvent {
  id: string;
  /** Changes whenever the event does. */
  changeKey: string;
  showAs: (typeof SHOW_AS)[number];
  isAllDay: boolean;
  isCancelled: boolean;
  /** Epoch ms, UTC. */
  start: number;
  end: number;
}

/** A Graph dateTimeTimeZone asked for in UTC (`Prefer: outlook.timezone="UTC"`): no offset, seven decimals. */
const UtcDateTime = z.object({ dateTime: z.string(), timeZone: z.string() }).transform((value, ctx) => {
  const zone = value.timeZone.toUpperCase();
  if (zone !== 'UTC' && zone !== 'ETC/UTC' && zone !== 'COORDINATED UNIVERSAL TIME') {
    ctx.issues.push({ code: 'custom', message: `time zone ${value.timeZone} where UTC was asked for`, input: value });
    return z.NEVER;
  }
  const ms = Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(value.dateTime) ? value.dateTime : `${value.dateTime}Z`);
  if (!Number.isFinite(ms)) {
    ctx.issues.push({ code: 'custom', message: `not a date and time: ${value.dateTime}`, input: value });
    return z.NEVER;
  }
  return ms;
});

/** One event of a `calendarView` page (other properties are ignored; an unknown "show as" reads as unknown). */
export const GraphCalendarEventSchema = z
  .object({
    id: z.string().min(1),
    changeKey: z.string().nullish(),
    showAs: z.string().nullish(),
    isAllDay: z.boolean().nullish(),
    isCancelled: z.boolean().nullish(),
    start: UtcDateTime,
    end: UtcDateTime,
  })
  .transform((event): CalendarEvent => ({
    id: event.id,
    changeKey: event.changeKey ?? '',
    showAs: (SHOW_AS as readonly string[]).includes(event.showAs ?? '') ? (event.showAs as CalendarEvent['showAs']) : 'unknown',
    isAllDay: event.isAllDay ?? false,
    isCancelled: event.isCancelled ?? false,
    start: event.start,
    end: event.end,
  }));

export const CalendarViewPageSchema = z.object({
  value: z.array(GraphCalendarEventSchema),
  '@odata.nextLink': z.string().optional(),
});
