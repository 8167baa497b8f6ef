export interface RouteRequest {
  query: URLSearchParams;
  /** The `{…}` segments of the path, decoded, in order. */
  params: string[];
  body: unknown;
  /** The bearer token the request carried (already checked on protected routes). */
  bearer: string | undefined;
}

export interface RouteAnswer {
  status: number;
  /** Left out for an empty answer (PortSIP's 200 after an update, every 204). */
  body?: unknown;
}

export interface Route {
  method: 'GET' | 'POST';
  /** The spec's path template, e.g. '/api/users/{id}'; with the method it names the route in stats.byRoute. */
  path: string;
  /** Reachable without a bearer token (sign-in and refresh). */
  public?: boolean;
  /** Counted in stats.writes when it succeeds. */
  write?: boolean;
  handle(request: RouteRequest): RouteAnswer;
}
