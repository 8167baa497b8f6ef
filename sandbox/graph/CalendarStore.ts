import { randomBytes } from 'node:crypto';
import { type EventPatchBody, type NewEventBody } from './calendarControlSchemas';
import { graphDateTime, graphTimestamp, MINUTE_MS, parseInstant, utcDate } from './calendarTime';
import { eventTimingProblems } from './eventTiming';
import { type SandboxRecurrence, occurrenceStarts } from './expandRecurrence';
import { newChangeKey, newOutlookId } from './outlookIds';
import { BadBodyError } from './readJsonBody';
import { type SandboxEvent, type SandboxPatternedRecurrence, type SandboxShowAs } from './SandboxEvent';
import { SandboxConflictError, SandboxNotFoundError } from './sandboxErrors';

/** An occurrence of a series that was changed (an exception) or cancelled, keyed by its original start. */
interface OccurrenceOverride {
  cancelled: boolean;
  startMs: number;
  endMs: number;
  /** Left out: the master's value shows through (and follows later edits of the master). */
  subject?: string | undefined;
  showAs?: SandboxShowAs | undefined;
  changeKey: string;
  lastModifiedMs: number;
}

/**
 * A single event or a series master. A series is kept as its first start, duration, pattern and range (plus
 * its overridden occurrences); occurrences are made when a window asks for them, never stored.
 */
interface StoredEvent {
  id: string;
  iCalUId: string;
  changeKey: string;
  subject: string;
  showAs: SandboxShowAs;
  isAllDay: boolean;
  isCancelled: boolean;
  startMs: number;
  durationMs: number;
  recurrence: SandboxRecurrence | null;
  lastModifiedMs: number;
  /** Made on the first override: a bulk seed of 100,000 single events should not carry 100,000 empty maps. */
  overrides?: Map<number, OccurrenceOverride> | undefined;
}

/** What an event change was, for notifications: a change inside a series is reported on its master. */
export interface EventChange {
  mailboxId: string;
  eventId: string;
  changeKey: string;
  changeType: 'created' | 'updated' | 'deleted';
}

/** `GraphSandbox.seedEvents`' options, the control API's seed body without the users. */
export interface EventSeed {
  eventsPerUser: number;
  /** ISO 8601; the i-th event starts `start + i × spacingMinutes`. */
  start: string;
  spacingMinutes: number;
  durationMinutes: number;
  showAs?: SandboxShowAs | undefined;
  /** Subjects are `${subject} ${i + 1}`; default 'Seeded event'. */
  subject?: string | undefined;
}

/**
 * An occurrence's id: its master's id with the original start appended (base 36), so any occurrence of an
 * endless series can be addressed without storing it. The marker cannot appear in the lower-case suffix.
 */
const OCCURRENCE_ID = /^(.+)AOcc([0-9a-z]+)=$/;
const occurrenceId = (masterId: string, originalStartMs: number) => `${masterId.slice(0, -1)}AOcc${originalStartMs.toString(36)}=`;

/** Outlook's global object id class (the first 16 bytes of every iCalUId it makes). */
const GLOBAL_OBJECT_CLASS = '040000008200E00074C5B7101A82E008';
/** Windows FILETIME (100 ns since 1601) of the Unix epoch. */
const FILETIME_EPOCH_OFFSET_MS = 11_644_473_600_000n;

/**
 * The sandbox's Outlook calendars: per mailbox (user object id) its events and series, all in UTC. Deleted
 * events are gone (calendarView has no delta here); cancelled ones stay readable by id with isCancelled.
 */
export class CalendarStore {
  private readonly calendars = new Map<string, Map<string, StoredEvent>>();

  constructor(private readonly now: () => number = Date.now) {}

  clear(): void {
    this.calendars.clear();
  }

  /** A checked body (NewEventSchema): a single event, or a series master when it has a recurrence. */
  add(mailboxId: string, body: NewEventBody): { change: EventChange; event: SandboxEvent } {
    const startMs = parseInstant(body.start)!;
    const stored = this.store(mailboxId, {
      subject: body.subject ?? '',
      showAs: body.showAs ?? 'busy',
      isAllDay: body.isAllDay ?? false,
      startMs,
      durationMs: parseInstant(body.end)! - startMs,
      recurrence: body.recurrence ? structuredClone(body.recurrence) : null,
    });
    return { change: changeOf(mailboxId, stored, 'created'), event: eventOf(stored) };
  }

