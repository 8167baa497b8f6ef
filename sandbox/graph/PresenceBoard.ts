import {
  aggregatePresence,
  type AppPresenceSession,
  AppPresenceSessions,
  type AppPresenceWrite,
  type ClientPresence,
  type SandboxPresence,
} from './appPresenceSessions';

export type { AppPresenceSession, AppPresenceWrite, ClientPresence, SandboxPresence } from './appPresenceSessions';

/** Graph's presence limit per app and tenant, as the sandbox enforces it. */
export interface PresenceLimits {
  /** Presence requests (getPresencesByUserId and single-user GETs together) per window; default 1,500. */
  requestsPerWindow: number;
  /** Default 30,000 ms (Graph's 30 s). */
  windowMs: number;
}

/** What the presence routes saw since the start or the last reset, for tests and benchmarks. */
export interface PresenceStats {
  /** Presence requests that reached the routes, throttled and refused ones included. */
  calls: number;
  /** Answered 429 because the window's budget was spent. */
  throttled: number;
  /**
   * Ids asked for in requests answered 200: a getPresencesByUserId call's distinct ids (unknown ones
   * included), 1 per single-user GET that found its user.
   */
  idsRequested: number;
}

/** setPresence / clearPresence answers since the start or the last reset, for tests and benchmarks. */
export interface PresenceWriteStats {
  /** setPresence answered 200. */
  setPresence: number;
  /** setPresence refused (400 / 404; 401 never reaches the route). */
  setPresenceRefused: number;
  /** clearPresence answered 200. */
  clearPresence: number;
  /** clearPresence refused (400 / 404). */
  clearPresenceRefused: number;
}

/** One user's presence with what it is made of: the Teams client's state and the apps' live sessions. */
export interface PresenceBreakdown extends SandboxPresence {
  /** What the control API set (the user's Teams client); null when never set. */
  client: ClientPresence | null;
  sessions: AppPresenceSession[];
  /** The last setPresence / clearPresence answered 200 for the user since the last reset; null when none. */
  lastWrite: AppPresenceWrite | null;
}

export type PresenceAdmission = { kind: 'admitted' } | { kind: 'throttled'; retryAfterSeconds: number };

interface AppWindow {
  start: number;
  count: number;
}

/**
 * Teams presence per user and Graph's presence throttling. Only users whose presence was set are stored, so a
 * 10,000-user directory costs nothing until a test changes someone; everyone else reads Offline/Offline. A user's
 * presence is Graph's aggregate of their Teams client state and the apps' setPresence sessions.
 * Whether a user exists is the directory's business (the routes ask it), not the board's.
 *
 * Throttling is a fixed window per app (the sandbox serves one tenant): Graph documents 1,500 requests per
 * 30 s, and a fixed window is enough to make a client wait for Retry-After. Refused requests do not spend
 * the budget, so a client that honours Retry-After gets through when the window turns.
 */
export class PresenceBoard {
  /** The users' Teams client states; app sessions are aggregated over them when read. */
  private readonly presences = new Map<string, ClientPresence>();
  private readonly sessions: AppPresenceSessions;
  private readonly windows = new Map<string, AppWindow>();
  private counters: PresenceStats = { calls: 0, throttled: 0, idsRequested: 0 };
  private writeCounters: PresenceWriteStats = { setPresence: 0, setPresenceRefused: 0, clearPresence: 0, clearPresenceRefused: 0 };

  constructor(
    private readonly limits: PresenceLimits,
    private readonly now: () => number = Date.now,
  ) {
    this.sessions = new AppPresenceSessions(now);
  }

  /** What Graph answers: the client's state and the live app sessions aggregated (Offline when neither). */
  presenceOf(userId: string): SandboxPresence {
    return aggregatePresence(this.presences.get(userId), this.sessions.liveOf(userId));
  }

  /** Sets the user's Teams client state (the control API's presence); app sessions stay. */
  set(userId: string, presence: SandboxPresence): void {
    this.presences.set(userId, { availability: presence.availability, activity: presence.activity, setAt: this.now() });
  }

  /** setPresence: opens or replaces the app's session for the user (values already checked by the route). */
  setAppSession(userId: string, sessionId: string, presence: SandboxPresence, lifetimeMs: number): void {
    this.sessions.set(userId, sessionId, presence, lifetimeMs);
  }

  /** clearPresence: false when the user has no live session by that id. */
  clearAppSession(userId: string, sessionId: string): boolean {
    return this.sessions.clear(userId, sessionId);
  }

  breakdownOf(userId: string): PresenceBreakdown {
    const client = this.presences.get(userId);
    const sessions = this.sessions.liveOf(userId);
    return {
      ...aggregatePresence(client, sessions),
      client: client ? { ...client } : null,
      sessions,
      lastWrite: this.sessions.lastWriteOf(userId) ?? null,
    };
  }

  /** Counts one setPresence / clearPresence answer. */
  countWrite(action: 'setPresence' | 'clearPresence', answered: boolean): void {
    this.writeCounters[answered ? action : (`${action}Refused` as const)] += 1;
  }

  writeStats(): PresenceWriteStats {
    return { ...this.writeCounters };
  }

  /** Everyone is Offline again (a reseeded directory): client states and app sessions are gone. */
  clear(): void {
    this.presences.clear();
    this.sessions.clearAll();
  }

  /**
   * Counts one presence request of `appKey` against its window, before its body is read: a request Graph
   * refuses as malformed has still spent its share.
   */
  admit(appKey: string): PresenceAdmission {
    const now = this.now();
    this.counters.calls += 1;
    let window = this.windows.get(appKey);
    if (!window || now - window.start >= this.limits.windowMs) {
      window = { start: now, count: 0 };
      this.windows.set(appKey, window);
    }
    if (window.count >= this.limits.requestsPerWindow) {
      this.counters.throttled += 1;
      return { kind: 'throttled', retryAfterSeconds: Math.max(1, Math.ceil((window.start + this.limits.windowMs - now) / 1000)) };
    }
    window.count += 1;
    return { kind: 'admitted' };
  }

  /** An admitted, valid request asked for `ids` users. */
  countIds(ids: number): void {
    this.counters.idsRequested += ids;
  }

  stats(): PresenceStats {
    return { ...this.counters };
  }

  /** Zeroes the counters (writes included, with the users' last writes) and the windows' budgets; presences and sessions stay. */
  reset(): void {
    this.counters = { calls: 0, throttled: 0, idsRequested: 0 };
    this.writeCounters = { setPresence: 0, setPresenceRefused: 0, clearPresence: 0, clearPresenceRefused: 0 };
    this.sessions.forgetWrites();
    this.windows.clear();
  }
}
