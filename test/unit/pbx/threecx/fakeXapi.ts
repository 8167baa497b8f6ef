/** One request the fake saw: method, path with query (decoded), headers, and the raw body. */
export interface SeenRequest {
  method: string;
  /** Path and query, percent-decoded, e.g. `/xapi/v1/Peers(Number='1''2')?$select=…`. */
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
}

export type Reply = { status: number; body?: unknown; headers?: Record<string, string> } | Error;
type Handler = (request: SeenRequest) => Reply | Promise<Reply>;

export const BASE_URL = 'https://pbx.contoso.com:5001';
export const CLIENT_SECRET = 'Sup3r-Secret-Client-Value';

/**
 * A recording fake `fetch` for XAPI: answers the token endpoint and the readiness probe by default (a ready
 * 20.0.10 Enterprise PBX with ENL 3), and whatever a test adds: answers queued with `once` go first, in
 * order; then the newest matching `on` handler.
 */
export function fakeXapi(
  defaults: { version?: string; enterprise?: boolean; m365Sync?: boolean; enl?: number; expiresIn?: number; tokenDelayMs?: number } = {},
) {
  const requests: SeenRequest[] = [];
  const handlers: { method: string; path: RegExp; handler: Handler }[] = [];
  const queued: { method: string; path: RegExp; handler: Handler }[] = [];
  let issued = 0;

  const on = (method: string, path: RegExp, handler: Handler) => {
    handlers.unshift({ method, path, handler });
  };
  on('POST', /^\/connect\/token$/, async () => {
    issued += 1;
    await new Promise((r) => setTimeout(r, defaults.tokenDelayMs ?? 5));
    return {
      status: 200,
      body: { token_type: 'Bearer', access_token: `token-${issued}`, expires_in: defaults.expiresIn ?? 3600, refresh_token: null },
    };
  });
  on('GET', /^\/xapi\/v1\/SystemStatus$/, () => ({
    status: 200,
    body: { Version: defaults.version ?? '20.0.10.818', LicenseKey: 'LIC-KEY' },
  }));
  on('GET', /^\/xapi\/v1\/Defs\/Pbx\.GetLicenseParameters\(\)$/, () => ({
    status: 200,
    body: { IsEnterprise: defaults.enterprise ?? true },
  }));
  on('GET', /^\/xapi\/v1\/Microsoft365Integration$/, () => ({
    status: 200,
    body: { Id: 1, AdUsers: { IsEnabled: defaults.m365Sync ?? false, SyncType: 'SyncAllUsers' } },
  }));
  on('GET', /^\/xapi\/v1\/Defs\/Pbx\.GetSystemParameters\(\)$/, () => ({ status: 200, body: { ENL: defaults.enl ?? 3 } }));

  const fetchImpl = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : input);
    const headers = Object.fromEntries(
      Object.entries((init?.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]),
    );
    const request: SeenRequest = {
      method: init?.method ?? 'GET',
      url: decodeURIComponent(url.pathname + url.search),
      headers,
      body: typeof init?.body === 'string' ? init.body : undefined,
    };
    requests.push(request);
    const path = decodeURIComponent(url.pathname);
    const matches = (h: { method: string; path: RegExp }) => h.method === request.method && h.path.test(path);
    const queuedAt = queued.findIndex(matches);
    const entry = queuedAt >= 0 ? queued.splice(queuedAt, 1)[0] : handlers.find(matches);
    if (!entry) return new Response(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'no route' } }), { status: 404 });
    const reply = await entry.handler(request);
    if (reply instanceof Error) throw reply;
    const body = reply.body === undefined ? null : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    return new Response(reply.status === 204 ? null : body, { status: reply.status, headers: reply.headers ?? {} });
  };

  return {
    fetch: fetchImpl,
    requests,
    on,
    once: (method: string, path: RegExp, handler: Handler) => {
      queued.push({ method, path, handler });
    },
    tokenRequests: () => requests.filter((r) => r.url === '/connect/token'),
    xapiRequests: () => requests.filter((r) => r.url.startsWith('/xapi/v1/')),
  };
}

/** A JWT (unsigned: the adapter only reads `exp`) expiring at `expSeconds`. */
export function jwtExpiringAt(expSeconds: number): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ exp: expSeconds, sub: '900' })}.signature`;
}

/** A 3CX user as XAPI would return it without $select: secrets included. */
export function rawUser(id: number, number: string, extra: Record<string, unknown> = {}) {
  return {
    Id: id,
    Number: number,
    FirstName: 'Ada',
    LastName: 'Lovelace',
    DisplayName: 'Ada Lovelace',
    EmailAddress: `ada${number}@contoso.com`,
    Mobile: '+14255550100',
    OutboundCallerID: '',
    Enabled: true,
    AuthPassword: 'SIP-AUTH-PASSWORD-1',
    VMPIN: '9876',
    ...extra,
  };
}
