import { type TeamsActivity, type TeamsAvailability } from '../graph/TeamsPresence';
import { type NoUserAccessReason } from '../pbx/ports/PortalPasswords';
import { type PbxPresenceReading, type PbxPresenceState } from '../pbx/ports/PbxPresenceState';

/**
 * Where a wish for a PBX status comes from, highest precedence first. A state set by hand on the PBX that
 * means "away for long" (business trip, lunch) outranks them all; the arbiter checks it on the PBX itself.
 */
export const PRESENCE_SOURCES = ['calendar', 'teams'] as const;
export type PresenceSource = (typeof PRESENCE_SOURCES)[number];

/** The statuses the connector sets; lunch and business trip are left to people. */
export type AppliedTarget = 'doNotDisturb' | 'away' | 'available';

/** One source's wish: a status, or `leave` (no opinion), with its words for the record. */
export interface PresenceWish {
  source: PresenceSource;
  target: AppliedTarget | 'leave';
  /** e.g. "Teams Busy / InACall". */
  detail: string;
}

/** How the connector writes a user's status: as the user (the full status) or with the admin DND switch only. */
export type PresenceWriteMode = 'status' | 'dndOnly';

/** The last status the connector set for a user, while it stands. */
export interface AppliedPresence {
  source: PresenceSource;
  target: AppliedTarget;
  mode: PresenceWriteMode;
  /** The fields the connector holds the PBX to (what re-assertion writes again, what "unchanged" compares). */
  asserted: Partial<PbxPresenceState>;
  /** What the PBX showed before the connector's first write of this episode: what a restore puts back. */
  before: PbxPresenceReading;
  at: string;
}

/** One user's presence record (table `presencestates`): what the sources said, what the connector set and can set. */
export interface PresenceRecord {
  userId: string;
  /** What Teams said last, and the status the presence feature's rules made of it (other sources read it). */
  teams?: { availability: TeamsAvailability; activity: TeamsActivity; target?: AppliedTarget | 'leave' | undefined } | undefined;
  /** The calendar feature's plan for the user (absent while the calendar feature is off for them). */
  calendar?: CalendarPlan | undefined;
  applied?: AppliedPresence | undefined;
  /**
   * Set while the connector can only use the admin DND switch for this user, and why (no kept portal
   * password, two-factor sign-in, an adopted extension…); retried on every re-assertion.
   */
  limitedBy?: NoUserAccessReason | undefined;
  /** The call-state feature's view of the user's PBX phone, and the Teams session it holds while a call lasts. */
  call?: CallPresence | undefined;
  /** Set while the PBX shows a status set by hand that wins over every source (`businessTrip`, `lunch`). */
  heldBy?: 'businessTrip' | 'lunch' | undefined;
  updatedAt: string;
  /** The stored version (absent before the first write). */
  etag?: string | undefined;
}

/** Why the arbiter wrote (or chose not to write); each lands in the user's presence history. */
export type PresenceChangeReason =
  /** A source asked for a status the PBX did not show. */
  | 'set'
  /** The PBX no longer showed what the connector set while the same source still asks for it (a lost write). */
  | 'reasserted'
  /** The source that set the status ended and nobody had changed it since: the status from before is back. */
  | 'restored'
  /** The source that set the status ended, but the PBX had been changed since: left as it is. */
  | 'changedByHand'
  /** The PBX shows a long-away status set by hand (business trip, lunch), which wins over every source. */
  | 'heldByPbx';

/**
 * One stretch of time the calendar asks for one status: back-to-back and overlapping events merged, the
 * strongest status where they overlap (DND over away).
 */
export interface CalendarSegment {
  start: string;
  end: string;
  target: AppliedTarget;
  /** The events behind it, by id (no subjects: the record holds no meeting content). */
  eventIds: string[];
}

/**
 * What the calendar feature last read of a user's calendar: its segments over the window read, and a key over
 * them and their events' change keys — a scheduled transition carries the key it was planned with and is
 * dropped when it fires under another (the event moved, changed or was cancelled since).
 */
export interface CalendarPlan {
  segments: CalendarSegment[];
  key: string;
  readAt: string;
  /** The end of the window read: beyond it the plan knows nothing. */
  until: string;
}

/**
 * What the call-state feature last applied from the PBX's call events: whether the connector holds a Teams
 * "in a call" session for the user, since when (the PBX's time of the event), and until when Graph keeps it
 * without a re-assertion. `eventAt` orders events that arrive out of order: an older one changes nothing.
 */
export interface CallPresence {
  active: boolean;
  eventAt: string;
  /** While active: when Graph ends the session unless it is set again. */
  sessionUntil?: string | undefined;
}
