import { randomBytes } from 'node:crypto';
import { type ServerResponse } from 'node:http';
import { BoundedMap } from './BoundedMap';
import { sendGraphError, sendJson } from './graphErrors';
import { type SandboxUser } from './SandboxUser';
import { projectUser, userSelection } from './userProjection';

/** What the deleted-items routes need of the tenant. */
export interface DeletedItemsDeps {
  baseUrl: string;
  /** Soft-deleted users (restorable), in a stable order. */
  softDeleted(): { user: SandboxUser; deletedAt: number }[];
  findSoftDeleted(id: string): { user: SandboxUser; deletedAt: number } | undefined;
  /** Restores a soft-deleted user (delta then returns it as a live user again). */
  restore(id: string): void;
  /** Permanently deletes a soft-deleted user (delta then reports `@removed` reason `deleted`). */
  purge(id: string): void;
}

interface Cursor {
  ids: string[];
  offset: number;
  top: number;
  query: string | null;
}

const USER_CAST = 'microsoft.graph.user';
const notFound = (id: string) => `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`;

/**
 * Graph's `/directory/deletedItems` for users: the list (`…/microsoft.graph.user`, `$select`, `$top` 1-999,
 * opaque skip tokens), one item by id (404 when it is not there), `POST …/{id}/restore` and `DELETE …/{id}`
 * (permanent delete). Only soft-deleted users are deleted items; a purged user is in neither place.
 */
export class DeletedItemsRoutes {
  private readonly cursors = new BoundedMap<string, Cursor>(1_000);

  constructor(private readonly deps: DeletedItemsDeps) {}

  clear(): void {
    this.cursors.clear();
  }

  /** Answers a request under /directory/deletedItems; false when the path is not one of its routes. */
  handle(method: string, path: string, url: URL, res: ServerResponse): boolean {
    if (path === `/directory/deletedItems/${USER_CAST}`) {
      if (method !== 'GET') return notAllowed(res, method, path);
      this.list(url, res);
      return true;
    }
    const match = /^\/directory\/deletedItems\/([^/]+)(\/restore)?$/.exec(path);
    if (!match) return false;
    const id = decodeURIComponent(match[1]!);
    const item = this.deps.findSoftDeleted(id);
    if (match[2]) {
      if (method !== 'POST') return notAllowed(res, method, path);
      if (!item) return notFoundError(res, id);
      this.deps.restore(id);
      sendJson(res, 200, { '@odata.context': this.entityContext(), '@odata.type': `#${USER_CAST}`, ...item.user });
      return true;
    }
    if (method === 'DELETE') {
      if (!item) return notFoundError(res, id);
      this.deps.purge(id);
      res.writeHead(204).end();
      return true;
    }
    if (method !== 'GET') return notAllowed(res, method, path);
    if (!item) return notFoundError(res, id);
    sendJson(res, 200, {
      '@odata.context': this.entityContext(),
      '@odata.type': `#${USER_CAST}`,
      ...this.project(item, url.searchParams.get('$select')),
    });
    return true;
  }

  private list(url: URL, res: ServerResponse): void {
    const skipToken = url.searchParams.get('$skiptoken');
    let cursor: Cursor;
    if (skipToken) {
      const found = this.cursors.get(skipToken);
      if (!found) return sendGraphError(res, 400, 'Request_BadRequest', 'The skip token is invalid or has expired.');
      cursor = found;
    } else {
      const rawTop = url.searchParams.get('$top');
      const top = Number(rawTop ?? 100);
      if (!Number.isInteger(top) || top < 1 || top > 999)
        return sendGraphError(
          res,
          400,
          'Request_BadRequest',
          `Invalid page size specified: '${rawTop}'. Must be between 1 and 999 inclusive.`,
        );
      cursor = { ids: this.deps.softDeleted().map((d) => d.user.id), offset: 0, top, query: url.searchParams.get('$select') };
    }
    const end = Math.min(cursor.offset + cursor.top, cursor.ids.length);
    // An item restored or purged since the listing began is left out of the later pages.
    const value = cursor.ids
      .slice(cursor.offset, end)
      .map((id) => this.deps.findSoftDeleted(id))
      .filter((item) => item !== undefined)
      .map((item) => this.project(item, cursor.query));
    const body: Record<string, unknown> = {
      '@odata.context': `${this.deps.baseUrl}/v1.0/$metadata#directoryObjects/${USER_CAST}${cursor.query ? `(${cursor.query})` : ''}`,
      value,
    };
    if (end < cursor.ids.length) {
      const token = randomBytes(18).toString('base64url');
      this.cursors.set(token, { ...cursor, offset: end });
      body['@odata.nextLink'] = `${this.deps.baseUrl}/v1.0/directory/deletedItems/${USER_CAST}?$skiptoken=${token}`;
    }
    sendJson(res, 200, body);
  }

  /** The selected user properties plus deletedDateTime (always, unless a $select leaves it out). */
  private project(item: { user: SandboxUser; deletedAt: number }, query: string | null): Record<string, unknown> {
    const selection = userSelection(new URL(`http://x/?${query ? `$select=${encodeURIComponent(query)}` : ''}`));
    const out = projectUser(item.user, selection.properties);
    if (query === null || selection.properties.includes('deletedDateTime')) out.deletedDateTime = new Date(item.deletedAt).toISOString();
    return out;
  }

  private entityContext(): string {
    return `${this.deps.baseUrl}/v1.0/$metadata#directoryObjects/$entity`;
  }
}

function notFoundError(res: ServerResponse, id: string): true {
  sendGraphError(res, 404, 'Request_ResourceNotFound', notFound(id));
  return true;
}

function notAllowed(res: ServerResponse, method: string, path: string): true {
  sendGraphError(res, 405, 'Request_BadRequest', `${method} is not supported on ${path}.`);
  return true;
}
