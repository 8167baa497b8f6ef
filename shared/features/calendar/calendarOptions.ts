import { z } from 'zod';
import { FeatureUserScopeSchema } from '../featureUserScope';

/** What an event's "show as" asks of the PBX while it runs. */
const Target = z.enum(['doNotDisturb', 'away', 'leave']);

/**
 * Calendar "show as" → PBX status. `{}` is valid (and off). The default: busy and working elsewhere (timed events
 * only) silence the phone, out of office shows away, tentative / free / unknown change nothing.
 */
export const CalendarOptionsSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** Whose calendars count: every synced user, or the synced members of chosen groups. */
    users: FeatureUserScopeSchema.default({ mode: 'ALL' }),
    showAs: z
      .object({
        busy: Target.default('doNotDisturb'),
        oof: Target.default('away'),
        workingElsewhere: Target.default('doNotDisturb'),
        tentative: Target.default('leave'),
        free: Target.default('leave'),
        unknown: Target.default('leave'),
      })
      .strict()
      .default({
        busy: 'doNotDisturb',
        oof: 'away',
        workingElsewhere: 'doNotDisturb',
        tentative: 'leave',
        free: 'leave',
        unknown: 'leave',
      }),
    /** All-day events count only with these "show as" values (a day off shows away; an all-day "busy" reminder does not). */
    allDayShowAs: z
      .array(z.enum(['busy', 'oof', 'workingElsewhere', 'tentative', 'free', 'unknown']))
      .max(6)
      .default(['oof']),
    /** Hours ahead each read of a calendar covers (its transitions are queued for their exact times). */
    lookaheadHours: z.number().int().min(1).max(168).default(24),
    /**
     * Minutes between two reads of every synced user's calendar (one calendarView request each, spread across
     * the period): how soon a meeting booked, moved or cancelled is seen.
     */
    refreshMinutes: z.number().int().min(1).max(1440).default(5),
    /**
     * Subscribe to each in-scope user's events (one Graph subscription per mailbox, renewed every few days; the
     * connector's public endpoint must be configured) so a meeting booked, moved or cancelled is read within
     * seconds; the poll stays as the safety net. Off: only the poll (refreshMinutes).
     */
    notifications: z.boolean().default(true),
    /** Calendars read side by side (each is one mailbox; Outlook allows 4 requests in flight per mailbox). */
    concurrency: z.number().int().min(1).max(64).default(16),
  })
  .strict()
  .refine((options) => options.lookaheadHours * 60 > options.refreshMinutes, {
    message: 'lookaheadHours must reach past the next read (refreshMinutes)',
    path: ['lookaheadHours'],
  });
export type CalendarOptions = z.infer<typeof CalendarOptionsSchema>;
