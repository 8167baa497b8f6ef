import { describe, expect, it } from 'vitest';
import { dueFireTime } from '../../../shared/app/dueFireTime';

describe('dueFireTime (tenant-local schedules)', () => {
  it('fires 00:30 Berlin at 23:30 UTC once, then not again until the next night', () => {
    const now = new Date('2026-11-22T23:35:00Z');
    const fire = dueFireTime('30 0 * * *', 'Europe/Berlin', now, null);
    expect(fire?.toISOString()).toBe('2026-11-22T23:30:00.000Z');
    expect(dueFireTime('30 0 * * *', 'Europe/Berlin', now, fire!.toISOString())).toBeUndefined();
    expect(dueFireTime('30 0 * * *', 'Europe/Berlin', new Date('2026-11-23T23:31:00Z'), fire!.toISOString())?.toISOString()).toBe(
      '2026-11-23T23:30:00.000Z',
    );
  });

  it('does not replay occurrences older than the allowed lag', () => {
    expect(dueFireTime('30 0 * * *', 'UTC', new Date('2026-11-22T12:00:00Z'), null, 3600_000)).toBeUndefined();
  });
});