  /**
   * A checked patch. On an occurrence it makes (or changes) an exception and the master changes with it, as in
   * Exchange; on a series master new times move the series and drop its exceptions (Outlook's rule when a
   * series' time changes). Returns the event as it is now (the exception, for an occurrence).
   */
  update(mailboxId: string, eventId: string, patch: EventPatchBody): { change: EventChange; event: SandboxEvent } {
    const { master, originalStartMs } = this.requireLive(mailboxId, eventId);
    const now = this.now();
    const startMs = patch.start === undefined ? undefined : parseInstant(patch.start)!;
    const endMs = patch.end === undefined ? undefined : parseInstant(patch.end)!;
    if (originalStartMs !== undefined) {
      const before = master.overrides?.get(originalStartMs);
      const override: OccurrenceOverride = {
        cancelled: false,
        startMs: startMs ?? before?.startMs ?? originalStartMs,
        endMs: endMs ?? before?.endMs ?? originalStartMs + master.durationMs,
        subject: patch.subject ?? before?.subject,
        showAs: patch.showAs ?? before?.showAs,
        changeKey: newChangeKey(),
        lastModifiedMs: now,
      };
      refuseTiming({ startMs: override.startMs, endMs: override.endMs, isAllDay: master.isAllDay });
      (master.overrides ??= new Map()).set(originalStartMs, override);
      touch(master, now);
      return { change: changeOf(mailboxId, master, 'updated'), event: occurrenceOf(master, originalStartMs, override) };
    }
    if (startMs !== undefined && endMs !== undefined) {
      refuseTiming({ startMs, endMs, isAllDay: master.isAllDay, recurrence: master.recurrence ?? undefined });
      if (startMs !== master.startMs || endMs - startMs !== master.durationMs) master.overrides = undefined;
      master.startMs = startMs;
      master.durationMs = endMs - startMs;
    }
    if (patch.subject !== undefined) master.subject = patch.subject;
    if (patch.showAs !== undefined) master.showAs = patch.showAs;
    touch(master, now);
    return { change: changeOf(mailboxId, master, 'updated'), event: eventOf(master) };
  }

  /**
   * A single event or a whole series is cancelled (absent from calendarView, still readable by id with
   * isCancelled); an occurrence is cancelled on its own (absent, 404 by id). Cancelling twice is a conflict.
   */
  cancel(mailboxId: string, eventId: string): EventChange {
    const { master, originalStartMs } = this.requireLive(mailboxId, eventId);
    const now = this.now();
    if (originalStartMs !== undefined) {
      (master.overrides ??= new Map()).set(originalStartMs, {
        cancelled: true,
        startMs: originalStartMs,
        endMs: originalStartMs + master.durationMs,
        changeKey: newChangeKey(),
        lastModifiedMs: now,
      });
    } else {
      if (master.isCancelled) throw new SandboxConflictError(`event ${eventId} is already cancelled`);
      master.isCancelled = true;
    }
    touch(master, now);
    return changeOf(mailboxId, master, 'updated');
  }

  /** A single event or series is gone (with all its occurrences); deleting an occurrence removes only it. */
  delete(mailboxId: string, eventId: string): EventChange {
    const { master, originalStartMs } = this.requireLive(mailboxId, eventId);
    if (originalStartMs !== undefined) return this.cancel(mailboxId, eventId);
    this.calendars.get(mailboxId)!.delete(master.id);
    return changeOf(mailboxId, master, 'deleted');
  }

  /** An event, series master, occurrence or exception by id; undefined when deleted, or a cancelled occurrence. */
  find(mailboxId: string, eventId: string): SandboxEvent | undefined {
    const found = this.locate(mailboxId, eventId);
    if (!found) return undefined;
    const { master, originalStartMs } = found;
    if (originalStartMs === undefined) return eventOf(master);
    const override = master.overrides?.get(originalStartMs);
    if (master.isCancelled || override?.cancelled) return undefined;
    return occurrenceOf(master, originalStartMs, override);
  }

