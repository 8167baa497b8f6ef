import { type DayOfWeek } from './expandRecurrence';

/** Graph's freeBusyStatus values, as an event's `showAs`. */
export const SHOW_AS_VALUES = ['free', 'tentative', 'busy', 'oof', 'workingElsewhere', 'unknown'] as const;
export type SandboxShowAs = (typeof SHOW_AS_VALUES)[number];

export type SandboxEventType = 'singleInstance' | 'occurrence' | 'exception' | 'seriesMaster';

/** Graph's dateTimeTimeZone; the sandbox always answers in UTC. */
export interface SandboxDateTimeTimeZone {
  /** `YYYY-MM-DDTHH:mm:ss.0000000` */
  dateTime: string;
  timeZone: 'UTC';
}

/** A series master's recurrence exactly as Graph shows it (unused members carry Graph's defaults). */
export interface SandboxPatternedRecurrence {
  pattern: {
    type: 'daily' | 'weekly';
    interval: number;
    month: number;
    dayOfMonth: number;
    daysOfWeek: DayOfWeek[];
    firstDayOfWeek: 'sunday';
    index: 'first';
  };
  range: {
    type: 'numbered' | 'endDate' | 'noEnd';
    startDate: string;
    endDate: string;
    recurrenceTimeZone: 'UTC';
    numberOfOccurrences: number;
  };
}

/** An event (v1.0 `event`) with the properties the sandbox serves. */
export interface SandboxEvent {
  id: string;
  /** New on every change of the event. */
  changeKey: string;
  /** Differs per occurrence of a series, as Outlook's global object ids do. */
  iCalUId: string;
  subject: string;
  showAs: SandboxShowAs;
  isAllDay: boolean;
  isCancelled: boolean;
  start: SandboxDateTimeTimeZone;
  end: SandboxDateTimeTimeZone;
  type: SandboxEventType;
  /** The series master of an occurrence or exception; null otherwise. */
  seriesMasterId: string | null;
  /** A series master's pattern and range; null on every other type (as in Graph). */
  recurrence: SandboxPatternedRecurrence | null;
  lastModifiedDateTime: string;
}

/** Every property an event answers with; `$select` may name only these. */
export const EVENT_PROPERTY_NAMES = [
  'id',
  'changeKey',
  'iCalUId',
  'subject',
  'showAs',
  'isAllDay',
  'isCancelled',
  'start',
  'end',
  'type',
  'seriesMasterId',
  'recurrence',
  'lastModifiedDateTime',
] as const;

/** An event as Graph shows it: its etag and the selected properties. */
export function projectEvent(event: SandboxEvent, properties: readonly string[]): Record<string, unknown> {
  const source = event as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = { '@odata.etag': `W/"${event.changeKey}"` };
  for (const p of properties) out[p] = source[p];
  return out;
}
