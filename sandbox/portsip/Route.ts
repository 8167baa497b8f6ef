import { type IncomingHttpHeaders } from 'node:http';
import { type SessionOwner } from './SessionTokens';

/** What a successful write changed, for SandboxStats.writesByKind. */
export type WriteKind = 'users' | 'passwords' | 'groups' | 'companyContacts' | 'personalContacts' | 'blobs' | 'avatars' | 'presence';

export interface RouteRequest {
  query: URLSearchParams;
  /** The `{…}` segments of the path, decoded, in order. */
  params: string[];
  /** The JSON body of a POST (undefined on a GET and on a `rawBody` route). */
  body: unknown;
  /** The raw body of a `rawBody` route (empty otherwise). */
  bytes: Buffer;
  headers: IncomingHttpHeaders;
  /** The bearer token the request carried (already checked on protected routes). */
  bearer: string | undefined;
  /** Whose session the token belongs to (undefined on public routes). */
  caller: SessionOwner | undefined;
}

export interface RouteAnswer {
  status: number;
  /** Left out for an empty answer (PortSIP's 200 after an update, every 204); a Buffer is sent as bytes. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** Who may call a protected route: the tenant admin (the default), a signed-in user, or either. */
export type RouteAccess = 'admin' | 'user' | 'any';

export interface Route {
  method: 'GET' | 'POST';
  /** The spec's path template, e.g. '/api/users/{id}'; with the method it names the route in stats.byRoute. */
  path: string;
  /** Reachable without a bearer token (sign-in, refresh, blob download). */
  public?: boolean;
  /** Default 'admin': a user's token gets 403 on the admin API. */
  access?: RouteAccess;
  /** Counted in stats.writes (and writesByKind under this kind) when it succeeds. */
  write?: WriteKind;
  /** The body is an octet-stream (request.bytes), not JSON. */
  rawBody?: boolean;
  handle(request: RouteRequest): RouteAnswer;
}
