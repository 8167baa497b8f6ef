import { describe, expect, it } from 'vitest';
import { MIN_SCHEDULE_INTERVAL_MINUTES, cronScheduleProblem, shortestGapMinutes } from '../../../shared/config/cronSchedule';
import { ScheduleSchema } from '../../../shared/config/TenantConfig';

describe('cronScheduleProblem (a tenant reconcile schedule)', () => {
  it.each(['30 0 * * *', '15 2 * * 1-5', '0 3 * * *', '*/15 * * * *', '0,30 * * * *', '0 */2 * * *', '0 0 L * *', ' 30  0 * * * '])(
    'accepts %j',
    (expression) => expect(cronScheduleProblem(expression)).toBeUndefined(),
  );

  it.each([
    ['', /must not be empty/],
    ['   ', /must not be empty/],
    ['* * * * *', /1 minute apart/],
    ['*/5 * * * *', /5 minutes apart/],
    ['*/14 * * * *', /minutes apart/],
    ['0,10 3 * * *', /10 minutes apart/],
    ['0,55 1,2 * * *', /5 minutes apart/],
    ['0,50 23,0 * * *', /10 minutes apart/],
    ['0 0 * * * *', /exactly five fields.*got 6/],
    ['0 0 * *', /exactly five fields.*got 4/],
    ['@daily', /exactly five fields.*got 1/],
    ['H 0 * * *', /must not use H/],
    ['60 0 * * *', /not a valid cron expression \(Constraint error/],
    ['a b c d e', /not a valid cron expression/],
    ['0 0 30 2 *', /not a valid cron expression|never occurs/],
  ])('refuses %j', (expression, message) => expect(cronScheduleProblem(expression)).toMatch(message));

  it('measures the shortest gap inside an hour and across consecutive hours', () => {
    expect(shortestGapMinutes([0, 30], [1])).toBe(30);
    expect(shortestGapMinutes([0], [1, 2])).toBe(60);
    expect(shortestGapMinutes([50], [5])).toBe(Infinity);
    expect(shortestGapMinutes([0, 45], [3, 4])).toBe(15);
    expect(shortestGapMinutes([59, 0], [23, 0])).toBe(1);
  });

  it('ScheduleSchema reports the problem as the cron field issue, and keeps the nightly default', () => {
    const parsed = ScheduleSchema.safeParse({ cron: '', timeZone: 'UTC' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ['cron'], message: expect.stringMatching(/must not be empty/) });
    expect(ScheduleSchema.parse({})).toEqual({ cron: '30 0 * * *', timeZone: 'UTC' });
    expect(MIN_SCHEDULE_INTERVAL_MINUTES).toBe(15);
  });
});
