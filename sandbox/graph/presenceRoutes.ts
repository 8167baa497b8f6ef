import { type IncomingMessage, type ServerResponse } from 'node:http';
import { z } from 'zod';
import { MAX_PRESENCE_IDS_PER_CALL } from '../../shared/graph/PresenceReader';
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

const BULK_PATH = '/communications/getPresencesByUserId';
const SINGLE_PATH = /^\/(?:users\/([^/]+)\/presence|communications\/presences\/([^/]+))$/;

const notFound = (id: string) => `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`;

/**
 * Graph's Teams presence routes: `POST /communications/getPresencesByUserId` (unknown ids are left out of
 * the answer), `GET /users/{id}/presence` and `GET /communications/presences/{id}` (404 for an unknown user).
 * Every request counts against the app's presence limit first (PresenceBoard). Returns false when the path is
 * not a presence route.
 */
export async function handlePresenceRoute(
  deps: PresenceRouteDeps,
  caller: GraphCaller,
  method: string,
  path: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
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
