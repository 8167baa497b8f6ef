import { describe, expect, it } from 'vitest';
import { TEAMS_ACTIVITIES, TEAMS_AVAILABILITIES, type TeamsActivity, type TeamsAvailability } from '../../../../shared/graph/TeamsPresence';
import { mapTeamsPresence } from '../../../../shared/features/presence/mapTeamsPresence';
import { DEFAULT_PRESENCE_RULES, PresenceOptionsSchema, type PresenceTarget } from '../../../../shared/features/presence/presenceOptions';

/** The default mapping as the product promises it, written out independently of the rule list. */
function promised(availability: TeamsAvailability, activity: TeamsActivity): PresenceTarget {
  if (availability === 'DoNotDisturb') return 'doNotDisturb';
  if (activity === 'OutOfOffice') return 'away';
  if (availability === 'Busy' && ['InACall', 'InAConferenceCall', 'InAMeeting', 'Busy'].includes(activity)) return 'doNotDisturb';
  if (availability === 'Away' || availability === 'BeRightBack') return 'away';
  if (availability === 'Available' || availability === 'AvailableIdle') return 'available';
  return 'leave';
}

describe('mapTeamsPresence with the default rules', () => {
  it.each(TEAMS_AVAILABILITIES.flatMap((availability) => TEAMS_ACTIVITIES.map((activity) => [availability, activity] as const)))(
    '%s / %s',
    (availability, activity) => {
      expect(mapTeamsPresence(DEFAULT_PRESENCE_RULES, availability, activity)).toBe(promised(availability, activity));
    },
  );

  it('names the cases the product documents', () => {
    expect(mapTeamsPresence(DEFAULT_PRESENCE_RULES, 'DoNotDisturb', 'Presenting')).toBe('doNotDisturb');
    expect(mapTeamsPresence(DEFAULT_PRESENCE_RULES, 'DoNotDisturb', 'UrgentInterruptionsOnly')).toBe('doNotDisturb');
    expect(mapTeamsPresence(DEFAULT_PRESENCE_RULES, 'Busy', 'InAMeeting')).toBe('doNotDisturb');
    expect(mapTeamsPresence(DEFAULT_PRESENCE_RULES, 'Offline', 'OutOfOffice')).toBe('away');
    expect(mapTeamsPresence(DEFAULT_PRESENCE_RULES, 'BeRightBack', 'BeRightBack')).toBe('away');
    expect(mapTeamsPresence(DEFAULT_PRESENCE_RULES, 'AvailableIdle', 'Inactive')).toBe('available');
    expect(mapTeamsPresence(DEFAULT_PRESENCE_RULES, 'BusyIdle', 'Inactive')).toBe('leave');
    expect(mapTeamsPresence(DEFAULT_PRESENCE_RULES, 'Offline', 'OffWork')).toBe('leave');
    expect(mapTeamsPresence(DEFAULT_PRESENCE_RULES, 'PresenceUnknown', 'PresenceUnknown')).toBe('leave');
  });
});

describe('tenant rules', () => {
  it('replace the defaults; the first match wins and no match leaves the PBX alone', () => {
    const { rules } = PresenceOptionsSchema.parse({
      enabled: true,
      rules: [
        { availability: ['Busy'], activity: ['InAMeeting'], target: 'away' },
        { availability: ['Busy', 'DoNotDisturb'], target: 'doNotDisturb' },
      ],
    });
    expect(mapTeamsPresence(rules, 'Busy', 'InAMeeting')).toBe('away');
    expect(mapTeamsPresence(rules, 'Busy', 'InACall')).toBe('doNotDisturb');
    expect(mapTeamsPresence(rules, 'Available', 'Available')).toBe('leave');
  });

  it('refuses a value Graph does not have, an unknown target and a rule with extra keys', () => {
    const bad = (rule: unknown) => PresenceOptionsSchema.safeParse({ rules: [rule] }).success;
    expect(bad({ availability: ['Bsy'], target: 'away' })).toBe(false);
    expect(bad({ activity: ['InACall'], target: 'lunch' })).toBe(false);
    expect(bad({ activity: [], target: 'away' })).toBe(false);
    expect(bad({ activity: ['InACall'], target: 'away', note: 'x' })).toBe(false);
    expect(bad({ activity: ['InACall'], target: 'away' })).toBe(true);
  });

  it('keeps re-assertion no more frequent than the poll', () => {
    expect(PresenceOptionsSchema.safeParse({ pollSeconds: 120, reassertMinutes: 1 }).success).toBe(false);
    expect(PresenceOptionsSchema.parse({})).toMatchObject({ enabled: false, pollSeconds: 30, reassertMinutes: 10, statusNote: '' });
  });
});
