import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type CalendarStore } from './CalendarStore';
import { parseInstant } from './calendarTime';
import { sendGraphError, sendJson } from './graphErrors';
import { type MailboxAdmissionDeps, withMailboxAdmission } from './mailboxAdmission';
import { EVENT_PROPERTY_NAMES, projectEvent } from './SandboxEvent';

/** Calendar requests the sandbox answered, by route (GraphSandbox.calendarStats). */
export interface CalendarStats {
  calendarViewRequests: number;
  eventRequests: number;
}

export interface CalendarRouteDeps extends MailboxAdmissionDeps {
  baseUrl: string;
  store: CalendarStore;
  stats: CalendarStats;
}

const CALENDAR_PATH = /^\/users\/([^/]+)\/(calendarView|events\/([^/]+))$/;
/** Outlook's page size for calendarView without `Prefer: odata.maxpagesize` or `$top`. */
const DEFAULT_PAGE_SIZE = 10;
const MAX_PAGE_SIZE = 1000;

const notFound = (res: ServerResponse) => sendGraphError(res, 404, 'ErrorItemNotFound', 'The specified object was not found in the store.');

/**
 * Graph's calendar reads: `GET /users/{id}/calendarView?startDateTime=…&endDateTime=…` (series expanded, paged
 * with `$skip` in the nextLink) and `GET /users/{id}/events/{id}`. Every request counts against its mailbox's
 * Outlook limits first, as the contact routes do. Answers in UTC whatever `Prefer: outlook.timezone` asks.
 * Returns false when the path is not a calendar route.
 */
export async function handleCalendarRoute(
  deps: CalendarRouteDeps,
  req: IncomingMessage,
  url: URL,
  path: string,
  res: ServerResponse,
): Promise<boolean> {
  const match = CALENDAR_PATH.exec(path);
  if (!match) return false;
  if (match[3] === undefined) deps.stats.calendarViewRequests += 1;
  else deps.stats.eventRequests += 1;
  let eventId: string | undefined;
  try {
    eventId = match[3] === undefined ? undefined : decodeURIComponent(match[3]);
  } catch {
    sendGraphError(res, 400, 'BadRequest', 'A path segment is not valid percent-encoding.');
    return true;
  }
  await withMailboxAdmission(deps, req, res, match[1]!, (userId, prefer) => {
    if (eventId === undefined) calendarView(deps, userId, prefer, url, res);
    else eventById(deps, userId, eventId, url, res);
  });
  return true;
}

/** `$select` as properties (id always), or the refusal Graph gives for an unknown one (already sent). */
function selectionOf(url: URL, res: ServerResponse): string[] | undefined {
  const query = url.searchParams.get('$select');
  if (query === null) return [...EVENT_PROPERTY_NAMES];
  const properties = query
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const unknown = properties.find((p) => !(EVENT_PROPERTY_NAMES as readonly string[]).includes(p));
  if (unknown !== undefined) {
    sendGraphError(res, 400, 'RequestBroker--ParseUri', `Could not find a property named '${unknown}' on type 'microsoft.graph.event'.`);
    return undefined;
  }
  return properties.includes('id') ? properties : ['id', ...properties];
}

function eventById(deps: CalendarRouteDeps, userId: string, eventId: string, url: URL, res: ServerResponse): void {
  const properties = selectionOf(url, res);
  if (!properties) return;
  const event = deps.store.find(userId, eventId);
  if (!event) return notFound(res);
  sendJson(res, 200, {
    '@odata.context': `${deps.baseUrl}/v1.0/$metadata#users('${userId}')/events/$entity`,
    ...projectEvent(event, properties),
  });
}

/** A query parameter by name in any case: Graph reads `StartDateTime` and `startdatetime` alike. */
function parameter(url: URL, name: string): string | null {
  for (const [key, value] of url.searchParams) if (key.toLowerCase() === name.toLowerCase()) return value;
  return null;
}

function calendarView(deps: CalendarRouteDeps, userId: string, prefer: string, url: URL, res: ServerResponse): void {
  const rawStart = parameter(url, 'startDateTime');
  const rawEnd = parameter(url, 'endDateTime');
  if (rawStart === null || rawEnd === null)
    return sendGraphError(
      res,
      400,
      'ErrorInvalidParameter',
      'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.',
    );
  const fromMs = parseInstant(rawStart);
  const untilMs = parseInstant(rawEnd);
  if (fromMs === undefined)
    return sendGraphError(res, 400, 'ErrorInvalidParameter', `The value '${rawStart}' of parameter 'StartDateTime' is invalid.`);
  if (untilMs === undefined)
    return sendGraphError(res, 400, 'ErrorInvalidParameter', `The value '${rawEnd}' of parameter 'EndDateTime' is invalid.`);
  if (untilMs <= fromMs)
    return sendGraphError(res, 400, 'ErrorInvalidParameter', "The parameter 'EndDateTime' must be later than 'StartDateTime'.");
  const properties = selectionOf(url, res);
  if (!properties) return;
  const rawTop = url.searchParams.get('$top');
  const rawSkip = url.searchParams.get('$skip');
  const top = rawTop === null ? undefined : Number(rawTop);
  const skip = rawSkip === null ? 0 : Number(rawSkip);
  if ((top !== undefined && (!Number.isInteger(top) || top < 1 || top > MAX_PAGE_SIZE)) || !Number.isInteger(skip) || skip < 0)
    return sendGraphError(res, 400, 'ErrorInvalidUrlQuery', 'The value of $top or $skip is not valid.');
  const asked = /odata\.maxpagesize\s*=\s*(\d+)/i.exec(prefer);
  const pageSize = top ?? (asked ? Math.max(1, Math.min(MAX_PAGE_SIZE, Number(asked[1]))) : DEFAULT_PAGE_SIZE);
  const events = deps.store.view(userId, fromMs, untilMs);
  const select = url.searchParams.get('$select');
  const body: Record<string, unknown> = {
    '@odata.context': `${deps.baseUrl}/v1.0/$metadata#users('${userId}')/calendarView${select === null ? '' : `(${select})`}`,
    value: events.slice(skip, skip + pageSize).map((e) => projectEvent(e, properties)),
  };
  // Graph's calendarView pages by $skip, keeping the window and the other query options in the link.
  if (skip + pageSize < events.length) {
    const options = [`startDateTime=${encodeURIComponent(rawStart)}`, `endDateTime=${encodeURIComponent(rawEnd)}`];
    if (select !== null) options.push(`$select=${encodeURIComponent(select)}`);
    if (top !== undefined) options.push(`$top=${top}`);
    options.push(`$skip=${skip + pageSize}`);
    body['@odata.nextLink'] = `${deps.baseUrl}${url.pathname}?${options.join('&')}`;
  }
  sendJson(res, 200, body, asked ? { 'Preference-Applied': `odata.maxpagesize=${pageSize}` } : {});
}
