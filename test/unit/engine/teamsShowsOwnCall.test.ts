import { describe, expect, it } from 'vitest';
import { teamsShowsOwnCall } from '../../../shared/engine/teamsShowsOwnCall';

const NOW = new Date('2027-01-04T09:01:00Z');
const holding = {
  userId: 'u',
  updatedAt: '',
  call: { active: true, eventAt: '2027-01-04T09:00:00Z', sessionUntil: '2027-01-04T09:05:00Z' },
};

describe('teamsShowsOwnCall', () => {
  it('is the connector’s own session while it holds one and Teams shows Busy', () => {
    expect(teamsShowsOwnCall(holding, 'Busy', NOW)).toBe(true);
    expect(teamsShowsOwnCall(holding, 'BusyIdle', NOW)).toBe(true);
  });

  it('is the user’s own state when it is stronger than Busy, when no session is held, or once it expired', () => {
    expect(teamsShowsOwnCall(holding, 'DoNotDisturb', NOW)).toBe(false);
    expect(teamsShowsOwnCall({ ...holding, call: { ...holding.call, active: false } }, 'Busy', NOW)).toBe(false);
    expect(teamsShowsOwnCall(undefined, 'Busy', NOW)).toBe(false);
    expect(teamsShowsOwnCall(holding, 'Busy', new Date('2027-01-04T09:05:00Z'))).toBe(false);
  });
});
