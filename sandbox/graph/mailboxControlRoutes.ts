import { type ControlRoute } from './ControlRoute';
import { sendGraphError, sendJson, sendMethodNotAllowed } from './graphErrors';
import {
  BulkPhotosSchema,
  ContactPatchSchema,
  NewContactFolderSchema,
  NewContactSchema,
  NewSharedMailboxSchema,
  PhotoSchema,
  SeedContactsSchema,
} from './mailboxControlSchemas';
import { readJsonBody } from './readJsonBody';

/**
 * The control API's Outlook part: shared mailboxes, contact folders, contacts (single, bulk seed), photos and
 * the per-mailbox request counters. Answers and returns true when the path is one of its routes.
 */
export const handleMailboxControlRoute: ControlRoute = async (sandbox, req, res, url) => {
  const method = req.method ?? 'GET';
  const path = url.pathname;
  if (path === '/_sandbox/outlook/stats') {
    if (method !== 'GET') sendMethodNotAllowed(res, method, path);
    else sendJson(res, 200, { value: sandbox.outlookStats(), peakInFlight: sandbox.outlookPeakInFlight() });
    return true;
  }
  if (path === '/_sandbox/mailboxes') {
    if (method !== 'POST') sendMethodNotAllowed(res, method, path);
    else sendJson(res, 201, sandbox.createSharedMailbox(await readJsonBody(req, NewSharedMailboxSchema)));
    return true;
  }
  if (path === '/_sandbox/photos') {
    if (method !== 'POST') return (sendMethodNotAllowed(res, method, path), true);
    const body = await readJsonBody(req, BulkPhotosSchema);
    const userIds = body.userIds ?? sandbox.listUsers().map((u) => u.id);
    for (const id of userIds) sandbox.setUserPhoto(id, { sizeBytes: body.sizeBytes });
    sendJson(res, 200, { set: userIds.length });
    return true;
  }
  const photo = /^\/_sandbox\/users\/([^/]+)\/photo$/.exec(path);
  if (photo) {
    const user = decodeURIComponent(photo[1]!);
    if (method === 'PUT') {
      const body = await readJsonBody(req, PhotoSchema);
      const bytes = body.base64 === undefined ? undefined : Buffer.from(body.base64, 'base64');
      sendJson(res, 200, sandbox.setUserPhoto(user, { bytes, contentType: body.contentType, sizeBytes: body.sizeBytes, size: body.size }));
    } else if (method === 'DELETE') {
      sandbox.removeUserPhoto(user);
      res.writeHead(204).end();
    } else sendMethodNotAllowed(res, method, path);
    return true;
  }
  const match = /^\/_sandbox\/mailboxes\/([^/]+)\/(contactFolders|contacts)(?:\/([^/]+))?$/.exec(path);
  if (!match) return false;
  const mailbox = decodeURIComponent(match[1]!);
  const item = match[3] === undefined ? undefined : decodeURIComponent(match[3]);
  if (match[2] === 'contactFolders') {
    if (item !== undefined) sendMethodNotAllowed(res, method, path);
    else if (method === 'GET') sendJson(res, 200, { value: sandbox.listContactFolders(mailbox) });
    else if (method === 'POST') {
      const body = await readJsonBody(req, NewContactFolderSchema);
      sendJson(res, 201, sandbox.createContactFolder(mailbox, body.displayName, body.parentFolderId));
    } else sendMethodNotAllowed(res, method, path);
    return true;
  }
  if (item === undefined) {
    if (method !== 'POST') return (sendMethodNotAllowed(res, method, path), true);
    const { folderId, ...fields } = await readJsonBody(req, NewContactSchema);
    sendJson(res, 201, sandbox.addContact(mailbox, fields, folderId));
    return true;
  }
  if (item === 'seed') {
    if (method !== 'POST') return (sendMethodNotAllowed(res, method, path), true);
    const body = await readJsonBody(req, SeedContactsSchema);
    sendJson(res, 200, { created: sandbox.seedContacts(mailbox, body.count, { folderId: body.folderId, seed: body.seed }) });
    return true;
  }
  if (method === 'GET') {
    const contact = sandbox.getContact(mailbox, item);
    if (contact) sendJson(res, 200, contact);
    else sendGraphError(res, 404, 'ErrorItemNotFound', `no contact ${item}`);
  } else if (method === 'PATCH') sendJson(res, 200, sandbox.updateContact(mailbox, item, await readJsonBody(req, ContactPatchSchema)));
  else if (method === 'DELETE') {
    sandbox.deleteContact(mailbox, item);
    res.writeHead(204).end();
  } else sendMethodNotAllowed(res, method, path);
  return true;
};
