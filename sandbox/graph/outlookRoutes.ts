import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type ContactDeltaRounds, type ContactSelection } from './ContactDeltaRounds';
import { sendGraphError, sendJson } from './graphErrors';
import { type MailboxStore, type SandboxContactFolder, type SandboxMailbox } from './MailboxStore';
import { type MailboxAdmissionDeps, withMailboxAdmission } from './mailboxAdmission';
import { CONTACT_PROPERTY_NAMES } from './SandboxContact';
import { type SandboxPhoto, type UserPhotos } from './UserPhotos';

export interface OutlookRouteDeps extends MailboxAdmissionDeps {
  baseUrl: string;
  store: MailboxStore;
  rounds: ContactDeltaRounds;
  photos: UserPhotos;
  defaultPageSize: number;
  maxPageSize: number;
}

const OUTLOOK_PATH = /^\/users\/([^/]+)\/(contacts\/.+|contacts|contactFolders(?:\/.*)?|photo(?:\/\$value)?)$/;
const FOLDER_PAGE = 10;

/**
 * Graph's Outlook routes for contacts and profile photos: contact folders (children of the default folder and
 * nested ones), contacts delta of the default folder and of any folder, and the user's photo. Every request
 * counts against its mailbox's limits first (MailboxThrottle). Returns false when the path is not one.
 */
export async function handleOutlookRoute(
  deps: OutlookRouteDeps,
  req: IncomingMessage,
  url: URL,
  path: string,
  res: ServerResponse,
): Promise<boolean> {
  const match = OUTLOOK_PATH.exec(path);
  if (!match) return false;
  await withMailboxAdmission(deps, req, res, match[1]!, (userId, prefer) =>
    route(deps, deps.store.mailboxOf(userId), match[2]!, prefer, url, res),
  );
  return true;
}

