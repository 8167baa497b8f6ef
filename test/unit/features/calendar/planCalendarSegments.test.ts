import { describe, expect, it } from 'vitest';
import { type CalendarEvent } from '../../../../shared/graph/CalendarEvent';
import { CalendarOptionsSchema } from '../../../../shared/features/calendar/calendarOptions';
import { calendarTransitions, planCalendarSegments } from '../../../../shared/features/calendar/planCalendarSegments';
import { calendarWishAt } from '../../../../shared/engine/calendarWishAt';

const DAY = Date.parse('2026-12-02T00:00:00Z');
const at = (hhmm: string) => DAY + (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3))) * 60_000;
const iso = (hhmm: string) => new Date(at(hhmm)).toISOString();
let seq = 0;
const event = (
  start: string,
  end: string,
  showAs: CalendarEvent['showAs'] = 'busy',
  extra: Partial<CalendarEvent> = {},
): CalendarEvent => ({
  id: `e${++seq}`,
  changeKey: 'k1',
  showAs,
  isAllDay: false,
  isCancelled: false,
  start: at(start),
  end: at(end),
  ...extra,
});
const options = CalendarOptionsSchema.parse({ enabled: true });
const plan = (events: CalendarEvent[], opts = options) => planCalendarSegments(events, opts, DAY, DAY + 86_400_000, new Date(DAY));
const shape = (events: CalendarEvent[], opts = options) =>
  plan(events, opts).segments.map((s) => [s.start.slice(11, 16), s.end.slice(11, 16), s.target]);

describe('planCalendarSegments', () => {
  it('maps "show as" by default: busy and working elsewhere → DND, out of office → away, the rest nothing', () => {
    expect(shape([event('09:00', '10:00', 'busy')])).toEqual([['09:00', '10:00', 'doNotDisturb']]);
    expect(shape([event('09:00', '10:00', 'workingElsewhere')])).toEqual([['09:00', '10:00', 'doNotDisturb']]);
    expect(shape([event('09:00', '10:00', 'oof')])).toEqual([['09:00', '10:00', 'away']]);
    for (const showAs of ['tentative', 'free', 'unknown'] as const) expect(shape([event('09:00', '10:00', showAs)])).toEqual([]);
  });

  it('drops cancelled events, and all-day events except out of office (a day off shows away)', () => {
    expect(shape([event('09:00', '10:00', 'busy', { isCancelled: true })])).toEqual([]);
    expect(shape([event('00:00', '24:00', 'busy', { isAllDay: true })])).toEqual([]);
    expect(shape([event('00:00', '24:00', 'workingElsewhere', { isAllDay: true })])).toEqual([]);
    expect(shape([event('00:00', '24:00', 'oof', { isAllDay: true })])).toEqual([['00:00', '00:00', 'away']]);
  });

  it('merges overlapping and back-to-back meetings into one continuous stretch', () => {
    expect(shape([event('09:00', '10:00'), event('09:30', '11:00'), event('11:00', '11:30')])).toEqual([
      ['09:00', '11:30', 'doNotDisturb'],
    ]);
    const merged = plan([event('09:00', '10:00'), event('10:00', '10:30')]);
    expect(calendarTransitions(merged)).toEqual([
      { at: iso('09:00'), target: 'doNotDisturb' },
      { at: iso('10:30'), target: 'leave' },
    ]);
  });

  it('lets the stronger status hold where they overlap, and changes status without a gap', () => {
    const p = plan([event('09:00', '12:00', 'oof'), event('10:00', '11:00', 'busy')]);
    expect(p.segments.map((s) => [s.start.slice(11, 16), s.end.slice(11, 16), s.target])).toEqual([
      ['09:00', '10:00', 'away'],
      ['10:00', '11:00', 'doNotDisturb'],
      ['11:00', '12:00', 'away'],
    ]);
    expect(calendarTransitions(p).map((t) => [t.at.slice(11, 16), t.target])).toEqual([
      ['09:00', 'away'],
      ['10:00', 'doNotDisturb'],
      ['11:00', 'away'],
      ['12:00', 'leave'],
    ]);
  });

  it('clips to the window and plans no end for a stretch that runs past it', () => {
    const p = planCalendarSegments(
      [event('23:00', '23:59'), { ...event('00:00', '00:00'), start: DAY - 3_600_000, end: DAY + 3_600_000 }],
      options,
      DAY,
      at('23:30'),
      new Date(DAY),
    );
    expect(p.segments.map((s) => [s.start.slice(11, 16), s.end.slice(11, 16)])).toEqual([
      ['00:00', '01:00'],
      ['23:00', '23:30'],
    ]);
    expect(calendarTransitions(p).map((t) => [t.at.slice(11, 16), t.target])).toEqual([
      ['00:00', 'doNotDisturb'],
      ['01:00', 'leave'],
      ['23:00', 'doNotDisturb'],
    ]);
  });

  it('keeps its key as the window moves on through a running meeting', () => {
    const events = [event('09:00', '10:00'), event('11:00', '12:00')];
    const early = planCalendarSegments(events, options, at('08:00'), at('08:00') + 86_400_000, new Date(at('08:00')));
    const during = planCalendarSegments(events, options, at('09:30'), at('09:30') + 86_400_000, new Date(at('09:30')));
    expect(during.segments[0]!.start).toBe(iso('09:30'));
    expect(during.key).toBe(early.key);
  });

  it('changes its key when an event changes (change key) or moves, and not otherwise', () => {
    const a = event('09:00', '10:00');
    const base = plan([a]).key;
    expect(plan([{ ...a }]).key).toBe(base);
    expect(plan([{ ...a, changeKey: 'k2' }]).key).not.toBe(base);
    expect(plan([{ ...a, start: at('09:15') }]).key).not.toBe(base);
  });

  it('follows a tenant mapping', () => {
    const mine = CalendarOptionsSchema.parse({ enabled: true, showAs: { busy: 'away', tentative: 'doNotDisturb' }, allDayShowAs: [] });
    expect(shape([event('09:00', '10:00', 'busy'), event('10:00', '11:00', 'tentative')], mine)).toEqual([
      ['09:00', '10:00', 'away'],
      ['10:00', '11:00', 'doNotDisturb'],
    ]);
    expect(shape([event('00:00', '24:00', 'oof', { isAllDay: true })], mine)).toEqual([]);
    expect(CalendarOptionsSchema.safeParse({ showAs: { busy: 'lunch' } }).success).toBe(false);
  });
});

describe('calendarWishAt', () => {
  it('is the segment holding the moment, start inclusive and end exclusive; else no opinion', () => {
    const p = plan([event('09:00', '10:00', 'busy')]);
    expect(calendarWishAt(p, new Date(at('09:00'))).target).toBe('doNotDisturb');
    expect(calendarWishAt(p, new Date(at('09:59'))).target).toBe('doNotDisturb');
    expect(calendarWishAt(p, new Date(at('10:00'))).target).toBe('leave');
    expect(calendarWishAt(undefined, new Date(at('09:30')))).toMatchObject({ source: 'calendar', target: 'leave' });
  });
});