  /**
   * calendarView: the events overlapping [fromMs, untilMs) (start before its end, end after its start), series
   * expanded into occurrences and exceptions, cancelled ones left out, sorted by start (then end, then id).
   */
  view(mailboxId: string, fromMs: number, untilMs: number): SandboxEvent[] {
    const found: { startMs: number; endMs: number; event: SandboxEvent }[] = [];
    for (const e of this.calendars.get(mailboxId)?.values() ?? []) {
      if (e.isCancelled) continue;
      if (!e.recurrence) {
        if (e.startMs < untilMs && e.startMs + e.durationMs > fromMs)
          found.push({ startMs: e.startMs, endMs: e.startMs + e.durationMs, event: eventOf(e) });
        continue;
      }
      // An occurrence starting after fromMs − duration still runs at fromMs.
      for (const at of occurrenceStarts(e.startMs, e.recurrence, fromMs - e.durationMs + 1, untilMs)) {
        if (!e.overrides?.has(at)) found.push({ startMs: at, endMs: at + e.durationMs, event: occurrenceOf(e, at, undefined) });
      }
      // Exceptions are where they were moved to, which may be far from their original start.
      for (const [at, o] of e.overrides ?? []) {
        if (!o.cancelled && o.startMs < untilMs && o.endMs > fromMs)
          found.push({ startMs: o.startMs, endMs: o.endMs, event: occurrenceOf(e, at, o) });
      }
    }
    found.sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs || (a.event.id < b.event.id ? -1 : 1));
    return found.map((f) => f.event);
  }

  /** Many single events at once, without copies or notifications (benchmarks); returns how many were made. */
  seed(mailboxIds: readonly string[], seed: EventSeed): number {
    const firstMs = parseInstant(seed.start)!;
    const subject = seed.subject ?? 'Seeded event';
    for (const mailboxId of mailboxIds) {
      for (let i = 0; i < seed.eventsPerUser; i += 1) {
        this.store(mailboxId, {
          subject: `${subject} ${i + 1}`,
          showAs: seed.showAs ?? 'busy',
          isAllDay: false,
          startMs: firstMs + i * seed.spacingMinutes * MINUTE_MS,
          durationMs: seed.durationMinutes * MINUTE_MS,
          recurrence: null,
        });
      }
    }
    return mailboxIds.length * seed.eventsPerUser;
  }

  private store(
    mailboxId: string,
    fields: Pick<StoredEvent, 'subject' | 'showAs' | 'isAllDay' | 'startMs' | 'durationMs' | 'recurrence'>,
  ): StoredEvent {
    let calendar = this.calendars.get(mailboxId);
    if (!calendar) this.calendars.set(mailboxId, (calendar = new Map<string, StoredEvent>()));
    const now = this.now();
    // Every property written out (no spread), so all events share one shape.
    const stored: StoredEvent = {
      subject: fields.subject,
      showAs: fields.showAs,
      isAllDay: fields.isAllDay,
      startMs: fields.startMs,
      durationMs: fields.durationMs,
      recurrence: fields.recurrence,
      id: newOutlookId('item'),
      iCalUId: newICalUId(now),
      changeKey: newChangeKey(),
      isCancelled: false,
      lastModifiedMs: now,
    };
    calendar.set(stored.id, stored);
    return stored;
  }

  /** The event an id names: a stored one, or an occurrence (the master and its original start) of a live series. */
  private locate(mailboxId: string, eventId: string): { master: StoredEvent; originalStartMs?: number | undefined } | undefined {
    const calendar = this.calendars.get(mailboxId);
    if (!calendar) return undefined;
    const direct = calendar.get(eventId);
    if (direct) return { master: direct };
    const m = OCCURRENCE_ID.exec(eventId);
    const master = m ? calendar.get(`${m[1]!}=`) : undefined;
    if (!m || !master?.recurrence) return undefined;
    const at = parseInt(m[2]!, 36);
    // Only a start the pattern really produces is an occurrence (a made-up id is not).
    if (occurrenceStarts(master.startMs, master.recurrence, at, at + 1, 1)[0] !== at) return undefined;
    return { master, originalStartMs: at };
  }

  private requireLive(mailboxId: string, eventId: string): { master: StoredEvent; originalStartMs?: number | undefined } {
    const found = this.locate(mailboxId, eventId);
    const gone =
      !found ||
      (found.originalStartMs !== undefined && (found.master.isCancelled || found.master.overrides?.get(found.originalStartMs)?.cancelled));
    if (gone) throw new SandboxNotFoundError(`no event ${eventId} in mailbox ${mailboxId}`);
    return found;
  }
}

function touch(event: StoredEvent, now: number): void {
  event.changeKey = newChangeKey();
  event.lastModifiedMs = now;
}

function changeOf(mailboxId: string, event: StoredEvent, changeType: EventChange['changeType']): EventChange {
  return { mailboxId, eventId: event.id, changeKey: event.changeKey, changeType };
}

/** Times the store refuses in a patch, which only the stored event can judge (is it all-day, a series?). */
function refuseTiming(timing: Parameters<typeof eventTimingProblems>[0]): void {
  const problems = eventTimingProblems(timing);
  if (problems.length > 0) throw new BadBodyError(400, problems.map((p) => `${p.path.join('.')}: ${p.message}`).join('; '));
}

