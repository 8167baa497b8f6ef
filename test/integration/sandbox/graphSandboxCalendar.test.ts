import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GraphSandbox, type SandboxEvent, type SandboxUser, generateUsers } from '../../../sandbox/graph';
import { graphControlCall } from '../../support/graphControlCall';

type Json = Record<string, unknown>;
interface Page {
  value: Json[];
  '@odata.nextLink'?: string;
}
type GraphErrorBody = { error: { code: string; message: string } };

let graph: GraphSandbox;
let users: SandboxUser[];
/** The sandbox's clock (GraphSandboxOptions.now): tests move it to see lastModifiedDateTime follow. */
let clock = Date.parse('2026-01-01T08:00:00Z');

beforeAll(async () => {
  graph = await GraphSandbox.start({ now: () => clock });
});
afterAll(() => graph.stop());
beforeEach(() => {
  clock = Date.parse('2026-01-01T08:00:00Z');
  users = generateUsers(4, { seed: 21 });
  graph.seed(users);
  graph.stats.reset();
});

const get = (url: string, prefer?: string) =>
  fetch(url.startsWith('http') ? url : `${graph.baseUrl}/v1.0${url}`, {
    headers: { authorization: `Bearer ${graph.token}`, ...(prefer ? { prefer } : {}) },
  });

async function getJson<T = Page>(url: string, prefer?: string): Promise<T> {
  const res = await get(url, prefer);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as T;
}

async function errorOf(url: string): Promise<{ status: number; code: string; message: string }> {
  const res = await get(url);
  const body = (await res.json()) as GraphErrorBody;
  return { status: res.status, code: body.error.code, message: body.error.message };
}

const viewUrl = (user: string, start: string, end: string, extra = '') =>
  `/users/${encodeURIComponent(user)}/calendarView?startDateTime=${encodeURIComponent(start)}&endDateTime=${encodeURIComponent(end)}${extra}`;

/** Every page of a calendarView, following nextLinks. */
async function view(user: string, start: string, end: string, options: { extra?: string; prefer?: string } = {}) {
  const pages: Page[] = [];
  let next: string | undefined = viewUrl(user, start, end, options.extra);
  while (next) {
    const page: Page = await getJson(next, options.prefer);
    pages.push(page);
    next = page['@odata.nextLink'];
  }
  return { pages, items: pages.flatMap((p) => p.value) };
}

const startOf = (e: Json) => (e.start as { dateTime: string }).dateTime;
const summary = (items: Json[]) => items.map((e) => `${e.subject as string} ${startOf(e)} ${e.type as string}`);

