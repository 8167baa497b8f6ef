import { z } from 'zod';
import { parseInstant } from './calendarTime';
import { eventTimingProblems } from './eventTiming';
import { DAYS_OF_WEEK } from './expandRecurrence';
import { BadBodyError } from './readJsonBody';
import { SHOW_AS_VALUES } from './SandboxEvent';

const instant = z
  .string()
  .max(64)
  .refine((v) => parseInstant(v) !== undefined, 'must be an ISO 8601 date and time (UTC when it has no offset)');

const RecurrenceSchema = z
  .object({
    pattern: z
      .object({
        type: z.enum(['daily', 'weekly']),
        interval: z.int().min(1).max(999),
        daysOfWeek: z.array(z.enum(DAYS_OF_WEEK)).min(1).max(7).optional(),
      })
      .strict(),
    range: z
      .object({
        type: z.enum(['numbered', 'endDate', 'noEnd']),
        numberOfOccurrences: z.int().min(1).max(100_000).optional(),
        endDate: z.iso.date().optional(),
      })
      .strict(),
  })
  .strict();

/**
 * `POST /_sandbox/mailboxes/{mailbox}/events` and `GraphSandbox.addEvent`: a single event, or a series when
 * `recurrence` is given (its first occurrence at `start`). `showAs` defaults to busy, as in Outlook.
 */
export const NewEventSchema = z
  .object({
    subject: z.string().max(255).optional(),
    start: instant,
    end: instant,
    showAs: z.enum(SHOW_AS_VALUES).optional(),
    isAllDay: z.boolean().optional(),
    recurrence: RecurrenceSchema.optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
    const timing = {
      startMs: parseInstant(e.start)!,
      endMs: parseInstant(e.end)!,
      isAllDay: e.isAllDay ?? false,
      recurrence: e.recurrence,
    };
    for (const p of eventTimingProblems(timing)) ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
  });
export type NewEventBody = z.infer<typeof NewEventSchema>;

/**
 * `PATCH /_sandbox/mailboxes/{mailbox}/events/{id}` and `GraphSandbox.updateEvent`: new times (both), subject
 * or showAs. On an occurrence it makes an exception; on a series master new times move the whole series.
 */
export const EventPatchSchema = z
  .object({
    subject: z.string().max(255).optional(),
    showAs: z.enum(SHOW_AS_VALUES).optional(),
    start: instant.optional(),
    end: instant.optional(),
  })
  .strict()
  .refine((p) => Object.keys(p).length > 0, 'name at least one property')
  .refine((p) => (p.start === undefined) === (p.end === undefined), { message: 'give start and end together', path: ['end'] })
  .refine((p) => p.start === undefined || p.end === undefined || parseInstant(p.end)! > parseInstant(p.start)!, {
    message: 'must be after start',
    path: ['end'],
  });
export type EventPatchBody = z.infer<typeof EventPatchSchema>;

/**
 * `POST /_sandbox/calendars/seed` and `GraphSandbox.seedEvents`: `eventsPerUser` single events per user (given
 * ones, or every live user), the i-th starting `start + i × spacingMinutes`; no notifications (benchmarks).
 */
export const SeedEventsSchema = z
  .object({
    userIds: z.array(z.string().min(1).max(256)).max(100_000).optional(),
    allUsers: z.literal(true).optional(),
    eventsPerUser: z.int().min(1).max(10_000),
    start: instant,
    spacingMinutes: z.int().min(1).max(525_600),
    durationMinutes: z.int().min(1).max(20_160),
    showAs: z.enum(SHOW_AS_VALUES).optional(),
    subject: z.string().max(200).optional(),
  })
  .strict()
  .refine((p) => (p.userIds === undefined) !== (p.allUsers === undefined), 'give userIds or allUsers');
export type SeedEventsBody = z.infer<typeof SeedEventsSchema>;

/**
 * Checks what an in-process caller passed against a control schema, refusing it as the control API refuses a
 * body (BadBodyError 400, every problem named), so both ways in take and refuse the same.
 */
export function parseControlBody<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new BadBodyError(400, parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  return parsed.data;
}
