import { type PbxDirectory } from './PbxDirectory';

export interface XapiRequest {
  query: URLSearchParams;
  /** The text between the parentheses of `Set(…)`, decoded; undefined on routes without a key. */
  key: string | undefined;
  /** The JSON body, parsed on demand (broken JSON or a missing body is a 400). */
  body(): unknown;
}

export interface XapiAnswer {
  status: number;
  /** Left out for 204. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface XapiRoute {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Matched against the path after /xapi/v1. */
  pattern: RegExp;
  /** The route's name in stats.byRoute, e.g. 'GET /Users({key})'. */
  name: string;
  /** Counted in stats.writes when it succeeds. */
  write?: boolean;
  handle(request: XapiRequest): XapiAnswer;
}

/** What every route needs: the state, the settings the probes report, and the base URL for `@odata.context`. */
export interface XapiContext {
  baseUrl: string;
  directory: PbxDirectory;
  settings: { version: string; enterprise: boolean };
}