const zoned = (ms: number) => ({ dateTime: graphDateTime(ms), timeZone: 'UTC' as const });

/** A single event or series master as Graph shows it. */
function eventOf(e: StoredEvent): SandboxEvent {
  return {
    id: e.id,
    changeKey: e.changeKey,
    iCalUId: e.iCalUId,
    subject: e.subject,
    showAs: e.showAs,
    isAllDay: e.isAllDay,
    isCancelled: e.isCancelled,
    start: zoned(e.startMs),
    end: zoned(e.startMs + e.durationMs),
    type: e.recurrence ? 'seriesMaster' : 'singleInstance',
    seriesMasterId: null,
    recurrence: e.recurrence ? patternedRecurrence(e.recurrence, e.startMs) : null,
    lastModifiedDateTime: graphTimestamp(e.lastModifiedMs),
  };
}

/** An occurrence, or (with its override) an exception: the master's values unless the exception has its own. */
function occurrenceOf(master: StoredEvent, originalStartMs: number, override: OccurrenceOverride | undefined): SandboxEvent {
  return {
    id: occurrenceId(master.id, originalStartMs),
    changeKey: override?.changeKey ?? master.changeKey,
    iCalUId: instanceICalUId(master.iCalUId, originalStartMs),
    subject: override?.subject ?? master.subject,
    showAs: override?.showAs ?? master.showAs,
    isAllDay: master.isAllDay,
    isCancelled: false,
    start: zoned(override?.startMs ?? originalStartMs),
    end: zoned(override?.endMs ?? originalStartMs + master.durationMs),
    type: override ? 'exception' : 'occurrence',
    seriesMasterId: master.id,
    recurrence: null,
    lastModifiedDateTime: graphTimestamp(override?.lastModifiedMs ?? master.lastModifiedMs),
  };
}

/** Graph's patternedRecurrence: members the sandbox does not model carry the defaults Graph shows. */
function patternedRecurrence(r: SandboxRecurrence, startMs: number): SandboxPatternedRecurrence {
  return {
    pattern: {
      type: r.pattern.type,
      interval: r.pattern.interval,
      month: 0,
      dayOfMonth: 0,
      daysOfWeek: [...(r.pattern.daysOfWeek ?? [])],
      firstDayOfWeek: 'sunday',
      index: 'first',
    },
    range: {
      type: r.range.type,
      startDate: utcDate(startMs),
      endDate: r.range.endDate ?? '0001-01-01',
      recurrenceTimeZone: 'UTC',
      numberOfOccurrences: r.range.numberOfOccurrences ?? 0,
    },
  };
}

/** Random bytes for iCalUIds, taken from a pool: a bulk seed makes 100,000 of them, and a Buffer each costs. */
const RANDOM_POOL_SIZE = 16 * 4096;
let randomPool = randomBytes(RANDOM_POOL_SIZE);
let randomOffset = 0;
let createdAt: { ms: number; hex: string } = { ms: Number.NaN, hex: '' };

/**
 * An iCalUId shaped like Outlook's global object id (hex): the class id, a zero instance date, the creation
 * time (FILETIME, little endian), reserved zeros, the length 16 and 16 random bytes.
 */
function newICalUId(nowMs: number): string {
  if (createdAt.ms !== nowMs) {
    const created = Buffer.alloc(8);
    created.writeBigUInt64LE((BigInt(Math.floor(nowMs)) + FILETIME_EPOCH_OFFSET_MS) * 10_000n);
    createdAt = { ms: nowMs, hex: created.toString('hex').toUpperCase() };
  }
  if (randomOffset + 16 > RANDOM_POOL_SIZE) {
    randomPool = randomBytes(RANDOM_POOL_SIZE);
    randomOffset = 0;
  }
  const random = randomPool.toString('hex', randomOffset, (randomOffset += 16)).toUpperCase();
  return `${GLOBAL_OBJECT_CLASS}00000000${createdAt.hex}000000000000000010000000${random}`;
}

/** An occurrence's iCalUId: its series' with the instance date (year, month, day) filled in, as Outlook does. */
function instanceICalUId(seriesICalUId: string, originalStartMs: number): string {
  const d = new Date(originalStartMs);
  const date = [
    d.getUTCFullYear().toString(16).padStart(4, '0'),
    (d.getUTCMonth() + 1).toString(16).padStart(2, '0'),
    d.getUTCDate().toString(16).padStart(2, '0'),
  ]
    .join('')
    .toUpperCase();
  return `${seriesICalUId.slice(0, 32)}${date}${seriesICalUId.slice(40)}`;
}
