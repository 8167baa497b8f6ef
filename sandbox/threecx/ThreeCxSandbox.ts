import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { TokenBucket } from '../portsip/TokenBucket';
import { AccessTokens } from './AccessTokens';
import { contactRoutes } from './contactRoutes';
import { directoryRoutes } from './directoryRoutes';
import { seedMessy } from './messySeed';
import { type NonUserDnType, PbxDirectory, type SimContact, type SimUser, type UserRecord } from './PbxDirectory';
import { probeRoutes } from './probeRoutes';
import { parseForm, parseJson, readRequestBody } from './readRequestBody';
import { userRoutes } from './userRoutes';
import { XapiError } from './XapiError';
import { type XapiAnswer, type XapiContext, type XapiRoute } from './XapiRoute';

export type { NonUserDnType, SimContact, SimUser } from './PbxDirectory';

export interface ThreeCxSandboxOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** ENL: the length of every extension number; default 3. */
  extensionLength?: number;
  /** SystemStatus.Version; default '20.0.10.818'. */
  version?: string;
  /** Defs/Pbx.GetLicenseParameters() IsEnterprise; default true (XAPI needs Enterprise). */
  enterprise?: boolean;
  /** The unit of the token's `expires_in`: seconds since 20.0.9, minutes before; default 'seconds'. */
  expiresInUnit?: 'seconds' | 'minutes';
  /** Default 3600 (3CX documents 60 minutes). */
  tokenLifetimeSeconds?: number;
  /** Default true: issuing a token revokes the previous one, whose requests then get 401 with an empty body. */
  singleActiveToken?: boolean;
  /** Default 'messy': users, DNs and contacts with the oddities an adapter must survive; 'empty' has only DEFAULT. */
  seed?: 'messy' | 'empty';
  /** Added before every answer; default 0. */
  latencyMs?: number;
  /** The clock for token expiry; default Date.now. */
  now?: () => number;
  /**
   * Requests per minute over which XAPI answers 429; default unlimited. ⚠ 3CX documents no rate limit and none
   * has been seen live (AntiHackingSettings may blacklist a bursty IP instead); this exists to test back-off.
   */
  rateLimitPerMinute?: number;
}

export interface ThreeCxFaults {
  /** The next `count` authenticated XAPI requests get 429 with this Retry-After (default 1 s) and change nothing. */
  throttleNext(count: number, retryAfterSeconds?: number): void;
  /** The next `count` authenticated XAPI requests fail with `status` (default 503) and change nothing. */
  failNext(count: number, status?: number): void;
  setLatency(ms: number): void;
}

/** What the sandbox has served since the last reset. */
export interface ThreeCxStats {
  requests: number;
  /** Requests per route, e.g. 'GET /Users({key})', 'POST /connect/token'. */
  byRoute: Record<string, number>;
  tokensIssued: number;
  /** Successful creates, updates and deletes. */
  writes: number;
  reset(): void;
}

const XAPI = '/xapi/v1';

function copyUser(user: UserRecord): SimUser {
  return {
    id: user.id,
    number: user.number,
    firstName: user.firstName,
    lastName: user.lastName,
    displayName: user.displayName,
    email: user.email,
    mobile: user.mobile,
    outboundCallerId: user.outboundCallerId,
    enabled: user.enabled,
    tags: [...user.tags],
    primaryGroupId: user.primaryGroupId,
  };
}

function send(res: ServerResponse, answer: XapiAnswer): void {
  if (answer.body === undefined) {
    res.writeHead(answer.status, answer.headers ?? {}).end();
    return;
  }
  res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', ...answer.headers });
  res.end(JSON.stringify(answer.body));
}

function decodePath(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}

/**
 * A 3CX V20 PBX on 127.0.0.1 speaking the Configuration API (XAPI, OData) for what user and phonebook sync need:
 * client-credentials tokens with the one-active-token rule, users with 3CX's number rules, every DN through Peers,
 * departments, company contacts, the version/licence/ENL/native-M365 probes, and injected faults. Behaviour comes
 * from 3CX's official OpenAPI (20.0.10) and reference/3cx-xapi-notes.md; what those leave open is marked ⚠.
 */
