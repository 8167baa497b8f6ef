import { type z } from 'zod';
import { isLoopbackUrl } from '../../config/isLoopbackUrl';
import { AppError } from '../../core/errors/AppError';
import { parseRetryAfter } from '../../core/http/parseRetryAfter';
import { TokenBucketRateLimiter } from '../../core/http/TokenBucketRateLimiter';
import { ThreeCxExchange, type ThreeCxMethod } from './ThreeCxExchange';
import { threeCxErrorFor } from './threeCxErrorFor';
import { collectionSchema } from './threeCxSchemas';
import { type ThreeCxClientCredentials, ThreeCxTokens } from './ThreeCxTokens';
import { parseThreeCxBody } from './parseThreeCxBody';

export interface ThreeCxTransportOptions extends ThreeCxClientCredentials {
  /** e.g. https://pbx.contoso.com:5001; XAPI is under /xapi/v1, tokens at /connect/token. */
  baseUrl: string;
  rateLimitPerMinute: number;
  maxConcurrency: number;
  /** Retries of a 429, 502, 503, 504 or network failure; default 5. */
  maxRetries?: number;
  /** Per-request timeout; default 30 s. */
  requestTimeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

export interface ThreeCxCall {
  /** What we are doing, for error messages: "creating extension 101". */
  what: string;
  body?: unknown;
}

/** XAPI's largest page (`$top` > 100 on Users and Contacts is refused with 400). */
export const THREECX_PAGE_SIZE = 100;
const XAPI = '/xapi/v1';

const isSuccess = (status: number) => status >= 200 && status < 300;

/**
 * A read of the Users collection or of one user. Without `$select` 3CX returns every user's SIP password,
 * voicemail PIN and desk-phone password, so such a read is refused before it is sent, whoever asks.
 * (Actions and functions under /Users/Pbx.* return no user entity.)
 */
function isUnselectedUsersRead(method: ThreeCxMethod, path: string): boolean {
  if (method !== 'GET') return false;
  const [resource, query = ''] = path.split('?') as [string, string?];
  const readsUsers = resource === '/Users' || /^\/Users\([^/]*\)$/.test(resource);
  return readsUsers && !/(^|&)\$select=/.test(query);
}

/**
 * Authenticated XAPI calls for one connection: the URL is checked once (https, or plain http to this machine
 * only), each call carries the shared token (single flight, ThreeCxTokens) and is paced and retried by
 * ThreeCxExchange. A 401 fetches a new token and replays the call once; non-2xx answers become AppErrors
 * (threeCxErrorFor) with the client secret and token removed.
 */
export class ThreeCxTransport {
  private readonly exchange: ThreeCxExchange;
  private readonly tokens: ThreeCxTokens;
  private readonly clientSecret: string;
  private pbxVersion: string | undefined;

  constructor(options: ThreeCxTransportOptions) {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      throw new AppError('CONFIG', 'pbx.baseUrl is not a URL');
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackUrl(options.baseUrl))) {
      throw new AppError(
        'CONFIG',
        `pbx.baseUrl ${url.origin} is not https; the 3CX client secret is only sent over https (plain http only to a loopback host)`,
      );
    }
    // Keep a path prefix (a reverse proxy's), drop a trailing slash.
    const root = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
    this.clientSecret = options.clientSecret;
    this.exchange = new ThreeCxExchange({
      origin: root,
      limiter: new TokenBucketRateLimiter({ perMinute: options.rateLimitPerMinute, maxConcurrency: options.maxConcurrency }),
      fetch: options.fetch ?? ((input, init) => fetch(input, init)),
      maxRetries: options.maxRetries ?? 5,
      timeoutMs: options.requestTimeoutMs ?? 30_000,
    });
    this.tokens = new ThreeCxTokens(
      { clientId: options.clientId, clientSecret: options.clientSecret },
      this.exchange,
      () => this.pbxVersion,
      options.now,
    );
  }

  /** HTTP requests sent so far (token requests and retries included). */
  requestCount(): number {
    return this.exchange.requestCount();
  }

  /** The readiness probe tells the transport the PBX version: it decides what unit `expires_in` is in. */
  notePbxVersion(version: string): void {
    this.pbxVersion = version;
  }

  /** Sends the call (path under /xapi/v1, with its query) and returns the 2xx body, unvalidated. */
  async call(method: ThreeCxMethod, path: string, call: ThreeCxCall): Promise<unknown> {
    if (isUnselectedUsersRead(method, path)) {
      throw new AppError('INTERNAL', `${call.what}: a read of 3CX Users without $select would return SIP secrets; refused`);
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    const body = call.body === undefined ? undefined : JSON.stringify(call.body);
    for (let attempt = 0; ; attempt += 1) {
      const token = await this.tokens.token();
      const answer = await this.exchange.send({
        method,
        path: `${XAPI}${path}`,
        headers: { ...headers, authorization: `Bearer ${token}` },
        ...(body === undefined ? {} : { body }),
      });
      if (isSuccess(answer.status)) return answer.body;
      if (answer.status === 401 && attempt === 0) {
        // Expired early, or revoked by a newer token for the same API client: one new token, one replay.
        this.tokens.invalidate(token);
        continue;
      }
      if (answer.status === 401) {
        throw new AppError(
          'UNAUTHORIZED',
          `${call.what}: 3CX refused a fresh access token (401 twice); check the 3CX API client id and secret, and that ` +
            'no other connector instance uses the same API client (3CX keeps one active token per client)',
          { upstreamStatus: 401 },
        );
      }
      throw threeCxErrorFor(answer.status, answer.body, call.what, {
        retryAfterMs: parseRetryAfter(answer.retryAfter),
        secrets: [this.clientSecret, token],
      });
    }
  }

  /** Sends the call and returns the 2xx body validated by `schema`. */
  async read<T extends z.ZodType>(schema: T, method: ThreeCxMethod, path: string, call: ThreeCxCall): Promise<z.output<T>> {
    return parseThreeCxBody(schema, await this.call(method, path, call), `${method} ${XAPI}${path.split('?')[0]}`);
  }

  /**
   * Every item of an OData collection, a page of `$top=100` at a time, `$skip` advancing by what came back,
   * until a short page. `query` holds the other options (always a `$select` for Users).
   */
  async *pages<T extends z.ZodType>(path: string, query: string, item: T, what: string): AsyncIterable<z.output<T>[]> {
    const schema = collectionSchema(item);
    for (let skip = 0; ;) {
      const page = await this.read(schema, 'GET', `${path}?${query}${query ? '&' : ''}$top=${THREECX_PAGE_SIZE}&$skip=${skip}`, { what });
      const items = page.value as z.output<T>[];
      if (items.length > 0) yield items;
      if (items.length < THREECX_PAGE_SIZE) return;
      skip += items.length;
    }
  }
}
