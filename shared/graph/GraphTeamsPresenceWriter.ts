import { AppError } from '../core/errors/AppError';
import { graphErrorFor } from './graphErrorFor';
import { type TeamsPresenceWriter } from './TeamsPresenceWriter';
import { CountedGraphPort } from './CountedGraphPort';

/** What a 403 on a presence write asks for. */
const PRESENCE_WRITE_PERMISSIONS = 'Presence.ReadWrite.All';

/** Graph's bounds on a session's `expirationDuration` (PT5M to PT4H). */
const MIN_MINUTES = 5;
const MAX_MINUTES = 240;

const userPath = (userId: string) => `/users/${encodeURIComponent(userId)}/presence`;

/**
 * The TeamsPresenceWriter adapter over Microsoft Graph for one tenant. Graph keys a session by the calling
 * app, so `sessionId` must be the app's client id (Graph answers 400 otherwise). Throttling is retried by the
 * connection's RetryHandler (createGraphClient) like every Graph call.
 */
export class GraphTeamsPresenceWriter extends CountedGraphPort implements TeamsPresenceWriter {
  async setInACall(userId: string, session: { sessionId: string; expiresInMinutes: number }): Promise<void> {
    const what = `setting the Teams presence of user ${userId} to Busy/InACall`;
    const minutes = session.expiresInMinutes;
    // Refused here rather than by Graph: a bad value is our bug, and sending it would only spend a request.
    if (!Number.isInteger(minutes) || minutes < MIN_MINUTES || minutes > MAX_MINUTES)
      throw new AppError(
        'INVALID',
        `${what}: expiresInMinutes must be a whole number from ${MIN_MINUTES} to ${MAX_MINUTES}, not ${minutes}`,
      );
    try {
      await this.client.api(`${userPath(userId)}/setPresence`).post({
        sessionId: session.sessionId,
        availability: 'Busy',
        activity: 'InACall',
        expirationDuration: `PT${minutes}M`,
      });
    } catch (err) {
      throw graphErrorFor(err, what, PRESENCE_WRITE_PERMISSIONS);
    }
  }

  async clear(userId: string, sessionId: string): Promise<boolean> {
    try {
      await this.client.api(`${userPath(userId)}/clearPresence`).post({ sessionId });
      return true;
    } catch (err) {
      const error = graphErrorFor(err, `clearing the app's Teams presence session of user ${userId}`, PRESENCE_WRITE_PERMISSIONS);
      // Graph answers 404 for a session that expired or was cleared already: the end we wanted.
      // ⚠ An unknown user is a 404 too, so it reads as "no session" here; setInACall is where that shows.
      if (error.code === 'NOT_FOUND') return false;
      throw error;
    }
  }
}
