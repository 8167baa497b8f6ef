import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../../sandbox/graph/calendarTime';
import { DAYS_OF_WEEK, type SandboxRecurrence, occurrenceStarts, shortestGapMs } from '../../../sandbox/graph/expandRecurrence';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const FAR = at('2100-01-01T00:00:00Z');

/** The same rules the slow way: walk day by day from the first start, counting every occurrence. */
function naiveStarts(firstStartMs: number, r: SandboxRecurrence, fromMs: number, untilMs: number): number[] {
  const timeOfDay = firstStartMs % DAY_MS;
  const firstDay = firstStartMs - timeOfDay;
  const firstSunday = firstDay - new Date(firstDay).getUTCDay() * DAY_MS;
  const endDay = r.range.type === 'endDate' ? at(`${r.range.endDate!}T00:00:00Z`) : Infinity;
  const count = r.range.type === 'numbered' ? r.range.numberOfOccurrences! : Infinity;
  const out: number[] = [];
  let seen = 0;
  for (let day = firstDay; seen < count && day <= endDay && day + timeOfDay < untilMs; day += DAY_MS) {
    const dayIndex = (day - firstDay) / DAY_MS;
    const weekIndex = Math.floor((day - firstSunday) / (7 * DAY_MS));
    const matches =
      r.pattern.type === 'daily'
        ? dayIndex % r.pattern.interval === 0
        : weekIndex % r.pattern.interval === 0 && r.pattern.daysOfWeek!.includes(DAYS_OF_WEEK[new Date(day).getUTCDay()]!);
    if (!matches) continue;
    seen += 1;
    if (day + timeOfDay >= fromMs) out.push(day + timeOfDay);
  }
  return out;
}

