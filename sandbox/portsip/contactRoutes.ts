import { CONTACT_TEXT_FIELD_NAMES, CreateContactBody, UpdateContactBody } from './contactBodies';
import { type ContactBook, type ContactRecord } from './ContactBook';
import { parseBody } from './parseBody';
import { pageOf, parsePaging } from './parsePaging';
import { notFound } from './PbxError';
import { type PbxTenant } from './PbxTenant';
import { refuseQueryOptions } from './refuseQueryOptions';
import { type Route, type RouteAccess, type RouteRequest, type WriteKind } from './Route';

interface ContactRoutesOptions {
  /** '/api/contacts' or '/api/user/contacts'. */
  root: string;
  access: RouteAccess;
  write: WriteKind;
  /** The phonebook the request works on (the tenant's, or the signed-in user's own). */
  bookOf(request: RouteRequest): ContactBook;
  /** Personal contacts show (and toggle) `favorite`. */
  personal: boolean;
}

/** The contact as the API shows it: every field (null = blank) and `sync_type`, plus `favorite` for personal ones. */
function contactView(record: ContactRecord, personal: boolean): Record<string, unknown> {
  const view: Record<string, unknown> = { id: record.id, name: record.name };
  for (const field of CONTACT_TEXT_FIELD_NAMES) view[field] = record[field];
  view.sync_type = null;
  if (personal) view.favorite = record.favorite;
  return view;
}

/**
 * A phonebook's routes (reference/portsip.md §4): list (paged, `skip`/`top` only), create, read, update (a
 * merge), destroy; for personal contacts also favorite/unfavorite. Company contacts take the admin's token;
 * personal ones the user's own (an admin token gets 403: PortSIP has no admin path to them).
 */
export function contactRoutes(tenant: PbxTenant, options: ContactRoutesOptions): Route[] {
  const { root, access, write, personal } = options;
  const existing = (request: RouteRequest): ContactRecord => {
    const record = options.bookOf(request).get(request.params[0]!);
    if (!record) throw notFound(`The contact ${request.params[0]} does not exist`);
    return record;
  };
  const favoriteRoute = (suffix: string, favorite: boolean): Route => ({
    method: 'POST',
    path: `${root}/{id}/${suffix}`,
    access,
    write,
    handle: (request) => {
      existing(request).favorite = favorite;
      return { status: 200 };
    },
  });

  return [
    {
      method: 'GET',
      path: root,
      access,
      handle: (request) => {
        refuseQueryOptions(request.query, ['filter', 'search', 'orderby']);
        return { status: 200, body: pageOf(options.bookOf(request).all(), parsePaging(request.query), (c) => contactView(c, personal)) };
      },
    },
    {
      method: 'POST',
      path: root,
      access,
      write,
      handle: (request) => {
        const b = parseBody(CreateContactBody, request.body);
        const record = { id: tenant.ids.next(), name: b.name, favorite: false } as ContactRecord;
        for (const field of CONTACT_TEXT_FIELD_NAMES) record[field] = b[field] || null;
        options.bookOf(request).add(record);
        return { status: 201, body: { id: record.id } };
      },
    },
    { method: 'GET', path: `${root}/{id}`, access, handle: (request) => ({ status: 200, body: contactView(existing(request), personal) }) },
    {
      method: 'POST',
      path: `${root}/{id}`,
      access,
      write,
      handle: (request) => {
        const record = existing(request);
        const b = parseBody(UpdateContactBody, request.body);
        if (b.name !== undefined) record.name = b.name;
        for (const field of CONTACT_TEXT_FIELD_NAMES) if (b[field] !== undefined) record[field] = b[field] || null;
        return { status: 200 };
      },
    },
    {
      method: 'POST',
      path: `${root}/{id}/destroy`,
      access,
      write,
      handle: (request) => {
        options.bookOf(request).remove(existing(request));
        return { status: 204 };
      },
    },
    ...(personal ? [favoriteRoute('favorite', true), favoriteRoute('unfavorite', false)] : []),
  ];
}
