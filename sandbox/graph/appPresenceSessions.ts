import { type TeamsActivity, type TeamsAvailability } from '../../shared/graph/TeamsPresence';

/** One user's presence as the sandbox holds it. */
export interface SandboxPresence {
  availability: TeamsAvailability;
  activity: TeamsActivity;
}

/** A presence session an application opened with setPresence; it ends at `expiresAt` (epoch ms) or at clearPresence. */
export interface AppPresenceSession extends SandboxPresence {
  /** The application's client id (Graph accepts no other). */
  sessionId: string;
  expiresAt: number;
  /** When setPresence opened or last replaced it (epoch ms); breaks ties between sessions of equal availability. */
  setAt: number;
}

/** The user's own Teams client state (what the control API sets), with when it was set. */
export interface ClientPresence extends SandboxPresence {
  setAt: number;
}

/**
 * The client id the sandbox's fixed token stands for: that token is one operator app, and setPresence needs a
 * client id to compare the sessionId with.
 */
export const SANDBOX_TOKEN_APP_ID = '00000000-0000-4000-8000-0000000000a1';

/** The (availability, activity) pairs Graph's setPresence accepts; every other pair is 400. */
export const SET_PRESENCE_PAIRS: readonly SandboxPresence[] = [
  { availability: 'Available', activity: 'Available' },
  { availability: 'Busy', activity: 'InACall' },
  { availability: 'Busy', activity: 'InAConferenceCall' },
  { availability: 'Away', activity: 'Away' },
  { availability: 'DoNotDisturb', activity: 'Presenting' },
];

export const MIN_SESSION_MS = 5 * 60_000;
export const MAX_SESSION_MS = 4 * 60 * 60_000;

export function isSetPresencePair(availability: string, activity: string): boolean {
  return SET_PRESENCE_PAIRS.some((p) => p.availability === availability && p.activity === activity);
}

const DURATION = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * An ISO-8601 duration of days, hours, minutes and seconds in ms; undefined when it is not one. Years, months and
 * weeks are refused: their length is calendar-dependent and Graph's 4-hour ceiling makes them useless anyway.
 */
export function durationMs(text: string): number | undefined {
  const match = DURATION.exec(text);
  // `P` and `PT` alone match the pattern but name no length.
  if (!match || text.endsWith('T') || match.slice(1).every((part) => part === undefined)) return undefined;
  const [days, hours, minutes, seconds] = match.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number];
  return Math.round((((days * 24 + hours) * 60 + minutes) * 60 + seconds) * 1000);
}

/**
 * Which availability wins when sessions disagree. Graph documents DoNotDisturb > Busy > Available > Away for app
 * sessions; the client's other states slot in next to their kin, and Offline / PresenceUnknown lose to any
 * session because they mean the client is not there.
 */
const RANK: Record<TeamsAvailability, number> = {
  DoNotDisturb: 8,
  Busy: 7,
  BusyIdle: 6,
  Available: 5,
  AvailableIdle: 4,
  Away: 3,
  BeRightBack: 2,
  Offline: 1,
  PresenceUnknown: 0,
};

/** A user nobody has set, or whose sessions all ended: what Teams shows for someone who is not signed in. */
export const OFFLINE: SandboxPresence = { availability: 'Offline', activity: 'Offline' };

/**
 * The presence Graph answers for a user: the highest-ranked of the live sessions (the Teams client counts as one),
 * the winner's activity with it; on equal availability the most recently set session wins. Offline/Offline when
 * no session is left. Sessions are expected to be live already (see AppPresenceSessions.liveOf).
 */
export function aggregatePresence(client: ClientPresence | undefined, sessions: readonly AppPresenceSession[]): SandboxPresence {
  let winner: ClientPresence | undefined = client;
  for (const session of sessions) {
    if (!winner) winner = session;
    else {
      const diff = RANK[session.availability] - RANK[winner.availability];
      if (diff > 0 || (diff === 0 && session.setAt > winner.setAt)) winner = session;
    }
  }
  return winner ? { availability: winner.availability, activity: winner.activity } : { ...OFFLINE };
}

/** The last setPresence or clearPresence answered 200 for a user, for benchmarks ("when did Graph take Busy?"). */
export type AppPresenceWrite =
  | { action: 'setPresence'; at: number; sessionId: string; availability: TeamsAvailability; activity: TeamsActivity; expiresAt: number }
  | { action: 'clearPresence'; at: number; sessionId: string };

/**
 * Every user's app presence sessions, keyed by user then session id. Expired sessions are dropped when read, so
 * a controlled clock ends them without a timer.
 */
export class AppPresenceSessions {
  private readonly byUser = new Map<string, Map<string, AppPresenceSession>>();
  private readonly lastWrites = new Map<string, AppPresenceWrite>();

  constructor(private readonly now: () => number) {}

  /** Opens the session or replaces it (new state, new expiry). */
  set(userId: string, sessionId: string, presence: SandboxPresence, lifetimeMs: number): AppPresenceSession {
    const at = this.now();
    const session: AppPresenceSession = {
      sessionId,
      availability: presence.availability,
      activity: presence.activity,
      expiresAt: at + lifetimeMs,
      setAt: at,
    };
    let sessions = this.byUser.get(userId);
    if (!sessions) this.byUser.set(userId, (sessions = new Map<string, AppPresenceSession>()));
    sessions.set(sessionId, session);
    this.lastWrites.set(userId, { action: 'setPresence', at, sessionId, ...presence, expiresAt: session.expiresAt });
    return { ...session };
  }

  /** Ends a live session; false when the user has none by that id (never opened, cleared or expired). */
  clear(userId: string, sessionId: string): boolean {
    const sessions = this.byUser.get(userId);
    const live = this.liveOf(userId).some((s) => s.sessionId === sessionId);
    if (!sessions || !live) return false;
    sessions.delete(sessionId);
    if (sessions.size === 0) this.byUser.delete(userId);
    this.lastWrites.set(userId, { action: 'clearPresence', at: this.now(), sessionId });
    return true;
  }

  /** The user's sessions that have not expired (copies), oldest first; expired ones are forgotten. */
  liveOf(userId: string): AppPresenceSession[] {
    const sessions = this.byUser.get(userId);
    if (!sessions) return [];
    const now = this.now();
    for (const [id, session] of sessions) if (session.expiresAt <= now) sessions.delete(id);
    if (sessions.size === 0) this.byUser.delete(userId);
    return [...sessions.values()].map((s) => ({ ...s }));
  }

  lastWriteOf(userId: string): AppPresenceWrite | undefined {
    const write = this.lastWrites.get(userId);
    return write && { ...write };
  }

  /** Forgets the benchmark's per-user write times; sessions stay. */
  forgetWrites(): void {
    this.lastWrites.clear();
  }

  /** No session anywhere (a reseeded directory). */
  clearAll(): void {
    this.byUser.clear();
    this.lastWrites.clear();
  }
}
