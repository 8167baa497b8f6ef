import { z } from 'zod';

/** Graph's `presence.availability` values (v1.0). */
export const TEAMS_AVAILABILITIES = [
  'Available',
  'AvailableIdle',
  'Away',
  'BeRightBack',
  'Busy',
  'BusyIdle',
  'DoNotDisturb',
  'Offline',
  'PresenceUnknown',
] as const;
export type TeamsAvailability = (typeof TEAMS_AVAILABILITIES)[number];

/** Graph's `presence.activity` values (v1.0). */
export const TEAMS_ACTIVITIES = [
  'Available',
  'Away',
  'BeRightBack',
  'Busy',
  'DoNotDisturb',
  'InACall',
  'InAConferenceCall',
  'Inactive',
  'InAMeeting',
  'Offline',
  'OffWork',
  'OutOfOffice',
  'PresenceUnknown',
  'Presenting',
  'UrgentInterruptionsOnly',
] as const;
export type TeamsActivity = (typeof TEAMS_ACTIVITIES)[number];

/**
 * A value Graph may add later (Microsoft documents the lists as evolvable) reads as PresenceUnknown, which the
 * mapping leaves alone, instead of failing the whole batch of 650 users.
 */
const availability = z
  .string()
  .transform((value): TeamsAvailability =>
    (TEAMS_AVAILABILITIES as readonly string[]).includes(value) ? (value as TeamsAvailability) : 'PresenceUnknown',
  );
const activity = z
  .string()
  .transform((value): TeamsActivity =>
    (TEAMS_ACTIVITIES as readonly string[]).includes(value) ? (value as TeamsActivity) : 'PresenceUnknown',
  );

/** One user's Teams presence as the connector reads it. */
export interface TeamsPresence {
  /** The Entra object id. */
  userId: string;
  availability: TeamsAvailability;
  activity: TeamsActivity;
}

/** One item of `POST /communications/getPresencesByUserId` (other properties are ignored). */
export const GraphPresenceSchema = z
  .object({
    id: z.string().min(1),
    availability: availability.nullish().transform((value) => value ?? 'PresenceUnknown'),
    activity: activity.nullish().transform((value) => value ?? 'PresenceUnknown'),
  })
  .transform(({ id, availability, activity }): TeamsPresence => ({ userId: id, availability, activity }));

/** The answer of `getPresencesByUserId`: `{ value: [...] }`. */
export const GetPresencesAnswerSchema = z.object({ value: z.array(GraphPresenceSchema) });