describe('sandbox Graph: calendarView of single events', () => {
  it('returns the overlapping events sorted by start, in Graph’s shape; touching the window’s edges is out', async () => {
    const id = users[0]!.id;
    const a = graph.addEvent(id, { subject: 'A', start: '2026-01-05T09:00:00Z', end: '2026-01-05T10:00:00Z', showAs: 'busy' });
    graph.addEvent(id, { subject: 'D', start: '2026-01-05T11:00:00Z', end: '2026-01-05T12:00:00Z', showAs: 'oof' });
    graph.addEvent(id, { subject: 'B', start: '2026-01-05T10:00:00Z', end: '2026-01-05T11:00:00Z', showAs: 'tentative' });
    graph.addEvent(id, { subject: 'C', start: '2026-01-05T08:00:00Z', end: '2026-01-05T09:00:00Z', showAs: 'free' });
    graph.addEvent(users[1]!.id, { subject: 'Other mailbox', start: '2026-01-05T10:00:00Z', end: '2026-01-05T11:00:00Z' });

    const day = await view(id, '2026-01-05T00:00:00Z', '2026-01-06T00:00:00Z');
    expect(day.items.map((e) => e.subject)).toEqual(['C', 'A', 'B', 'D']);
    expect(day.items[1]).toEqual({
      '@odata.etag': `W/"${a.changeKey}"`,
      id: a.id,
      changeKey: a.changeKey,
      iCalUId: a.iCalUId,
      subject: 'A',
      showAs: 'busy',
      isAllDay: false,
      isCancelled: false,
      start: { dateTime: '2026-01-05T09:00:00.0000000', timeZone: 'UTC' },
      end: { dateTime: '2026-01-05T10:00:00.0000000', timeZone: 'UTC' },
      type: 'singleInstance',
      seriesMasterId: null,
      recurrence: null,
      lastModifiedDateTime: '2026-01-01T08:00:00.0000000Z',
    });
    expect(a.iCalUId).toMatch(/^040000008200E00074C5B7101A82E00800000000[0-9A-F]{16}0{16}10000000[0-9A-F]{32}$/);
    expect(a.id).toMatch(/=$/);

    // A ends exactly at 10:00 and D starts exactly at 11:00: neither overlaps [10:00, 11:00).
    expect((await view(id, '2026-01-05T10:00:00Z', '2026-01-05T11:00:00Z')).items.map((e) => e.subject)).toEqual(['B']);
    expect((await view(id, '2026-01-05T09:59:59Z', '2026-01-05T11:00:01Z')).items.map((e) => e.subject)).toEqual(['A', 'B', 'D']);
    // An offset is honoured (11:30+01:00 is 10:30Z); no offset means UTC.
    expect((await view(id, '2026-01-05T11:30:00+01:00', '2026-01-05T11:00:00')).items.map((e) => e.subject)).toEqual(['B']);
    expect((await view(id, '2026-01-06T00:00:00Z', '2026-01-07T00:00:00Z')).items).toEqual([]);
  });

  it('all-day events cover whole UTC days; one ending at the window start is out; a bad one is refused', async () => {
    const id = users[0]!.id;
    const holiday = graph.addEvent(id, {
      subject: 'Holiday',
      start: '2026-01-06T00:00:00Z',
      end: '2026-01-08T00:00:00Z',
      showAs: 'oof',
      isAllDay: true,
    });
    const noon = await view(id, '2026-01-07T12:00:00Z', '2026-01-07T13:00:00Z');
    expect(noon.items).toHaveLength(1);
    expect(noon.items[0]).toMatchObject({
      id: holiday.id,
      isAllDay: true,
      showAs: 'oof',
      start: { dateTime: '2026-01-06T00:00:00.0000000', timeZone: 'UTC' },
      end: { dateTime: '2026-01-08T00:00:00.0000000', timeZone: 'UTC' },
    });
    expect((await view(id, '2026-01-08T00:00:00Z', '2026-01-09T00:00:00Z')).items).toEqual([]);
    expect((await view(id, '2026-01-05T00:00:00Z', '2026-01-06T00:00:00Z')).items).toEqual([]);

    const bad = await graphControlCall(graph, 'POST', `/mailboxes/${id}/events`, {
      subject: 'Half day',
      start: '2026-01-06T09:00:00Z',
      end: '2026-01-07T00:00:00Z',
      isAllDay: true,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error!.message).toBe('start: an all-day event starts and ends at midnight UTC (whole days)');
  });

  it('pages with @odata.nextLink: 10 by default, odata.maxpagesize or $top otherwise', async () => {
    const upn = users[2]!.userPrincipalName;
    expect(
      graph.seedEvents({ userIds: [upn], eventsPerUser: 25, start: '2026-02-02T08:00:00Z', spacingMinutes: 30, durationMinutes: 20 }),
    ).toBe(25);
    const byDefault = await view(upn, '2026-02-02T00:00:00Z', '2026-02-03T00:00:00Z');
    expect(byDefault.pages.map((p) => p.value.length)).toEqual([10, 10, 5]);
    expect(byDefault.pages[0]!['@odata.nextLink']).toBe(
      `${graph.baseUrl}/v1.0/users/${encodeURIComponent(upn)}/calendarView?startDateTime=2026-02-02T00%3A00%3A00Z&endDateTime=2026-02-03T00%3A00%3A00Z&$skip=10`,
    );
    expect(byDefault.items.map((e) => e.subject)).toEqual(Array.from({ length: 25 }, (_, i) => `Seeded event ${i + 1}`));
    expect(new Set(byDefault.items.map((e) => e.id)).size).toBe(25);

    const seven = await view(upn, '2026-02-02T00:00:00Z', '2026-02-03T00:00:00Z', { prefer: 'odata.maxpagesize=7' });
    expect(seven.pages.map((p) => p.value.length)).toEqual([7, 7, 7, 4]);
    expect(seven.items.map((e) => e.id)).toEqual(byDefault.items.map((e) => e.id));
    const first = await get(viewUrl(upn, '2026-02-02T00:00:00Z', '2026-02-03T00:00:00Z'), 'odata.maxpagesize=7');
    expect(first.headers.get('preference-applied')).toBe('odata.maxpagesize=7');

    const top = await view(upn, '2026-02-02T00:00:00Z', '2026-02-03T00:00:00Z', { extra: '&$top=20&$select=subject' });
    expect(top.pages.map((p) => p.value.length)).toEqual([20, 5]);
    expect(top.pages[0]!['@odata.nextLink']).toContain('$select=subject&$top=20&$skip=20');
    expect(top.items.at(-1)).toEqual({ '@odata.etag': expect.any(String), id: byDefault.items[24]!.id, subject: 'Seeded event 25' });
  });

  it('honours $select (id always) on calendarView and events/{id}, and refuses an unknown property', async () => {
    const id = users[0]!.id;
    const e = graph.addEvent(id, {
      subject: 'Sel',
      start: '2026-01-05T09:00:00Z',
      end: '2026-01-05T09:30:00Z',
      showAs: 'workingElsewhere',
    });
    const selected = await view(id, '2026-01-05T00:00:00Z', '2026-01-06T00:00:00Z', { extra: '&$select=subject,showAs' });
    expect(selected.items).toEqual([{ '@odata.etag': `W/"${e.changeKey}"`, id: e.id, subject: 'Sel', showAs: 'workingElsewhere' }]);
    const one = await getJson<Json>(`/users/${id}/events/${encodeURIComponent(e.id)}?$select=start,type`);
    expect(one).toEqual({
      '@odata.context': `${graph.baseUrl}/v1.0/$metadata#users('${id}')/events/$entity`,
      '@odata.etag': `W/"${e.changeKey}"`,
      id: e.id,
      start: { dateTime: '2026-01-05T09:00:00.0000000', timeZone: 'UTC' },
      type: 'singleInstance',
    });
    const unknown = await errorOf(viewUrl(id, '2026-01-05T00:00:00Z', '2026-01-06T00:00:00Z', '&$select=subject,location'));
    expect(unknown).toMatchObject({ status: 400, code: 'RequestBroker--ParseUri' });
    expect(unknown.message).toContain("'location'");
  });

  it('refuses a missing or malformed window with 400, an unknown user with 404 ErrorInvalidUser, an unknown event with 404', async () => {
    const id = users[0]!.id;
    const missing = await errorOf(`/users/${id}/calendarView?startDateTime=2026-01-05T00:00:00Z`);
    expect(missing).toEqual({
      status: 400,
      code: 'ErrorInvalidParameter',
      message: 'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.',
    });
    expect((await errorOf(`/users/${id}/calendarView?endDateTime=2026-01-05T00:00:00Z`)).code).toBe('ErrorInvalidParameter');
    expect((await errorOf(`/users/${id}/calendarView`)).status).toBe(400);
    const notIso = await errorOf(viewUrl(id, 'yesterday', '2026-01-05T00:00:00Z'));
    expect(notIso).toMatchObject({
      status: 400,
      code: 'ErrorInvalidParameter',
      message: "The value 'yesterday' of parameter 'StartDateTime' is invalid.",
    });
    expect((await errorOf(viewUrl(id, '2026-01-05T00:00:00Z', '2026-13-01T00:00:00Z'))).message).toContain("'EndDateTime'");
    expect((await errorOf(viewUrl(id, '2026-01-06T00:00:00Z', '2026-01-05T00:00:00Z'))).status).toBe(400);
    // Parameter names in any case, as Graph reads them.
    expect((await getJson(`/users/${id}/calendarView?StartDateTime=2026-01-05T00:00:00Z&ENDDATETIME=2026-01-06T00:00:00Z`)).value).toEqual(
      [],
    );

    const nobody = await errorOf(viewUrl('nobody@contoso.com', '2026-01-05T00:00:00Z', '2026-01-06T00:00:00Z'));
    expect(nobody).toEqual({ status: 404, code: 'ErrorInvalidUser', message: "The requested user 'nobody@contoso.com' is invalid." });
    // A deleted user has no mailbox any more: the same answer the contact routes give.
    graph.softDeleteUser(users[3]!.id);
    expect((await errorOf(viewUrl(users[3]!.id, '2026-01-05T00:00:00Z', '2026-01-06T00:00:00Z'))).code).toBe('ErrorInvalidUser');
    expect((await errorOf(`/users/${users[3]!.id}/contacts/delta`)).code).toBe('ErrorInvalidUser');
    expect(await errorOf(`/users/${id}/events/AAMkAGI1AAAARgAAAAunknown=`)).toMatchObject({ status: 404, code: 'ErrorItemNotFound' });
    expect((await get(`/users/${id}/calendarView?startDateTime=2026-01-05T00:00:00Z&endDateTime=2026-01-06T00:00:00Z`)).status).toBe(200);
    const unauthenticated = await fetch(`${graph.baseUrl}/v1.0${viewUrl(id, '2026-01-05T00:00:00Z', '2026-01-06T00:00:00Z')}`);
    expect(unauthenticated.status).toBe(401);
  });
});

describe('sandbox Graph: recurring events', () => {
  it('expands a daily series into occurrences; a moved one is an exception at its new time, a cancelled one is absent', async () => {
    const id = users[0]!.id;
    const master = graph.addEvent(id, {
      subject: 'Standup',
      start: '2026-01-05T09:00:00Z',
      end: '2026-01-05T09:15:00Z',
      showAs: 'busy',
      recurrence: { pattern: { type: 'daily', interval: 1 }, range: { type: 'numbered', numberOfOccurrences: 5 } },
    });
    expect(master).toMatchObject({
      type: 'seriesMaster',
      seriesMasterId: null,
      recurrence: {
        pattern: { type: 'daily', interval: 1, daysOfWeek: [], firstDayOfWeek: 'sunday' },
        range: { type: 'numbered', startDate: '2026-01-05', numberOfOccurrences: 5, recurrenceTimeZone: 'UTC' },
      },
    });
    const week = await view(id, '2026-01-04T00:00:00Z', '2026-01-12T00:00:00Z');
    expect(summary(week.items)).toEqual([
      'Standup 2026-01-05T09:00:00.0000000 occurrence',
      'Standup 2026-01-06T09:00:00.0000000 occurrence',
      'Standup 2026-01-07T09:00:00.0000000 occurrence',
      'Standup 2026-01-08T09:00:00.0000000 occurrence',
      'Standup 2026-01-09T09:00:00.0000000 occurrence',
    ]);
    expect(week.items.every((e) => e.seriesMasterId === master.id && e.recurrence === null)).toBe(true);
    expect(new Set(week.items.map((e) => e.id)).size).toBe(5);
    expect(week.items.map((e) => e.id)).not.toContain(master.id);
    // Each occurrence's iCalUId is the series' with its date filled in (2026 = 07EA, January 7 = 01 07).
    expect(week.items[2]!.iCalUId).toBe(`${master.iCalUId.slice(0, 32)}07EA0107${master.iCalUId.slice(40)}`);

    const third = week.items[2]!;
    const fourth = week.items[3]!;
    clock += 60_000;
    const moved = await graphControlCall(graph, 'PATCH', `/mailboxes/${id}/events/${encodeURIComponent(third.id as string)}`, {
      start: '2026-01-07T15:00:00Z',
      end: '2026-01-07T15:30:00Z',
      subject: 'Standup (late)',
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({
      id: third.id,
      type: 'exception',
      seriesMasterId: master.id,
      subject: 'Standup (late)',
      lastModifiedDateTime: '2026-01-01T08:01:00.0000000Z',
    });
    expect(moved.body.changeKey).not.toBe(third.changeKey);
    expect(
      (await graphControlCall(graph, 'POST', `/mailboxes/${id}/events/${encodeURIComponent(fourth.id as string)}/cancel`)).status,
    ).toBe(204);

    const after = await view(id, '2026-01-04T00:00:00Z', '2026-01-12T00:00:00Z');
    expect(summary(after.items)).toEqual([
      'Standup 2026-01-05T09:00:00.0000000 occurrence',
      'Standup 2026-01-06T09:00:00.0000000 occurrence',
      'Standup (late) 2026-01-07T15:00:00.0000000 exception',
      'Standup 2026-01-09T09:00:00.0000000 occurrence',
    ]);
    expect((await view(id, '2026-01-07T09:00:00Z', '2026-01-07T10:00:00Z')).items).toEqual([]);
    expect((await view(id, '2026-01-07T15:15:00Z', '2026-01-07T15:16:00Z')).items.map((e) => e.id)).toEqual([third.id]);

    // By id: the exception, the series master (changed with its occurrences), the cancelled occurrence 404.
    expect((await getJson<Json>(`/users/${id}/events/${encodeURIComponent(third.id as string)}`)).type).toBe('exception');
    const masterNow = await getJson<Json>(`/users/${id}/events/${encodeURIComponent(master.id)}`);
    expect(masterNow).toMatchObject({ type: 'seriesMaster', start: { dateTime: '2026-01-05T09:00:00.0000000', timeZone: 'UTC' } });
    expect(masterNow.changeKey).not.toBe(master.changeKey);
    expect((await get(`/users/${id}/events/${encodeURIComponent(fourth.id as string)}`)).status).toBe(404);
    expect((await get(`/users/${id}/events/${encodeURIComponent((third.id as string).replace(/AOcc[0-9a-z]+=$/, 'AOcc1='))}`)).status).toBe(
      404,
    );
  });

  it('expands weekly series on their days until the end date, across window edges', async () => {
    const id = users[1]!.id;
    graph.addEvent(id, {
      subject: 'Review',
      start: '2026-01-05T13:00:00Z',
      end: '2026-01-05T14:00:00Z',
      showAs: 'tentative',
      recurrence: {
        pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday', 'wednesday'] },
        range: { type: 'endDate', endDate: '2026-01-21' },
      },
    });
    const all = await view(id, '2026-01-01T00:00:00Z', '2026-03-01T00:00:00Z');
    expect(all.items.map(startOf)).toEqual([
      '2026-01-05T13:00:00.0000000',
      '2026-01-07T13:00:00.0000000',
      '2026-01-12T13:00:00.0000000',
      '2026-01-14T13:00:00.0000000',
      '2026-01-19T13:00:00.0000000',
      '2026-01-21T13:00:00.0000000',
    ]);
    expect(all.items.every((e) => e.showAs === 'tentative' && e.type === 'occurrence')).toBe(true);
    // A window starting mid-occurrence includes it; one starting at its end does not.
    expect((await view(id, '2026-01-12T13:30:00Z', '2026-01-14T13:00:00Z')).items.map(startOf)).toEqual(['2026-01-12T13:00:00.0000000']);
    expect((await view(id, '2026-01-12T14:00:00Z', '2026-01-14T13:00:00Z')).items).toEqual([]);
  });

  it('moving a series master moves every occurrence and drops its exceptions; deleting it removes them all', async () => {
    const id = users[0]!.id;
    const master = graph.addEvent(id, {
      subject: 'Sync',
      start: '2026-01-05T10:00:00Z',
      end: '2026-01-05T10:30:00Z',
      showAs: 'busy',
      recurrence: { pattern: { type: 'daily', interval: 2 }, range: { type: 'noEnd' } },
    });
    const occurrences = (await view(id, '2026-01-05T00:00:00Z', '2026-01-10T00:00:00Z')).items;
    expect(occurrences.map(startOf)).toEqual(['2026-01-05T10:00:00.0000000', '2026-01-07T10:00:00.0000000', '2026-01-09T10:00:00.0000000']);
    graph.updateEvent(id, occurrences[1]!.id as string, { showAs: 'free' });
    expect((await view(id, '2026-01-07T00:00:00Z', '2026-01-08T00:00:00Z')).items[0]).toMatchObject({ type: 'exception', showAs: 'free' });

    const movedSeries = graph.updateEvent(id, master.id, { start: '2026-01-05T11:00:00Z', end: '2026-01-05T12:00:00Z', showAs: 'oof' });
    expect(movedSeries).toMatchObject({
      type: 'seriesMaster',
      showAs: 'oof',
      end: { dateTime: '2026-01-05T12:00:00.0000000', timeZone: 'UTC' },
    });
    const moved = (await view(id, '2026-01-05T00:00:00Z', '2026-01-10T00:00:00Z')).items;
    expect(summary(moved)).toEqual([
      'Sync 2026-01-05T11:00:00.0000000 occurrence',
      'Sync 2026-01-07T11:00:00.0000000 occurrence',
      'Sync 2026-01-09T11:00:00.0000000 occurrence',
    ]);
    expect(moved.every((e) => e.showAs === 'oof')).toBe(true);
    // An endless series reaches far windows too.
    expect((await view(id, '2030-01-01T00:00:00Z', '2030-01-05T00:00:00Z')).items).toHaveLength(2);

    // Deleting an occurrence removes only it; deleting the series removes everything.
    expect((await graphControlCall(graph, 'DELETE', `/mailboxes/${id}/events/${encodeURIComponent(moved[0]!.id as string)}`)).status).toBe(
      204,
    );
    expect((await view(id, '2026-01-05T00:00:00Z', '2026-01-10T00:00:00Z')).items).toHaveLength(2);
    expect((await graphControlCall(graph, 'DELETE', `/mailboxes/${id}/events/${encodeURIComponent(master.id)}`)).status).toBe(204);
    expect((await view(id, '2026-01-05T00:00:00Z', '2026-01-10T00:00:00Z')).items).toEqual([]);
    expect((await get(`/users/${id}/events/${encodeURIComponent(master.id)}`)).status).toBe(404);
    expect((await get(`/users/${id}/events/${encodeURIComponent(moved[1]!.id as string)}`)).status).toBe(404);
  });
});

describe('sandbox Graph: the calendar control API', () => {
  it('creates, moves, cancels and deletes single events; calendarView and changeKey follow', async () => {
    const upn = users[0]!.userPrincipalName;
    const created = await graphControlCall(graph, 'POST', `/mailboxes/${encodeURIComponent(upn.toUpperCase())}/events`, {
      subject: 'Call',
      start: '2026-01-05T09:00:00+01:00',
      end: '2026-01-05T09:45:00+01:00',
      showAs: 'busy',
    });
    expect(created.status).toBe(201);
    const event = created.body as unknown as SandboxEvent;
    expect(event).toMatchObject({
      subject: 'Call',
      start: { dateTime: '2026-01-05T08:00:00.0000000', timeZone: 'UTC' },
      type: 'singleInstance',
    });
    const path = `/mailboxes/${encodeURIComponent(upn)}/events/${encodeURIComponent(event.id)}`;
    expect((await graphControlCall(graph, 'GET', path)).body).toEqual(event);

    clock = Date.parse('2026-01-02T10:00:00Z');
    const patched = await graphControlCall(graph, 'PATCH', path, {
      start: '2026-01-05T14:00:00Z',
      end: '2026-01-05T15:00:00Z',
      showAs: 'oof',
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id: event.id, showAs: 'oof', lastModifiedDateTime: '2026-01-02T10:00:00.0000000Z' });
    expect(patched.body.changeKey).not.toBe(event.changeKey);
    const afternoon = await view(upn, '2026-01-05T13:00:00Z', '2026-01-05T16:00:00Z');
    expect(afternoon.items.map((e) => [e.id, e.changeKey, e.showAs])).toEqual([[event.id, patched.body.changeKey, 'oof']]);
    expect((await view(upn, '2026-01-05T07:00:00Z', '2026-01-05T09:00:00Z')).items).toEqual([]);

    expect((await graphControlCall(graph, 'POST', `${path}/cancel`)).status).toBe(204);
    expect((await view(upn, '2026-01-05T13:00:00Z', '2026-01-05T16:00:00Z')).items).toEqual([]);
    const cancelled = await getJson<Json>(`/users/${users[0]!.id}/events/${encodeURIComponent(event.id)}`);
    expect(cancelled).toMatchObject({ isCancelled: true });
    expect(cancelled.changeKey).not.toBe(patched.body.changeKey);
    expect((await graphControlCall(graph, 'POST', `${path}/cancel`)).status).toBe(409);

    expect((await graphControlCall(graph, 'DELETE', path)).status).toBe(204);
    expect((await get(`/users/${users[0]!.id}/events/${encodeURIComponent(event.id)}`)).status).toBe(404);
    expect((await graphControlCall(graph, 'DELETE', path)).status).toBe(404);
    expect((await graphControlCall(graph, 'GET', path)).status).toBe(404);
  });

  it('refuses what Outlook refuses, with clear messages, and unknown mailboxes with 404', async () => {
    const id = users[0]!.id;
    const refusal = async (body: Json) => {
      const r = await graphControlCall(graph, 'POST', `/mailboxes/${id}/events`, body);
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      return r.body.error!.message;
    };
    const base = { subject: 'X', start: '2026-01-05T09:00:00Z', end: '2026-01-05T10:00:00Z' };
    expect(await refusal({ ...base, end: '2026-01-05T09:00:00Z' })).toBe('end: must be after start');
    expect(await refusal({ ...base, start: 'tomorrow' })).toContain('start: must be an ISO 8601 date and time');
    expect(await refusal({ ...base, showAs: 'away' })).toContain('showAs');
    expect(await refusal({ ...base, recurrence: { pattern: { type: 'weekly', interval: 1 }, range: { type: 'noEnd' } } })).toBe(
      'recurrence.pattern.daysOfWeek: a weekly pattern needs daysOfWeek',
    );
    expect(await refusal({ ...base, recurrence: { pattern: { type: 'daily', interval: 1 }, range: { type: 'numbered' } } })).toBe(
      'recurrence.range.numberOfOccurrences: a numbered range, and only a numbered range, needs numberOfOccurrences',
    );
    expect(
      await refusal({
        ...base,
        end: '2026-01-07T09:00:00Z',
        recurrence: { pattern: { type: 'daily', interval: 1 }, range: { type: 'noEnd' } },
      }),
    ).toContain('end: an occurrence must end before the next one starts');
    expect(
      await refusal({
        ...base,
        recurrence: { pattern: { type: 'daily', interval: 1 }, range: { type: 'endDate', endDate: '2026-01-04' } },
      }),
    ).toBe('recurrence.range.endDate: is before the first start');
    expect(await refusal({ ...base, location: 'Room 1' })).toContain('location');
    expect((await graphControlCall(graph, 'POST', '/mailboxes/nobody@contoso.com/events', base)).status).toBe(404);
    const e = graph.addEvent(id, base);
    const path = `/mailboxes/${id}/events/${encodeURIComponent(e.id)}`;
    expect((await graphControlCall(graph, 'PATCH', path, { start: '2026-01-05T11:00:00Z' })).body.error!.message).toBe(
      'end: give start and end together',
    );
    expect((await graphControlCall(graph, 'PATCH', path, {})).status).toBe(400);
    expect((await graphControlCall(graph, 'PUT', path, {})).status).toBe(405);
    // The in-process methods refuse the same way.
    expect(() => graph.addEvent(id, { ...base, end: '2026-01-05T08:00:00Z' })).toThrow('end: must be after start');
    const allDay = graph.addEvent(id, { subject: 'Off', start: '2026-01-06T00:00:00Z', end: '2026-01-07T00:00:00Z', isAllDay: true });
    expect(() => graph.updateEvent(id, allDay.id, { start: '2026-01-06T08:00:00Z', end: '2026-01-06T17:00:00Z' })).toThrow(/midnight UTC/);
  });

  it('seeds many events for many users quickly, and counts calendar requests', async () => {
    const many = generateUsers(100, { seed: 5 });
    graph.seed(many);
    const started = Date.now();
    const seeded = await graphControlCall(graph, 'POST', '/calendars/seed', {
      allUsers: true,
      eventsPerUser: 200,
      start: '2026-03-02T00:00:00Z',
      spacingMinutes: 60,
      durationMinutes: 45,
      showAs: 'busy',
    });
    expect(seeded).toEqual({ status: 200, body: { created: 20_000 } });
    expect(Date.now() - started).toBeLessThan(5_000);
    const some = await graphControlCall(graph, 'POST', '/calendars/seed', {
      userIds: [many[0]!.id],
      eventsPerUser: 2,
      start: '2026-03-02T00:30:00Z',
      spacingMinutes: 60,
      durationMinutes: 10,
      showAs: 'free',
      subject: 'Extra',
    });
    expect(some.body).toEqual({ created: 2 });
    expect(
      (
        await graphControlCall(graph, 'POST', '/calendars/seed', {
          userIds: ['nobody'],
          eventsPerUser: 1,
          start: '2026-03-02T00:00:00Z',
          spacingMinutes: 1,
          durationMinutes: 1,
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await graphControlCall(graph, 'POST', '/calendars/seed', {
          eventsPerUser: 1,
          start: '2026-03-02T00:00:00Z',
          spacingMinutes: 1,
          durationMinutes: 1,
        })
      ).status,
    ).toBe(400);

    const morning = await view(many[0]!.id, '2026-03-02T00:00:00Z', '2026-03-02T02:00:00Z', { prefer: 'odata.maxpagesize=100' });
    expect(summary(morning.items)).toEqual([
      'Seeded event 1 2026-03-02T00:00:00.0000000 singleInstance',
      'Extra 1 2026-03-02T00:30:00.0000000 singleInstance',
      'Seeded event 2 2026-03-02T01:00:00.0000000 singleInstance',
      'Extra 2 2026-03-02T01:30:00.0000000 singleInstance',
    ]);
    const lastDay = await view(many[99]!.id, '2026-03-10T00:00:00Z', '2026-03-11T00:00:00Z', { prefer: 'odata.maxpagesize=100' });
    expect(lastDay.items).toHaveLength(8); // events 193..200 start at 192..199 hours
    // An event id of another mailbox is not found in this one.
    expect((await get(`/users/${many[1]!.id}/events/${encodeURIComponent(morning.items[0]!.id as string)}`)).status).toBe(404);

    expect(graph.calendarStats()).toEqual({ calendarViewRequests: 2, eventRequests: 1 });
    expect((await graphControlCall(graph, 'GET', '/calendars/stats')).body).toEqual({ calendarViewRequests: 2, eventRequests: 1 });
    expect(graph.stats.byRoute).toEqual({ 'GET /users/{id}/calendarView': 2, 'GET /users/{id}/events/{id}': 1 });
    graph.stats.reset();
    expect(graph.calendarStats()).toEqual({ calendarViewRequests: 0, eventRequests: 0 });
  });
});
