import { HttpRequest, type HttpResponseInit, InvocationContext } from '@azure/functions';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { AppError } from '../../core/errors/AppError';
import { checkAdminKey, checkHost, checkOrigin, checkTarget, isValidPercentEncoding } from './localRequestGuards';

export interface LocalRoute {
  name: string;
  route: string;
  methods: string[];
  /**
   * As in Azure: `function` routes need the host's admin key (when it has one), `anonymous` ones do not (the
   * Graph webhooks: Graph cannot send a key). Default `function`.
   */
  authLevel?: 'anonymous' | 'function';
  handler: (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;
}

export interface LocalHttpHostOptions {
  /**
   * The key `function` routes require (x-functions-key header or ?code=), or 'off'. Default 'off', for hosts
   * that serve only anonymous routes (test rigs); npm start passes the local admin key (localAdminKey.ts).
   */
  adminKey?: string;
  /** Host names (host[:port], as in PUBLIC_BASE_URL) the anonymous routes also answer, e.g. a tunnel's. */
  publicHosts?: string[];
}

interface CompiledRoute extends LocalRoute {
  pattern: RegExp;
  keys: string[];
}

const MAX_BODY = 4 * 1024 * 1024;

function compile(route: LocalRoute): CompiledRoute {
  const keys: string[] = [];
  const source = route.route.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_, key: string) => {
    keys.push(key);
    return '([^/]+)';
  });
  return { ...route, keys, pattern: new RegExp(`^/api/${source}/?$`) };
}

async function readBody(req: IncomingMessage): Promise<Buffer | 'tooLarge'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return 'tooLarge';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, response: HttpResponseInit): void {
  // No CORS headers, ever; answers are not for caches or for sniffing.
  const headers: Record<string, string> = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
  // Refused before its body was read (no key, too large): close, so the unread rest cannot pass as a next request.
  if (!res.req.complete) headers.connection = 'close';
  for (const [k, v] of Object.entries((response.headers as Record<string, string> | undefined) ?? {})) headers[k.toLowerCase()] = String(v);
  let payload: string | Uint8Array | undefined;
  if (response.jsonBody !== undefined) {
    payload = JSON.stringify(response.jsonBody);
    headers['content-type'] ??= 'application/json; charset=utf-8';
  } else if (typeof response.body === 'string' || response.body instanceof Uint8Array) {
    payload = response.body;
  }
  res.writeHead(response.status ?? 200, headers);
  res.end(payload);
}

function invalid(message: string): HttpResponseInit {
  return { status: 400, jsonBody: { error: { code: 'INVALID', message } } };
}

/** The request's URL on a Host already checked, or undefined when it still does not parse. */
function requestUrl(target: string, host: string): URL | undefined {
  try {
    return new URL(target, `http://${host}`);
  } catch {
    return undefined;
  }
}

/** The route's `{…}` values decoded, or undefined when one is not valid percent-encoding (e.g. `%E0%A4%A`). */
function decodeParams(keys: string[], match: RegExpExecArray): Record<string, string> | undefined {
  try {
    return Object.fromEntries(keys.map((k, i) => [k, decodeURIComponent(match[i + 1]!)]));
  } catch {
    return undefined;
  }
}

/**
 * Serves Functions HTTP handlers on a local port, the way `func start` does, for machines without Core
 * Tools: same routes under /api, real HttpRequest and InvocationContext objects. Before a handler runs, the
 * request must name this host (loopback Host with its port: no DNS rebinding), come from no other web
 * origin, carry the admin key on `function` routes, and be well-formed (localRequestGuards.ts); every
 * refusal is a 4xx with a JSON error saying why.
 */
export class LocalHttpHost {
  private readonly routes: CompiledRoute[];
  private readonly adminKey: string;
  private readonly publicHosts: string[];
  private server?: Server;

  constructor(routes: LocalRoute[], options: LocalHttpHostOptions = {}) {
    this.routes = routes.map(compile);
    this.adminKey = options.adminKey ?? 'off';
    this.publicHosts = options.publicHosts ?? [];
  }

  async listen(port: number, host = '127.0.0.1'): Promise<void> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        console.error(`local host: ${err instanceof Error ? err.message : String(err)}`);
        if (!res.headersSent) send(res, { status: 500, jsonBody: { error: { code: 'INTERNAL', message: 'internal error' } } });
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
  }

  /** The port it listens on (useful after listen(0)). */
  get port(): number {
    const address = this.server?.address();
    if (!address || typeof address === 'string') throw new AppError('INTERNAL', 'the local host is not listening');
    return address.port;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeIdleConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Client errors, not ours: each is a 4xx saying what was wrong, never a 500 from new URL() or decodeURIComponent().
    const port = this.port;
    const badTarget = checkTarget(req.url);
    if (badTarget) return send(res, badTarget);
    const host = checkHost(req.headers.host, port, this.publicHosts);
    if ('refusal' in host) return send(res, host.refusal);
    const foreign = checkOrigin(req.headers, port);
    if (foreign) return send(res, foreign);
    const url = requestUrl(req.url!, req.headers.host!);
    if (!url) return send(res, invalid('the request URL is not valid'));
    if (!isValidPercentEncoding(url.pathname)) return send(res, invalid(`the path ${url.pathname} is not valid percent-encoding`));
    if (!isValidPercentEncoding(url.search.slice(1)))
      return send(res, invalid(`the query string ${url.search.slice(0, 200)} is not valid percent-encoding`));
    const matches = this.routes.map((r) => ({ r, m: r.pattern.exec(url.pathname) })).filter((x) => x.m);
    if (matches.length === 0)
      return send(res, { status: 404, jsonBody: { error: { code: 'NOT_FOUND', message: `no route for ${url.pathname}` } } });
    const hit = matches.find((x) => x.r.methods.includes(req.method ?? 'GET'));
    if (!hit)
      return send(res, {
        status: 405,
        jsonBody: { error: { code: 'METHOD_NOT_ALLOWED', message: `${req.method} is not allowed on ${url.pathname}` } },
        headers: { allow: [...new Set(matches.flatMap((x) => x.r.methods))].join(', ') },
      });
    const anonymous = hit.r.authLevel === 'anonymous';
    // A tunnel's public name reaches the webhooks only; the admin API stays on loopback names.
    if (!anonymous && host.ok !== 'loopback') {
      const loopbackOnly = checkHost(req.headers.host, port, []);
      return send(res, 'refusal' in loopbackOnly ? loopbackOnly.refusal : invalid('the Host header is not allowed'));
    }
    if (!anonymous && this.adminKey !== 'off') {
      const unauthorized = checkAdminKey(req.headers, url.searchParams, this.adminKey);
      if (unauthorized) return send(res, unauthorized);
    }
    const body = await readBody(req);
    if (body === 'tooLarge')
      return send(res, { status: 413, jsonBody: { error: { code: 'PAYLOAD_TOO_LARGE', message: 'the body is too large' } } });
    const params = decodeParams(hit.r.keys, hit.m!);
    if (!params) return send(res, invalid(`the path ${url.pathname} is not valid percent-encoding`));
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    const request = new HttpRequest({
      method: req.method ?? 'GET',
      url: url.toString(),
      headers,
      params,
      ...(body.length ? { body: { bytes: body } } : {}),
    });
    const context = new InvocationContext({
      functionName: hit.r.name,
      invocationId: randomUUID(),
      // The handlers' loggers write whole, formatted lines (shared/core/logging); print them as they are.
      logHandler: (level, ...args) => (level === 'error' || level === 'warning' ? console.error : console.log)(...args),
    });
    send(res, await hit.r.handler(request, context));
  }
}
