import { type IncomingMessage, type ServerResponse } from 'node:http';
import { sendGraphError } from './graphErrors';
import { type MailboxThrottle } from './MailboxThrottle';

/** What every Outlook route (contacts, photos, calendars) needs to admit a request to a mailbox. */
export interface MailboxAdmissionDeps {
  throttle: MailboxThrottle;
  /** A live user's object id from an object id, userPrincipalName or mail (any case). */
  resolveMailbox(idOrAddress: string): string | undefined;
  /** Added to every Outlook request while it holds its mailbox's concurrency slot (tests of the limit). */
  latencyMs(): number;
}

/**
 * Outlook's gate in front of a mailbox request, as every Outlook route applies it: the mailbox by id or address
 * (404 `ErrorInvalidUser`), the per-mailbox concurrency and rate limits (429 with Retry-After), the configured
 * latency while the slot is held, then `work` with the mailbox's user id and the request's Prefer header.
 */
export async function withMailboxAdmission(
  deps: MailboxAdmissionDeps,
  req: IncomingMessage,
  res: ServerResponse,
  encodedAddress: string,
  work: (userId: string, prefer: string) => void,
): Promise<void> {
  let address: string;
  try {
    address = decodeURIComponent(encodedAddress);
  } catch {
    return sendGraphError(res, 400, 'BadRequest', 'A path segment is not valid percent-encoding.');
  }
  const userId = deps.resolveMailbox(address);
  if (!userId) return sendGraphError(res, 404, 'ErrorInvalidUser', `The requested user '${address}' is invalid.`);
  const prefer = String(req.headers.prefer ?? '');
  const admission = deps.throttle.admit(userId, /idtype\s*=\s*"?immutableid"?/i.test(prefer));
  if (admission.kind === 'throttled') {
    return sendGraphError(res, 429, admission.code, admission.message, { 'Retry-After': String(admission.retryAfterSeconds) });
  }
  try {
    const latency = deps.latencyMs();
    if (latency > 0) await new Promise((r) => setTimeout(r, latency));
    work(userId, prefer);
  } catch (err) {
    if (!(err instanceof URIError)) throw err;
    sendGraphError(res, 400, 'BadRequest', 'A path segment is not valid percent-encoding.');
  } finally {
    admission.release();
  }
}
