import { EventPatchSchema, NewEventSchema, SeedEventsSchema } from './calendarControlSchemas';
import { type ControlRoute } from './ControlRoute';
import { sendGraphError, sendJson, sendMethodNotAllowed } from './graphErrors';
import { readJsonBody } from './readJsonBody';

/**
 * The control API's calendar routes (see handleControlRequest, which maps the sandbox's errors):
 * `GET /_sandbox/calendars/stats` ({calendarViewRequests, eventRequests}),
 * `POST /_sandbox/calendars/seed` (many single events per user, no notifications),
 * `POST /_sandbox/mailboxes/{mailbox}/events` (an event or series; 201 with it),
 * `GET|PATCH|DELETE /_sandbox/mailboxes/{mailbox}/events/{id}` (PATCH on an occurrence makes an exception) and
 * `POST /_sandbox/mailboxes/{mailbox}/events/{id}/cancel`. A body Outlook would refuse is 400, an unknown
 * mailbox or event 404. Returns false when the path is not a calendar route.
 */
export const handleCalendarControlRoute: ControlRoute = async (sandbox, req, res, url) => {
  const method = req.method ?? 'GET';
  const path = url.pathname;
  if (path === '/_sandbox/calendars/stats') {
    if (method !== 'GET') sendMethodNotAllowed(res, method, path);
    else sendJson(res, 200, sandbox.calendarStats());
    return true;
  }
  if (path === '/_sandbox/calendars/seed') {
    if (method !== 'POST') sendMethodNotAllowed(res, method, path);
    else sendJson(res, 200, { created: sandbox.seedEvents(await readJsonBody(req, SeedEventsSchema)) });
    return true;
  }
  const match = /^\/_sandbox\/mailboxes\/([^/]+)\/events(?:\/([^/]+)(\/cancel)?)?$/.exec(path);
  if (!match) return false;
  const mailbox = decodeURIComponent(match[1]!);
  const eventId = match[2] === undefined ? undefined : decodeURIComponent(match[2]);
  if (eventId === undefined) {
    if (method !== 'POST') sendMethodNotAllowed(res, method, path);
    else sendJson(res, 201, sandbox.addEvent(mailbox, await readJsonBody(req, NewEventSchema)));
    return true;
  }
  if (match[3] !== undefined) {
    if (method !== 'POST') return (sendMethodNotAllowed(res, method, path), true);
    sandbox.cancelEvent(mailbox, eventId);
    res.writeHead(204).end();
    return true;
  }
  if (method === 'GET') {
    const event = sandbox.getEvent(mailbox, eventId);
    if (event) sendJson(res, 200, event);
    else sendGraphError(res, 404, 'ErrorItemNotFound', `no event ${eventId}`);
  } else if (method === 'PATCH') sendJson(res, 200, sandbox.updateEvent(mailbox, eventId, await readJsonBody(req, EventPatchSchema)));
  else if (method === 'DELETE') {
    sandbox.deleteEvent(mailbox, eventId);
    res.writeHead(204).end();
  } else sendMethodNotAllowed(res, method, path);
  return true;
};
