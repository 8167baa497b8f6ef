import { z } from 'zod';
import { TEAMS_ACTIVITIES, TEAMS_AVAILABILITIES } from '../graph/TeamsPresence';
import { PBX_PRESENCE_STATUSES, type PbxPresenceReading, type PbxPresenceState } from '../pbx/ports/PbxPresenceState';
import { NO_USER_ACCESS_REASONS } from '../pbx/ports/PortalPasswords';
import { PRESENCE_SOURCES } from './PresenceRecord';

/** Stored shapes of the presence records (rows written by this code; a row that drifts fails clearly). */
export const PbxPresenceFieldsSchema = z
  .object({
    doNotDisturb: z.boolean().optional(),
    status: z.enum(PBX_PRESENCE_STATUSES).optional(),
    statusNote: z.string().max(128).optional(),
  })
  .strict()
  .transform(
    (fields) => Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<PbxPresenceState>,
  );

/** JSON drops an undefined status (hidden behind a call), so it comes back as an explicit undefined. */
export const PbxPresenceReadingSchema = z
  .object({ doNotDisturb: z.boolean(), status: z.enum(PBX_PRESENCE_STATUSES).optional(), statusNote: z.string() })
  .strict()
  .transform((reading): PbxPresenceReading => ({
    doNotDisturb: reading.doNotDisturb,
    status: reading.status,
    statusNote: reading.statusNote,
  }));

export const TeamsObservationSchema = z
  .object({
    availability: z.enum(TEAMS_AVAILABILITIES),
    activity: z.enum(TEAMS_ACTIVITIES),
    target: z.enum(['doNotDisturb', 'away', 'available', 'leave']).optional(),
  })
  .strict()
  .transform(({ target, ...rest }) => (target === undefined ? rest : { ...rest, target }));

export const AppliedPresenceSchema = z
  .object({
    source: z.enum(PRESENCE_SOURCES),
    target: z.enum(['doNotDisturb', 'away', 'available']),
    mode: z.enum(['status', 'dndOnly']),
    asserted: PbxPresenceFieldsSchema,
    before: PbxPresenceReadingSchema,
    at: z.string(),
  })
  .strict();

export const NoUserAccessReasonSchema = z.enum(NO_USER_ACCESS_REASONS);
export const HeldBySchema = z.enum(['businessTrip', 'lunch']);

export const CalendarPlanSchema = z
  .object({
    segments: z.array(
      z
        .object({
          start: z.string(),
          end: z.string(),
          target: z.enum(['doNotDisturb', 'away', 'available']),
          eventIds: z.array(z.string()),
        })
        .strict(),
    ),
    key: z.string(),
    readAt: z.string(),
    until: z.string(),
  })
  .strict();

export const CallPresenceSchema = z
  .object({ active: z.boolean(), eventAt: z.string(), sessionUntil: z.string().optional() })
  .strict()
  .transform(({ sessionUntil, ...rest }) => (sessionUntil === undefined ? rest : { ...rest, sessionUntil }));