export class ThreeCxSandbox {
  readonly baseUrl: string;
  readonly credentials: { clientId: string; clientSecret: string } = { clientId: '900', clientSecret: 'sandbox-3cx-client-secret' };
  readonly stats: ThreeCxStats;
  readonly faults: ThreeCxFaults;
  private readonly directory: PbxDirectory;
  private readonly settings: XapiContext['settings'];
  private readonly tokens: AccessTokens;
  private readonly routes: XapiRoute[];
  private readonly pending: Array<{ status: number; retryAfterSeconds?: number }> = [];
  private readonly bucket: TokenBucket | undefined;
  private readonly expiresInMinutes: boolean;
  private latencyMs: number;

  private constructor(
    private readonly server: Server,
    options: ThreeCxSandboxOptions,
  ) {
    this.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const now = options.now ?? Date.now;
    this.directory = new PbxDirectory(options.extensionLength ?? 3);
    // The API client's ID is also a DN (3CX docs), so its number is taken like any other.
    this.directory.addOtherDn(this.credentials.clientId, 'ApiClient', 'Connector API client');
    if ((options.seed ?? 'messy') === 'messy') seedMessy(this.directory);
    this.settings = { version: options.version ?? '20.0.10.818', enterprise: options.enterprise ?? true };
    this.tokens = new AccessTokens(options.tokenLifetimeSeconds ?? 3600, options.singleActiveToken ?? true, now);
    this.expiresInMinutes = options.expiresInUnit === 'minutes';
    this.bucket = options.rateLimitPerMinute === undefined ? undefined : new TokenBucket(options.rateLimitPerMinute, now);
    this.latencyMs = options.latencyMs ?? 0;
    const context: XapiContext = { baseUrl: this.baseUrl, directory: this.directory, settings: this.settings };
    this.routes = [...userRoutes(context), ...contactRoutes(context), ...directoryRoutes(context), ...probeRoutes(context)];
    const stats: ThreeCxStats = {
      requests: 0,
      byRoute: {},
      tokensIssued: 0,
      writes: 0,
      reset: () => {
        stats.requests = 0;
        stats.byRoute = {};
        stats.tokensIssued = 0;
        stats.writes = 0;
      },
    };
    this.stats = stats;
    this.faults = {
      throttleNext: (count, retryAfterSeconds = 1) => {
        for (let i = 0; i < count; i += 1) this.pending.push({ status: 429, retryAfterSeconds });
      },
      failNext: (count, status = 503) => {
        for (let i = 0; i < count; i += 1) this.pending.push({ status });
      },
      setLatency: (ms) => {
        this.latencyMs = ms;
      },
    };
  }

