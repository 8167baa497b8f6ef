export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;

/** ISO 8601 date, date and time, or date and time with `Z` / `±hh:mm`; what Graph's calendarView parameters take. */
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/**
 * An ISO 8601 instant as epoch ms, or undefined when the text is not one (month 13, 25 o'clock, …). Without
 * an offset it is UTC: the sandbox's calendars live in UTC, and Graph reads an offset-less calendarView
 * bound in the request's time zone, which the sandbox never moves from UTC.
 */
export function parseInstant(text: string): number | undefined {
  const m = ISO_INSTANT.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const fraction = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, fraction);
  // Date.UTC rolls over (month 13 becomes January); a value that does not read back was out of range.
  const back = new Date(utc);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const zone = m[8];
  if (zone === undefined || zone === 'Z') return utc;
  const sign = zone.startsWith('-') ? -1 : 1;
  const [zoneHours, zoneMinutes] = zone.slice(1).split(':').map(Number) as [number, number];
  if (zoneHours > 14 || zoneMinutes > 59) return undefined;
  return utc - sign * (zoneHours * 60 + zoneMinutes) * MINUTE_MS;
}

/** A `YYYY-MM-DD` date (a recurrence range's endDate) as the epoch ms of its UTC midnight, or undefined. */
export function parseDate(text: string): number | undefined {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) ? parseInstant(text) : undefined;
}

/** Graph's dateTimeTimeZone text for UTC: seven fraction digits and no offset (the zone is a separate property). */
export function graphDateTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$10000');
}

/** Graph's timestamp properties (lastModifiedDateTime) carry seven fraction digits and `Z`. */
export function graphTimestamp(ms: number): string {
  return `${graphDateTime(ms)}Z`;
}

/** The `YYYY-MM-DD` of an instant in UTC. */
export function utcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function isUtcMidnight(ms: number): boolean {
  return ((ms % DAY_MS) + DAY_MS) % DAY_MS === 0;
}
