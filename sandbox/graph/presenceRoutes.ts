import { type IncomingMessage, type ServerResponse } from 'node:http';
import { z } from 'zod';
import { MAX_PRESENCE_IDS_PER_CALL } from '../../shared/graph/PresenceReader';
import { type TeamsActivity, type TeamsAvailability } from '../../shared/graph/TeamsPresence';
import {
  durationMs,
  isSetPresencePair,
  MAX_SESSION_MS,
  MIN_SESSION_MS,
  SANDBOX_TOKEN_APP_ID,
  SET_PRESENCE_PAIRS,
} from './appPresenceSessions';
import { type GraphCaller } from './graphCaller';
import { sendGraphError, sendJson } from './graphErrors';
import { type PresenceBoard, type SandboxPresence } from './PresenceBoard';
import { BadBodyError, readJsonBody } from './readJsonBody';

export interface PresenceRouteDeps {
  baseUrl: string;
  board: PresenceBoard;
  /** A live user's object id from an object id or userPrincipalName (what `/users/{id}` takes). */
  resolveUser(idOrUpn: string): string | undefined;
  /** True for a live user's object id (what getPresencesByUserId and `/communications/presences/{id}` take). */
  isLiveUser(id: string): boolean;
}

/** `POST /communications/getPresencesByUserId`: ids are object ids, at most 650 (Graph's limit). */
export const GetPresencesBodySchema = z
  .object({
    ids: z
      .array(z.string({ error: 'every id must be a string' }).min(1, 'an id must not be empty'), {
        error: 'ids must be an array of strings',
      })
      .max(MAX_PRESENCE_IDS_PER_CALL, `at most ${MAX_PRESENCE_IDS_PER_CALL} ids per request`),
  })
  .strict();

const PAIRS_TEXT = SET_PRESENCE_PAIRS.map((p) => `${p.availability}/${p.activity}`).join(', ');

/**
 * `POST /users/{id}/presence/setPresence`: Graph's pairs only, and an ISO-8601 expirationDuration from PT5M to
 * PT4H (PT5M when absent). Whether sessionId is the caller's client id is the route's check (it needs the caller).
 */
export const SetPresenceBodySchema = z
  .object({
    sessionId: z.string({ error: 'sessionId must be a string' }).min(1, 'sessionId must not be empty'),
    availability: z.string({ error: 'availability must be a string' }),
    activity: z.string({ error: 'activity must be a string' }),
    expirationDuration: z.string({ error: 'expirationDuration must be an ISO-8601 duration' }).optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (!isSetPresencePair(body.availability, body.activity))
      ctx.addIssue({
        code: 'custom',
        path: ['activity'],
        message: `'${body.availability}/${body.activity}' is not an availability/activity pair setPresence accepts (${PAIRS_TEXT})`,
      });
    if (body.expirationDuration === undefined) return;
    const ms = durationMs(body.expirationDuration);
    if (ms === undefined)
      ctx.addIssue({ code: 'custom', path: ['expirationDuration'], message: `'${body.expirationDuration}' is not an ISO-8601 duration` });
    else if (ms < MIN_SESSION_MS || ms > MAX_SESSION_MS)
      ctx.addIssue({ code: 'custom', path: ['expirationDuration'], message: 'must be between PT5M and PT4H' });
  });

/** `POST /users/{id}/presence/clearPresence`. */
export const ClearPresenceBodySchema = z
  .object({ sessionId: z.string({ error: 'sessionId must be a string' }).min(1, 'sessionId must not be empty') })
  .strict();

const BULK_PATH = '/communications/getPresencesByUserId';
const WRITE_PATH = /^\/users\/([^/]+)\/presence\/(?:microsoft\.graph\.)?(setPresence|clearPresence)$/;
const SINGLE_PATH = /^\/(?:users\/([^/]+)\/presence|communications\/presences\/([^/]+))$/;

const notFound = (id: string) => `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`;

/**
 * Graph's Teams presence routes: `POST /communications/getPresencesByUserId` (unknown ids are left out of
 * the answer), `GET /users/{id}/presence` and `GET /communications/presences/{id}` (404 for an unknown user),
 * each read counting against the app's presence limit first (PresenceBoard); and
 * `POST /users/{id}/presence/setPresence|clearPresence` (app sessions, see writePresence). Returns false when the
 * path is not a presence route.
 */
export async function handlePresenceRoute(
  deps: PresenceRouteDeps,
  caller: GraphCaller,
  method: string,
  path: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  const write = WRITE_PATH.exec(path);
  if (write) {
    await writePresence(deps, caller, write[2] as 'setPresence' | 'clearPresence', write[1]!, method, req, res);
    return true;
  }
  const single = SINGLE_PATH.exec(path);
  if (path !== BULK_PATH && !single) return false;
  const expected = single ? 'GET' : 'POST';
  if (method !== expected) {
    sendGraphError(res, 405, 'BadRequest', `The HTTP method '${method}' is not allowed on ${path}; use ${expected}.`);
    return true;
  }
  // Limits are per app and tenant; the sandbox's fixed token stands for one operator app.
  const admission = deps.board.admit(caller.kind === 'application' ? caller.appId : 'sandboxToken');
  if (admission.kind === 'throttled') {
    sendGraphError(res, 429, 'TooManyRequests', 'Too many requests; the application is over its presence request limit.', {
      'Retry-After': String(admission.retryAfterSeconds),
    });
    return true;
  }
  if (single) singlePresence(deps, single[1], single[2], res);
  else await manyPresences(deps, req, res);
  return true;
}

