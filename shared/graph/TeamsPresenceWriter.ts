/**
 * Port: the app's own Teams presence session for a user (Graph `setPresence` / `clearPresence`, app-only with
 * `Presence.ReadWrite.All`). Teams shows the highest of the user's sessions, so the app's Busy/InACall shows
 * while the user sits on a PBX call, and ending the session hands the user's own state back.
 */
export interface TeamsPresenceWriter {
  /** Sets the app's presence session for the user (Busy/InACall), expiring after `expiresInMinutes` (5–240) unless set again. */
  setInACall(userId: string, session: { sessionId: string; expiresInMinutes: number }): Promise<void>;
  /** Ends the app's session; false when Graph had none (404: already cleared or expired). */
  clear(userId: string, sessionId: string): Promise<boolean>;
  /** Graph requests this writer's connection has sent so far (a run reports its share). */
  requestCount(): number;
}
