import { type ControlRoute } from './ControlRoute';
import { sendJson, sendMethodNotAllowed } from './graphErrors';
import { PresenceChangesSchema, SetPresenceSchema } from './presenceControlSchemas';
import { readJsonBody } from './readJsonBody';

/**
 * The control API's Teams presence routes (see handleControlRequest, which maps the sandbox's errors):
 * `GET /_sandbox/presence/stats` (the presence request counters: calls, throttled, idsRequested),
 * `GET /_sandbox/presence/stats/writes` (setPresence / clearPresence answered and refused),
 * `GET /_sandbox/presence/{userId}/sessions` (the aggregate with its parts: client, app sessions, last write),
 * `POST /_sandbox/presence` `{changes: [{userId, availability, activity}]}` (many users, all or none),
 * `GET|POST /_sandbox/presence/{userId}` (read one / set one: `{availability, activity}`). An unknown user is
 * 404, a value outside Graph's lists 400. Returns false when the path is not a presence route.
 */
export const handlePresenceControlRoute: ControlRoute = async (sandbox, req, res, url) => {
  const method = req.method ?? 'GET';
  const path = url.pathname;
  // Before the per-user route: `stats` is not a user id.
  if (path === '/_sandbox/presence/stats') {
    if (method !== 'GET') sendMethodNotAllowed(res, method, path);
    else sendJson(res, 200, sandbox.presenceStats());
    return true;
  }
  if (path === '/_sandbox/presence/stats/writes') {
    if (method !== 'GET') sendMethodNotAllowed(res, method, path);
    else sendJson(res, 200, sandbox.presenceWriteStats());
    return true;
  }
  // Its own path, so `GET /_sandbox/presence/{userId}` keeps its `{userId, availability, activity}` shape.
  const sessionsMatch = /^\/_sandbox\/presence\/([^/]+)\/sessions$/.exec(path);
  if (sessionsMatch) {
    const userId = decodeURIComponent(sessionsMatch[1]!);
    if (method !== 'GET') sendMethodNotAllowed(res, method, path);
    else sendJson(res, 200, { userId, ...sandbox.appPresenceSessions(userId) });
    return true;
  }
  if (path === '/_sandbox/presence') {
    if (method !== 'POST') return (sendMethodNotAllowed(res, method, path), true);
    const { changes } = await readJsonBody(req, PresenceChangesSchema);
    sandbox.setPresences(changes);
    sendJson(res, 200, { changed: changes.length });
    return true;
  }
  const match = /^\/_sandbox\/presence\/([^/]+)$/.exec(path);
  if (!match) return false;
  const userId = decodeURIComponent(match[1]!);
  if (method === 'GET') sendJson(res, 200, { userId, ...sandbox.getPresence(userId) });
  else if (method === 'POST') {
    const body = await readJsonBody(req, SetPresenceSchema);
    sandbox.setPresence(userId, body.availability, body.activity);
    sendJson(res, 200, { userId, ...sandbox.getPresence(userId) });
  } else sendMethodNotAllowed(res, method, path);
  return true;
};
