import { z } from 'zod';
import { TEAMS_ACTIVITIES, TEAMS_AVAILABILITIES } from '../../graph/TeamsPresence';

/** What a Teams state asks of the PBX: a status, or `leave` (whatever the PBX shows stays). */
export const PRESENCE_TARGETS = ['doNotDisturb', 'away', 'available', 'leave'] as const;
export type PresenceTarget = (typeof PRESENCE_TARGETS)[number];

/**
 * One mapping rule: it matches when the availability is one of `availability` (any, when absent) and the
 * activity one of `activity` (any, when absent). Rules are tried in order; the first match decides, and a
 * state no rule matches is `leave`.
 */
export const PresenceRuleSchema = z
  .object({
    availability: z.array(z.enum(TEAMS_AVAILABILITIES)).min(1).optional(),
    activity: z.array(z.enum(TEAMS_ACTIVITIES)).min(1).optional(),
    target: z.enum(PRESENCE_TARGETS),
  })
  .strict();
export type PresenceRule = z.infer<typeof PresenceRuleSchema>;

/**
 * The default mapping. DoNotDisturb (whatever the activity: presenting, urgent interruptions only) and a busy
 * user in a call or meeting silence the phone; out of office and away show away; available shows available.
 * BusyIdle, Offline, OffWork and PresenceUnknown leave the PBX as it is: an idle or signed-out Teams says
 * nothing about the phone on the desk.
 */
export const DEFAULT_PRESENCE_RULES: readonly PresenceRule[] = [
  { availability: ['DoNotDisturb'], target: 'doNotDisturb' },
  { activity: ['OutOfOffice'], target: 'away' },
  { availability: ['Busy'], activity: ['InACall', 'InAConferenceCall', 'InAMeeting', 'Busy'], target: 'doNotDisturb' },
  { availability: ['Away', 'BeRightBack'], target: 'away' },
  { availability: ['Available', 'AvailableIdle'], target: 'available' },
];

/** Teams presence → PBX status. `{}` is valid (and off). */
export const PresenceOptionsSchema = z
  .object({
    enabled: z.boolean().default(false),
    /**
     * Seconds between two polls of every synced user's Teams presence. Each poll is ⌈users / 650⌉ Graph
     * calls spread across the cycle; Graph allows 1,500 presence calls per 30 s per app and tenant.
     */
    pollSeconds: z.number().int().min(10).max(600).default(30),
    /**
     * Minutes between two re-assertions: the PBX status of every user the connector set is read back and
     * written again where it drifted (a write the PBX lost heals within this time).
     */
    reassertMinutes: z.number().int().min(1).max(1440).default(10),
    /** The mapping, first match wins; replaces the default rules as a whole when given. */
    rules: z
      .array(PresenceRuleSchema)
      .max(64)
      .default([...DEFAULT_PRESENCE_RULES]),
    /** The PBX status note written with a status (PortSIP shows it to colleagues); '' writes none. */
    statusNote: z.string().max(128).default(''),
  })
  .strict()
  .refine((options) => options.reassertMinutes * 60 >= options.pollSeconds, {
    message: 'reassertMinutes must be at least one poll cycle',
    path: ['reassertMinutes'],
  });
export type PresenceOptions = z.infer<typeof PresenceOptionsSchema>;