function singlePresence(
  deps: PresenceRouteDeps,
  userSegment: string | undefined,
  communicationsSegment: string | undefined,
  res: ServerResponse,
): void {
  let asked: string;
  try {
    asked = decodeURIComponent(userSegment ?? communicationsSegment!);
  } catch {
    return sendGraphError(res, 400, 'BadRequest', 'The user segment is not valid percent-encoding.');
  }
  // `/users/{id}` also takes a userPrincipalName; `/communications/presences/{id}` only an object id.
  const userId = userSegment !== undefined ? deps.resolveUser(asked) : deps.isLiveUser(asked) ? asked : undefined;
  if (!userId) return sendGraphError(res, 404, 'Request_ResourceNotFound', notFound(asked));
  deps.board.countIds(1);
  const context = userSegment !== undefined ? `users('${userId}')/presence/$entity` : `communications/presences/$entity`;
  sendJson(res, 200, {
    '@odata.context': `${deps.baseUrl}/v1.0/$metadata#${context}`,
    ...presenceBody(userId, deps.board.presenceOf(userId)),
  });
}

async function manyPresences(deps: PresenceRouteDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let ids: string[];
  try {
    ids = (await readJsonBody(req, GetPresencesBodySchema)).ids;
  } catch (err) {
    if (!(err instanceof BadBodyError)) throw err;
    return sendGraphError(res, err.status, err.status === 413 ? 'RequestEntityTooLarge' : 'BadRequest', err.message);
  }
  const distinct = [...new Set(ids)];
  deps.board.countIds(distinct.length);
  sendJson(res, 200, {
    '@odata.context': `${deps.baseUrl}/v1.0/$metadata#Collection(microsoft.graph.presence)`,
    value: distinct.filter((id) => deps.isLiveUser(id)).map((id) => presenceBody(id, deps.board.presenceOf(id))),
  });
}

/**
 * setPresence / clearPresence for one user, as an app with Presence.ReadWrite.All (the sandbox has no permission
 * model: any accepted token may write). Both are kept out of the read limit (PresenceBoard.admit) so that a
 * benchmark driving presence changes does not spend the budget of the connector it measures.
 */
async function writePresence(
  deps: PresenceRouteDeps,
  caller: GraphCaller,
  action: 'setPresence' | 'clearPresence',
  userSegment: string,
  method: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const refuse = (status: number, code: string, message: string) => {
    deps.board.countWrite(action, false);
    sendGraphError(res, status, code, message);
  };
  if (method !== 'POST') return refuse(405, 'BadRequest', `The HTTP method '${method}' is not allowed on ${action}; use POST.`);
  let asked: string;
  try {
    asked = decodeURIComponent(userSegment);
  } catch {
    return refuse(400, 'BadRequest', 'The user segment is not valid percent-encoding.');
  }
  const userId = deps.resolveUser(asked);
  if (!userId) return refuse(404, 'Request_ResourceNotFound', notFound(asked));
  let body: z.infer<typeof SetPresenceBodySchema> | z.infer<typeof ClearPresenceBodySchema>;
  try {
    body = await readJsonBody<typeof body>(req, action === 'setPresence' ? SetPresenceBodySchema : ClearPresenceBodySchema);
  } catch (err) {
    if (!(err instanceof BadBodyError)) throw err;
    return refuse(err.status, err.status === 413 ? 'RequestEntityTooLarge' : 'BadRequest', err.message);
  }
  // Graph keys a session by the calling application: an app can neither open nor end a session under another id.
  const appId = caller.kind === 'application' ? caller.appId : SANDBOX_TOKEN_APP_ID;
  if (body.sessionId !== appId)
    return refuse(400, 'BadRequest', `sessionId '${body.sessionId}' is not the calling application's client id.`);
  if ('availability' in body) {
    const lifetimeMs = body.expirationDuration === undefined ? MIN_SESSION_MS : durationMs(body.expirationDuration)!;
    const presence = { availability: body.availability as TeamsAvailability, activity: body.activity as TeamsActivity };
    deps.board.setAppSession(userId, body.sessionId, presence, lifetimeMs);
  } else if (!deps.board.clearAppSession(userId, body.sessionId))
    return refuse(404, 'NotFound', `No presence session '${body.sessionId}' for user '${userId}'.`);
  deps.board.countWrite(action, true);
  res.writeHead(200, { 'content-length': '0' }).end();
}

/** A presence as Graph shows it; the status message and out-of-office settings are not modelled beyond this. */
function presenceBody(id: string, presence: SandboxPresence): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.presence',
    id,
    availability: presence.availability,
    activity: presence.activity,
    statusMessage: null,
    outOfOfficeSettings: { message: null, isOutOfOffice: presence.activity === 'OutOfOffice' },
  };
}
