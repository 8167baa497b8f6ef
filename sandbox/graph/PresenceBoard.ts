import { type TeamsActivity, type TeamsAvailability } from '../../shared/graph/TeamsPresence';

/** One user's presence as the sandbox holds it. */
export interface SandboxPresence {
  availability: TeamsAvailability;
  activity: TeamsActivity;
}

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

export type PresenceAdmission = { kind: 'admitted' } | { kind: 'throttled'; retryAfterSeconds: number };

/** A user nobody has set: what Teams shows for someone who never signed in. */
const OFFLINE: SandboxPresence = { availability: 'Offline', activity: 'Offline' };

interface AppWindow {
  start: number;
  count: number;
}

/**
 * Teams presence per user and Graph's presence throttling. Only users whose presence was set are stored, so a
 * 10,000-user directory costs nothing until a test changes someone; everyone else reads Offline/Offline.
 * Whether a user exists is the directory's business (the routes ask it), not the board's.
 *
 * Throttling is a fixed window per app (the sandbox serves one tenant): Graph documents 1,500 requests per
 * 30 s, and a fixed window is enough to make a client wait for Retry-After. Refused requests do not spend
 * the budget, so a client that honours Retry-After gets through when the window turns.
 */
export class PresenceBoard {
  private readonly presences = new Map<string, SandboxPresence>();
  private readonly windows = new Map<string, AppWindow>();
  private counters: PresenceStats = { calls: 0, throttled: 0, idsRequested: 0 };

  constructor(
    private readonly limits: PresenceLimits,
    private readonly now: () => number = Date.now,
  ) {}

  presenceOf(userId: string): SandboxPresence {
    return this.presences.get(userId) ?? OFFLINE;
  }

  set(userId: string, presence: SandboxPresence): void {
    this.presences.set(userId, { availability: presence.availability, activity: presence.activity });
  }

  /** Everyone is Offline again (a reseeded directory). */
  clear(): void {
    this.presences.clear();
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

  /** Zeroes the counters and the windows' budgets; presences stay. */
  reset(): void {
    this.counters = { calls: 0, throttled: 0, idsRequested: 0 };
    this.windows.clear();
  }
}
