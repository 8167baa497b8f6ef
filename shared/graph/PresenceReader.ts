import { type TeamsPresence } from './TeamsPresence';

/** Most ids one `getPresencesByUserId` call takes (Graph's limit). */
export const MAX_PRESENCE_IDS_PER_CALL = 650;

/**
 * Port: Teams presence, read app-only (Graph `Presence.Read.All`). Graph has no app-only presence change
 * notifications, so the presence feature polls through this.
 */
export interface PresenceReader {
  /**
   * One `POST /communications/getPresencesByUserId` for at most MAX_PRESENCE_IDS_PER_CALL ids (more is an
   * INVALID AppError, never split silently: the caller plans its calls). An id Graph does not answer for is
   * absent from the result. Throttling (429) is retried after Retry-After like every Graph call, and ends as
   * a THROTTLED AppError when retries run out.
   */
  getPresences(userIds: readonly string[]): Promise<TeamsPresence[]>;
  /** Graph requests this reader's connection has sent so far (a run reports its share). */
  requestCount(): number;
}