  static async start(options: ThreeCxSandboxOptions = {}): Promise<ThreeCxSandbox> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    const sandbox = new ThreeCxSandbox(server, options);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      sandbox.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent)
          send(res, { status: 500, body: { error: { code: '', message: err instanceof Error ? err.message : String(err) } } });
      });
    });
    return sandbox;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Every user (extension) in Id order (copies, without credentials). */
  users(): SimUser[] {
    return [...this.directory.users.values()].sort((a, b) => a.id - b.id).map(copyUser);
  }

  userByNumber(number: string): SimUser | undefined {
    const user = this.directory.userByNumber(number);
    return user && copyUser(user);
  }

  /** The company phonebook (copies), in Id order. */
  contacts(): SimContact[] {
    return [...this.directory.contacts.values()].sort((a, b) => a.Id - b.Id).map((c) => ({ ...c }));
  }

  /** A ring group, queue, IVR, fax or parking DN an administrator made: its number is then taken for users. */
  addNonUserDn(number: string, type: NonUserDnType, name: string): void {
    this.directory.addOtherDn(number, type, name);
  }

  /** Turns 3CX's own Microsoft 365 user sync (Microsoft365Integration AdUsers.IsEnabled) on or off. */
  setNativeM365Sync(enabled: boolean): void {
    this.directory.nativeM365Sync = enabled;
  }

  setVersion(version: string): void {
    this.settings.version = version;
  }

  setEnterprise(enterprise: boolean): void {
    this.settings.enterprise = enterprise;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', this.baseUrl);
    const body = await readRequestBody(req);
    this.stats.requests += 1;
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    let answer: XapiAnswer;
    try {
      answer = this.answer(method, url, req, body);
    } catch (err) {
      answer =
        err instanceof XapiError
          ? { status: err.status, body: err.body() }
          : { status: 500, body: { error: { code: '', message: err instanceof Error ? err.message : String(err) } } };
    }
    send(res, answer);
  }

  private count(routeName: string): void {
    this.stats.byRoute[routeName] = (this.stats.byRoute[routeName] ?? 0) + 1;
  }

  /** Token endpoint; else XAPI: authentication (401, empty body), rate limit, injected faults, then the route. */
  private answer(method: string, url: URL, req: IncomingMessage, body: { text: string; tooLarge: boolean }): XapiAnswer {
    if (url.pathname === '/connect/token') {
      this.count(`${method} /connect/token`);
      if (method !== 'POST') throw new XapiError(405, `${method} is not allowed on /connect/token.`);
      return this.issueToken(req.headers['content-type'], body.text);
    }
    if (url.pathname !== XAPI && !url.pathname.startsWith(`${XAPI}/`)) {
      this.count(`${method} (no route)`);
      throw new XapiError(404, `No resource at ${url.pathname}.`);
    }
    const path = decodePath(url.pathname.slice(XAPI.length));
    const candidates = this.routes.filter((r) => r.pattern.test(path));
    const route = candidates.find((r) => r.method === method);
    this.count(route ? route.name : `${method} (no route)`);
    // The auth middleware runs before OData routing and answers 401 with no body at all.
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!bearer || !this.tokens.isValid(bearer)) return { status: 401 };
    const wait = this.bucket?.take();
    if (wait !== undefined)
      return { status: 429, body: new XapiError(429, 'Too many requests.').body(), headers: { 'retry-after': String(wait) } };
    const fault = this.pending.shift();
    if (fault) {
      const headers: Record<string, string> =
        fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
      return { status: fault.status, body: new XapiError(fault.status, `Injected fault (${fault.status}).`).body(), headers };
    }
    if (!route) {
      if (candidates.length > 0) throw new XapiError(405, `${method} is not allowed on ${path}.`);
      throw new XapiError(404, `No resource at ${url.pathname}.`);
    }
    const key = route.pattern.exec(path)?.[1];
    const answer = route.handle({ query: url.searchParams, key, body: () => parseJson(body) });
    if (route.write && answer.status < 300) this.stats.writes += 1;
    return answer;
  }

  /** `POST /connect/token` with the client-credentials grant; failures use OAuth's `{error, error_description}`. */
  private issueToken(contentType: string | undefined, text: string): XapiAnswer {
    const form = parseForm(contentType, text);
    const oauthError = (status: number, error: string, description: string): XapiAnswer => ({
      status,
      body: { error, error_description: description },
    });
    if (!form)
      return oauthError(400, 'invalid_request', 'The token request must be application/x-www-form-urlencoded or multipart/form-data.');
    if (form.get('grant_type') !== 'client_credentials')
      return oauthError(400, 'unsupported_grant_type', 'The sandbox supports only grant_type=client_credentials.');
    if (form.get('client_id') !== this.credentials.clientId || form.get('client_secret') !== this.credentials.clientSecret)
      return oauthError(401, 'invalid_client', 'The client_id or client_secret is not valid.');
    const issued = this.tokens.issue(this.credentials.clientId);
    this.stats.tokensIssued += 1;
    // ⚠ Before 20.0.9 expires_in was in minutes (TUT commit history); rounding of a non-whole minute is unverified.
    const expiresIn = this.expiresInMinutes ? Math.round(issued.lifetimeSeconds / 60) : issued.lifetimeSeconds;
    return {
      status: 200,
      body: { token_type: 'Bearer', expires_in: expiresIn, access_token: issued.token, refresh_token: null },
      headers: { 'cache-control': 'no-store' },
    };
  }
}