function route(deps: OutlookRouteDeps, mailbox: SandboxMailbox, rest: string, prefer: string, url: URL, res: ServerResponse): void {
  if (rest === 'photo') return photoMetadata(deps, mailbox.userId, res);
  if (rest === 'photo/$value') return photoValue(deps, mailbox.userId, res);
  const segments = rest.split('/').map((s) => decodeURIComponent(s));
  const isDelta = (s: string | undefined) => s === 'delta' || s === 'microsoft.graph.delta';
  // contacts/delta
  if (segments[0] === 'contacts' && segments.length === 2 && isDelta(segments[1]))
    return contactsDelta(deps, mailbox, mailbox.defaultFolderId, prefer, url, res);
  if (segments[0] !== 'contactFolders') return sendGraphError(res, 400, 'BadRequest', `Resource not found for the segment '${rest}'.`);
  // contactFolders
  if (segments.length === 1) return folderList(deps, mailbox, mailbox.folders.get(mailbox.defaultFolderId)!, url, res);
  const folder = deps.store.folder(mailbox, segments[1]!);
  if (!folder) return sendGraphError(res, 404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
  if (segments.length === 2)
    return sendJson(res, 200, {
      '@odata.context': `${deps.baseUrl}/v1.0/$metadata#users('${mailbox.userId}')/contactFolders/$entity`,
      ...folderBody(folder),
    });
  if (segments.length === 3 && segments[2] === 'childFolders') return folderList(deps, mailbox, folder, url, res);
  if (segments.length === 4 && segments[2] === 'contacts' && isDelta(segments[3]))
    return contactsDelta(deps, mailbox, folder.id, prefer, url, res);
  return sendGraphError(res, 400, 'BadRequest', `Resource not found for the segment '${rest}'.`);
}

function folderBody(folder: SandboxContactFolder): Record<string, unknown> {
  return { id: folder.id, displayName: folder.displayName, parentFolderId: folder.parentFolderId };
}

/** A folder's child folders, paged as Outlook pages lists: `$top` (default 10) and `$skip` in the nextLink. */
function folderList(deps: OutlookRouteDeps, mailbox: SandboxMailbox, parent: SandboxContactFolder, url: URL, res: ServerResponse): void {
  const top = Number(url.searchParams.get('$top') ?? FOLDER_PAGE);
  const skip = Number(url.searchParams.get('$skip') ?? 0);
  if (!Number.isInteger(top) || top < 1 || top > 1000 || !Number.isInteger(skip) || skip < 0)
    return sendGraphError(res, 400, 'ErrorInvalidUrlQuery', 'The value of $top or $skip is not valid.');
  const children = parent.childIds.slice(skip, skip + top).map((id) => folderBody(mailbox.folders.get(id)!));
  const body: Record<string, unknown> = {
    '@odata.context': `${deps.baseUrl}/v1.0/$metadata#users('${mailbox.userId}')/contactFolders`,
    value: children,
  };
  if (skip + top < parent.childIds.length) body['@odata.nextLink'] = `${deps.baseUrl}${url.pathname}?$top=${top}&$skip=${skip + top}`;
  sendJson(res, 200, body);
}

function pageSizeOf(deps: OutlookRouteDeps, prefer: string): number {
  const asked = /odata\.maxpagesize\s*=\s*(\d+)/i.exec(prefer);
  if (!asked) return deps.defaultPageSize;
  return Math.max(1, Math.min(deps.maxPageSize, Number(asked[1])));
}

function contactsDelta(
  deps: OutlookRouteDeps,
  mailbox: SandboxMailbox,
  folderId: string,
  prefer: string,
  url: URL,
  res: ServerResponse,
): void {
  const folder = mailbox.folders.get(folderId)!;
  const query = url.searchParams.get('$select');
  const properties =
    query === null
      ? [...CONTACT_PROPERTY_NAMES]
      : query
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean);
  const unknown = properties.find((p) => !(CONTACT_PROPERTY_NAMES as readonly string[]).includes(p));
  if (unknown !== undefined)
    return sendGraphError(
      res,
      400,
      'RequestBroker--ParseUri',
      `Could not find a property named '${unknown}' on type 'microsoft.graph.contact'.`,
    );
  const selection: ContactSelection = {
    properties: properties.includes('id') ? properties : ['id', ...properties],
    query,
    mailboxId: mailbox.userId,
    folderId,
  };
  const pageSize = pageSizeOf(deps, prefer);
  const page = deps.rounds.page(
    mailbox,
    folder,
    { skipToken: url.searchParams.get('$skiptoken'), deltaToken: url.searchParams.get('$deltatoken'), selection },
    pageSize,
  );
  if (page.kind === 'unknownToken' || (page.kind === 'expired' && page.expiry === 'syncStateNotFound'))
    return sendGraphError(res, 410, 'syncStateNotFound', 'The sync state is not found or has expired. Please do a full sync.');
  if (page.kind === 'expired') {
    const restart = `${deps.baseUrl}${url.pathname}${page.selection.query === null ? '' : `?$select=${encodeURIComponent(page.selection.query)}`}`;
    return sendGraphError(res, 410, 'resyncRequired', 'The delta state was reset; restart from the Location URL.', { Location: restart });
  }
  const link = (query: string) => `${deps.baseUrl}${url.pathname}?${query}`;
  const body: Record<string, unknown> = { '@odata.context': `${deps.baseUrl}/v1.0/$metadata#Collection(contact)`, value: page.value };
  if (page.skipToken) body['@odata.nextLink'] = link(`$skiptoken=${page.skipToken}`);
  else body['@odata.deltaLink'] = link(`$deltatoken=${page.deltaToken}`);
  sendJson(res, 200, body, { 'Preference-Applied': `odata.maxpagesize=${pageSize}` });
}

/** The user's photo; without one, answers 404 as Exchange does (for the metadata and the bytes alike). */
function photoOrNotFound(deps: OutlookRouteDeps, userId: string, res: ServerResponse): SandboxPhoto | undefined {
  const photo = deps.photos.get(userId);
  if (!photo)
    sendGraphError(
      res,
      404,
      'ImageNotFound',
      "Exception of type 'Microsoft.Fast.Profile.Core.Exception.ImageNotFoundException' was thrown.",
    );
  return photo;
}

function photoMetadata(deps: OutlookRouteDeps, userId: string, res: ServerResponse): void {
  const photo = photoOrNotFound(deps, userId, res);
  if (!photo) return;
  sendJson(res, 200, {
    '@odata.context': `${deps.baseUrl}/v1.0/$metadata#users('${userId}')/photo/$entity`,
    '@odata.mediaContentType': photo.contentType,
    '@odata.mediaEtag': photo.etag,
    id: `${photo.width}X${photo.height}`,
    height: photo.height,
    width: photo.width,
  });
}

function photoValue(deps: OutlookRouteDeps, userId: string, res: ServerResponse): void {
  const photo = photoOrNotFound(deps, userId, res);
  if (!photo) return;
  res.writeHead(200, { 'content-type': photo.contentType, 'content-length': String(photo.bytes.length), etag: photo.etag });
  res.end(photo.bytes);
}
