import { describe, expect, it } from 'vitest';
import { REFRESH_WINDOW_MS, calendarRefreshTimer, isCalendarRefresh } from '../../../../shared/features/calendar/calendarRefresh';

describe('calendarRefreshTimer', () => {
  it('puts every notification of one window on the same timer, due at the window’s end', () => {
    const first = calendarRefreshTimer('u1', new Date('2027-01-04T09:00:00.000Z'));
    const last = calendarRefreshTimer('u1', new Date(Date.parse('2027-01-04T09:00:00.000Z') + REFRESH_WINDOW_MS - 1));
    expect(last).toEqual(first);
    expect(first).toEqual({
      subject: 'u1',
      key: `refresh:${Date.parse('2027-01-04T09:00:00.000Z')}`,
      at: new Date('2027-01-04T09:00:02.000Z'),
    });
    expect(calendarRefreshTimer('u1', new Date('2027-01-04T09:00:02.000Z')).key).not.toBe(first.key);
  });

  it('is told apart from a meeting transition, whose key is a digest with no colon', () => {
    expect(isCalendarRefresh(calendarRefreshTimer('u1', new Date()))).toBe(true);
    expect(isCalendarRefresh({ subject: 'u1', key: 'EqV45qApY39CHKAc4bIChK', at: new Date() })).toBe(false);
  });
});
