import { type Route } from './Route';

export type RouteMatch = { kind: 'route'; route: Route; params: string[] } | { kind: 'wrongMethod' } | { kind: 'none' };

interface CompiledRoute {
  route: Route;
  pattern: RegExp;
}

/** Finds the route for a method and path; `{name}` in a template matches one path segment. */
export class RouteTable {
  private readonly routes: CompiledRoute[];

  constructor(routes: readonly Route[]) {
    this.routes = routes.map((route) => ({ route, pattern: new RegExp(`^${route.path.replace(/\{[^}]+\}/g, '([^/]+)')}$`) }));
  }

  match(method: string, pathname: string): RouteMatch {
    let wrongMethod = false;
    for (const { route, pattern } of this.routes) {
      const found = pattern.exec(pathname);
      if (!found) continue;
      if (route.method !== method) {
        wrongMethod = true;
        continue;
      }
      return { kind: 'route', route, params: found.slice(1).map(decodeSegment) };
    }
    return wrongMethod ? { kind: 'wrongMethod' } : { kind: 'none' };
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