describe('occurrenceStarts', () => {
  it('daily every 2 days, 4 occurrences, keeping the time of day', () => {
    const r: SandboxRecurrence = { pattern: { type: 'daily', interval: 2 }, range: { type: 'numbered', numberOfOccurrences: 4 } };
    expect(occurrenceStarts(at('2026-01-05T09:30:00Z'), r, 0, FAR).map(iso)).toEqual([
      '2026-01-05T09:30:00.000Z',
      '2026-01-07T09:30:00.000Z',
      '2026-01-09T09:30:00.000Z',
      '2026-01-11T09:30:00.000Z',
    ]);
  });

  it('an endDate range includes occurrences starting on that day, late in the day too', () => {
    const r: SandboxRecurrence = { pattern: { type: 'daily', interval: 1 }, range: { type: 'endDate', endDate: '2026-01-08' } };
    expect(occurrenceStarts(at('2026-01-05T23:00:00Z'), r, 0, FAR).map(iso)).toEqual([
      '2026-01-05T23:00:00.000Z',
      '2026-01-06T23:00:00.000Z',
      '2026-01-07T23:00:00.000Z',
      '2026-01-08T23:00:00.000Z',
    ]);
  });

  it('weekly on Mon/Wed/Fri from a Wednesday: the Monday before the start is neither an occurrence nor counted', () => {
    const r: SandboxRecurrence = {
      pattern: { type: 'weekly', interval: 1, daysOfWeek: ['friday', 'monday', 'wednesday'] },
      range: { type: 'numbered', numberOfOccurrences: 5 },
    };
    expect(occurrenceStarts(at('2026-01-07T08:00:00Z'), r, 0, FAR).map(iso)).toEqual([
      '2026-01-07T08:00:00.000Z',
      '2026-01-09T08:00:00.000Z',
      '2026-01-12T08:00:00.000Z',
      '2026-01-14T08:00:00.000Z',
      '2026-01-16T08:00:00.000Z',
    ]);
  });

  it('every second week on Tue/Thu until an end date; a window returns only what starts inside it', () => {
    const r: SandboxRecurrence = {
      pattern: { type: 'weekly', interval: 2, daysOfWeek: ['tuesday', 'thursday'] },
      range: { type: 'endDate', endDate: '2026-01-22' },
    };
    const first = at('2026-01-06T10:00:00Z');
    expect(occurrenceStarts(first, r, 0, FAR).map(iso)).toEqual([
      '2026-01-06T10:00:00.000Z',
      '2026-01-08T10:00:00.000Z',
      '2026-01-20T10:00:00.000Z',
      '2026-01-22T10:00:00.000Z',
    ]);
    // From exactly an occurrence's start (inclusive) to exactly another's (exclusive).
    expect(occurrenceStarts(first, r, at('2026-01-08T10:00:00Z'), at('2026-01-22T10:00:00Z')).map(iso)).toEqual([
      '2026-01-08T10:00:00.000Z',
      '2026-01-20T10:00:00.000Z',
    ]);
    expect(occurrenceStarts(first, r, 0, FAR, 1)).toEqual([first]);
  });

  it('skipping to a far window counts the skipped occurrences: a numbered series still ends on time', () => {
    const weekly: SandboxRecurrence = {
      pattern: { type: 'weekly', interval: 3, daysOfWeek: ['monday', 'saturday'] },
      range: { type: 'numbered', numberOfOccurrences: 101 },
    };
    const first = at('2026-01-07T12:00:00Z'); // a Wednesday: that week's Monday is skipped, its Saturday is #1
    const all = occurrenceStarts(first, weekly, 0, FAR);
    expect(all).toHaveLength(101);
    expect(iso(all[0]!)).toBe('2026-01-10T12:00:00.000Z');
    const last = all.at(-1)!;
    expect(occurrenceStarts(first, weekly, last - 30 * DAY_MS, FAR)).toEqual(all.filter((t) => t >= last - 30 * DAY_MS));
    expect(occurrenceStarts(first, weekly, last + 1, FAR)).toEqual([]);
  });

  it('matches a day-by-day walk for many patterns, ranges and windows', () => {
    const first = at('2026-03-04T07:15:00Z');
    const patterns: SandboxRecurrence['pattern'][] = [
      { type: 'daily', interval: 1 },
      { type: 'daily', interval: 3 },
      { type: 'weekly', interval: 1, daysOfWeek: ['sunday', 'saturday'] },
      { type: 'weekly', interval: 2, daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'] },
      { type: 'weekly', interval: 4, daysOfWeek: ['wednesday'] },
    ];
    const ranges: SandboxRecurrence['range'][] = [
      { type: 'numbered', numberOfOccurrences: 37 },
      { type: 'endDate', endDate: '2026-09-30' },
      { type: 'noEnd' },
    ];
    let compared = 0;
    for (const pattern of patterns) {
      for (const range of ranges) {
        for (let w = 0; w < 12; w += 1) {
          const from = first + (w * 17 - 20) * DAY_MS + w * 3_600_000;
          const until = from + (w + 1) * 11 * DAY_MS;
          const r = { pattern, range };
          const expected = naiveStarts(first, r, from, until);
          expect(occurrenceStarts(first, r, from, until), `${JSON.stringify(r)} ${iso(from)}..${iso(until)}`).toEqual(expected);
          compared += expected.length;
        }
      }
    }
    expect(compared).toBeGreaterThan(300);
  });
});

describe('shortestGapMs', () => {
  it('is the interval for daily patterns and the closest two days (wrapping around) for weekly ones', () => {
    const start = at('2026-01-05T09:00:00Z');
    expect(shortestGapMs({ type: 'daily', interval: 3 }, start)).toBe(3 * DAY_MS);
    expect(shortestGapMs({ type: 'weekly', interval: 1, daysOfWeek: ['monday', 'friday'] }, start)).toBe(3 * DAY_MS);
    expect(shortestGapMs({ type: 'weekly', interval: 2, daysOfWeek: ['monday'] }, start)).toBe(14 * DAY_MS);
    expect(shortestGapMs({ type: 'weekly', interval: 1, daysOfWeek: ['monday', 'tuesday'] }, start)).toBe(DAY_MS);
  });
});
