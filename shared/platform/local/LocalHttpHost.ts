import { HttpRequest, type HttpResponseInit, InvocationContext } from '@azure/functions';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { AppError } from '../../core/errors/AppError';

export interface LocalRoute {
  name: string;
  route: string;
  methods: string[];
  handler: (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;
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
  const headers: Record<string, string> = {};
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

/** The request's URL, or undefined when its Host header cannot be a host (e.g. `[bad`). */
function requestUrl(req: IncomingMessage): URL | undefined {
  try {
    return new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
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
 * Tools: same routes under /api, real HttpRequest and InvocationContext objects.
 */
export class LocalHttpHost {
  private readonly routes: CompiledRoute[];
  private server?: Server;

  constructor(routes: LocalRoute[]) {
    this.routes = routes.map(compile);
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
    // A client error, not ours: say so (400) instead of failing in new URL() or decodeURIComponent() (500).
    const url = requestUrl(req);
    if (!url) return send(res, invalid('the Host header is not a valid host'));
    const matches = this.routes.map((r) => ({ r, m: r.pattern.exec(url.pathname) })).filter((x) => x.m);
    if (matches.length === 0)
      return send(res, { status: 404, jsonBody: { error: { code: 'NOT_FOUND', message: `no route for ${url.pathname}` } } });
    const hit = matches.find((x) => x.r.methods.includes(req.method ?? 'GET'));
    if (!hit)
      return send(res, {
        status: 405,
        jsonBody: { error: { code: 'METHOD_NOT_ALLOWED', message: `${req.method} is not allowed on ${url.pathname}` } },
      });
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
