import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { z } from 'zod';
import { PasswordPolicy, passwordProblem, pinProblem } from './passwordRules';
import { BindingBody, CreateUserBody, RefreshBody, SignInBody, UpdateUserBody } from './userBodies';

export type { PasswordPolicy } from './passwordRules';

export interface SandboxPbxUser {
  id: string;
  name: string;
  email: string;
  display_name: string;
  enabled: boolean;
  role: string;
  extension_number: string;
  mobile_phone: string | null;
  work_phone: string | null;
  home_phone: string | null;
  address: string | null;
  department: string | null;
  created_at: string;
  ms365_binding: string | null;
  sync_type: string | null;
}

export interface PortSipSandboxOptions {
  port?: number;
  domain?: string;
  adminUsername?: string;
  adminPassword?: string;
  rateLimitPerMinute?: number;
  tokenTtlSeconds?: number;
  latencyMs?: number;
}

type HolderType = 'RING_GROUP' | 'CALL_QUEUE' | 'CONFERENCE_ROOM' | 'VIRTUAL_RECEPTIONIST';
interface Holder {
  id: string;
  name: string;
  extension_number: string;
  type: HolderType;
}
type Fault = { method?: string; path?: RegExp; status: number; retryAfter?: number };

const HOLDER_PATHS: Record<string, HolderType> = { '/api/ring_groups': 'RING_GROUP', '/api/call_queues': 'CALL_QUEUE', '/api/conference_rooms': 'CONFERENCE_ROOM', '/api/ivrs': 'VIRTUAL_RECEPTIONIST' };
const ROLES = ['SystemAdmin', 'Replicator', 'Dealer', 'Admin', 'StandardUser', 'StandardInternationalUser', 'QueueManager'];
const RESERVED = new Set(['admin', 'system', 'administrator', 'root']);
const SUMMARY_FIELDS = ['id', 'name', 'enabled', 'email', 'display_name', 'role', 'mobile_phone', 'work_phone', 'home_phone', 'address', 'department', 'extension_number', 'created_at', 'sync_type'] as const;

class HttpProblem extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly detail?: unknown) {
    super(message);
  }
}

/**
 * A PortSIP v22 PBX on localhost, per the official OpenAPI (only GET and POST; `{"errors":[…]}` bodies):
 * tenant-admin auth with expiring, refreshable tokens, users CRUD with PortSIP's validation rules, extension
 * numbers, Microsoft 365 binding, number holders, a rate limit answered with 429, and injected faults.
 */
export class PortSipSandbox {
  readonly baseUrl: string;
  readonly credentials: { username: string; password: string; domain: string };
  private readonly users = new Map<string, SandboxPbxUser>();
  private readonly byName = new Map<string, string>();
  private readonly byExtension = new Map<string, string>();
  private readonly holders = new Map<string, Holder>();
  private readonly accessTokens = new Map<string, number>();
  private readonly refreshTokens = new Set<string>();
  private policy: PasswordPolicy = { min_length: 8, max_length: 32, contains_letters: true, contains_numbers: true, contains_special_letters: true, disable_sequential_characters: true, disable_repeating_characters: true, disable_account_information: true };
  private nextId = 700551909773148160n;
  private readonly faultQueue: Fault[] = [];
  private bucket: { tokens: number; at: number };
  private latencyMs: number;

  readonly faults = {
    throttleNext: (count: number, retryAfterSeconds = 1) => {
      for (let i = 0; i < count; i += 1) this.faultQueue.push({ status: 429, retryAfter: retryAfterSeconds });
    },
    failNext: (count: number, status = 503) => {
      for (let i = 0; i < count; i += 1) this.faultQueue.push({ status });
    },
    failNextMatching: (method: string, pathRegex: RegExp, count: number, status = 503) => {
      for (let i = 0; i < count; i += 1) this.faultQueue.push({ method, path: pathRegex, status });
    },
    expireTokens: () => this.accessTokens.clear(),
    setLatency: (ms: number) => {
      this.latencyMs = ms;
    },
  };

  readonly stats = {
    requests: 0,
    writes: 0,
    throttled: 0,
    byRoute: {} as Record<string, number>,
    reset: () => {
      Object.assign(this.stats, { requests: 0, writes: 0, throttled: 0, byRoute: {} });
    },
  };

  private constructor(private readonly server: Server, private readonly options: PortSipSandboxOptions) {
    this.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    this.credentials = { username: options.adminUsername ?? 'syncadmin', password: options.adminPassword ?? 'Sandbox!Admin#2026', domain: options.domain ?? 'sandbox.pbx.local' };
    this.bucket = { tokens: this.capacity(), at: Date.now() };
    this.latencyMs = options.latencyMs ?? 0;
  }

  static async start(options: PortSipSandboxOptions = {}): Promise<PortSipSandbox> {
    let sandbox: PortSipSandbox | undefined;
    const server = createServer((req, res) => void sandbox!.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    sandbox = new PortSipSandbox(server, options);
    return sandbox;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  listUsers(): SandboxPbxUser[] {
    return [...this.users.values()].map((u) => ({ ...u }));
  }

  getUser(id: string): SandboxPbxUser | undefined {
    const u = this.users.get(id);
    return u && { ...u };
  }

  findByExtension(n: string): SandboxPbxUser | undefined {
    const id = this.byExtension.get(n);
    return id ? this.getUser(id) : undefined;
  }

  addUser(user: Partial<SandboxPbxUser> & { name: string; extension_number: string; email: string }): SandboxPbxUser {
    if (this.numberTaken(user.extension_number)) throw new Error(`extension ${user.extension_number} is in use`);
    const full: SandboxPbxUser = { id: this.newId(), display_name: user.name, enabled: true, role: 'StandardUser', mobile_phone: null, work_phone: null, home_phone: null, address: null, department: null, created_at: new Date().toISOString(), ms365_binding: null, sync_type: null, ...user };
    this.store(full);
    return { ...full };
  }

  addNumberHolder(extensionNumber: string, type: HolderType, name?: string): void {
    if (this.numberTaken(extensionNumber)) throw new Error(`extension ${extensionNumber} is in use`);
    this.holders.set(extensionNumber, { id: this.newId(), name: name ?? `${type.toLowerCase()} ${extensionNumber}`, extension_number: extensionNumber, type });
  }

  setPasswordPolicy(policy: Partial<PasswordPolicy>): void {
    this.policy = { ...this.policy, ...policy };
  }

  private newId(): string {
    this.nextId += 1n;
    return Buffer.from(this.nextId.toString()).toString('base64');
  }

  private store(user: SandboxPbxUser): void {
    this.users.set(user.id, user);
    this.byName.set(user.name.toLowerCase(), user.id);
    this.byExtension.set(user.extension_number, user.id);
  }

  private numberTaken(n: string): boolean {
    return this.byExtension.has(n) || this.holders.has(n);
  }

  private capacity(): number {
    return ((this.options.rateLimitPerMinute ?? 10_000) / 60) * 2;
  }

  /** Token bucket: PortSIP's `access_limit` (requests per minute). Its throttle answer is undocumented; we send 429 + Retry-After. */
  private takeRateToken(): number | undefined {
    const perMs = (this.options.rateLimitPerMinute ?? 10_000) / 60_000;
    const now = Date.now();
    this.bucket.tokens = Math.min(this.capacity(), this.bucket.tokens + (now - this.bucket.at) * perMs);
    this.bucket.at = now;
    if (this.bucket.tokens >= 1) {
      this.bucket.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - this.bucket.tokens) / perMs / 1000));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const method = req.method ?? 'GET';
    try {
      if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
      this.stats.requests += 1;
      const route = `${method} ${url.pathname.replace(/\/api\/(users|extension_numbers)\/[^/]+/, '/api/$1/{id}')}`;
      this.stats.byRoute[route] = (this.stats.byRoute[route] ?? 0) + 1;
      const wait = this.takeRateToken();
      if (wait !== undefined) {
        this.stats.throttled += 1;
        return this.send(res, 429, { errors: [{ code: 'TOO_MANY_REQUESTS', message: 'Rate limit exceeded' }] }, { 'retry-after': String(wait) });
      }
      const faultIndex = this.faultQueue.findIndex((f) => (!f.method || f.method === method) && (!f.path || f.path.test(url.pathname)));
      if (faultIndex >= 0) {
        const [fault] = this.faultQueue.splice(faultIndex, 1);
        if (fault!.status === 429) this.stats.throttled += 1;
        const code = fault!.status === 429 ? 'TOO_MANY_REQUESTS' : fault!.status >= 500 ? 'UNKNOWN' : 'VALIDATE_FAILED';
        return this.send(res, fault!.status, { errors: [{ code, message: 'Injected fault' }] }, fault!.retryAfter ? { 'retry-after': String(fault!.retryAfter) } : {});
      }
      const body = method === 'POST' ? await this.readJson(req) : undefined;
      const result = this.route(method, url, body, req.headers.authorization);
      this.send(res, result.status, result.body);
    } catch (err) {
      if (err instanceof HttpProblem) return this.send(res, err.status, { errors: [{ code: err.code, message: err.message, ...(err.detail === undefined ? {} : { detail: err.detail }) }] });
      this.send(res, 500, { errors: [{ code: 'UNKNOWN', message: err instanceof Error ? err.message : String(err) }] });
    }
  }

  private async readJson(req: IncomingMessage): Promise<unknown> {
    let text = '';
    for await (const chunk of req) text += chunk;
    if (!text) return {};
    try {
      return JSON.parse(text);
    } catch {
      throw new HttpProblem(400, 'VALIDATE_FAILED', 'The request body is not valid JSON');
    }
  }

  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (status === 204 || body === undefined) {
      res.writeHead(status, headers).end();
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }

  private parse<T extends z.ZodTypeAny>(schema: T, body: unknown): z.infer<T> {
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new HttpProblem(400, 'VALIDATE_FAILED', `${issue.path.join('.')}: ${issue.message}`, { field: issue.path.join('.') });
    }
    return parsed.data;
  }

  private authenticate(header: string | undefined): void {
    const token = header?.startsWith('Bearer ') ? header.slice(7) : undefined;
    const expires = token ? this.accessTokens.get(token) : undefined;
    if (!expires || expires < Date.now()) throw new HttpProblem(401, 'UNAUTHORIZED', 'Unauthorized');
  }

  private issueTokens(): { status: number; body: unknown } {
    const access = randomBytes(24).toString('base64url');
    const refresh = randomBytes(24).toString('base64url');
    const ttl = this.options.tokenTtlSeconds ?? 3600;
    this.accessTokens.set(access, Date.now() + ttl * 1000);
    this.refreshTokens.add(refresh);
    return { status: 200, body: { token_type: 'Bearer', access_token: access, refresh_token: refresh, expires_in: ttl } };
  }

  private route(method: string, url: URL, body: unknown, authorization: string | undefined): { status: number; body?: unknown } {
    const path = url.pathname;
    if (method === 'POST' && path === '/api/auth/sign_in') {
      const b = this.parse(SignInBody, body);
      const c = this.credentials;
      if (b.username !== c.username || b.password !== c.password || b.domain !== c.domain) throw new HttpProblem(400, 'UNAUTHORIZED', 'Login failed, authentication error');
      return this.issueTokens();
    }
    if (method === 'POST' && path === '/api/auth/refresh_token') {
      const b = this.parse(RefreshBody, body);
      if (!this.refreshTokens.delete(b.refresh_token)) throw new HttpProblem(400, 'UNAUTHORIZED', 'Invalid refresh token');
      return this.issueTokens();
    }
    this.authenticate(authorization);
    if (method === 'GET' && path === '/api/tenant/password_policy') return { status: 200, body: this.policy };
    if (method === 'GET' && path === '/api/roles') return { status: 200, body: { count: ROLES.length, items: ROLES.map((name) => ({ name, description: `${name} role` })) } };
    if (method === 'GET' && path === '/api/users') return this.listUsersRoute(url);
    if (method === 'POST' && path === '/api/users') return this.createUser(body);
    if (method === 'GET' && HOLDER_PATHS[path]) return this.page([...this.holders.values()].filter((h) => h.type === HOLDER_PATHS[path]), url, (h) => h);
    const ext = /^\/api\/extension_numbers\/([^/]+)$/.exec(path);
    if (method === 'GET' && ext) return this.extensionNumber(decodeURIComponent(ext[1]!));
    const m = /^\/api\/users\/([^/]+)(\/destroy|\/ms365_binding|\/ms365_binding\/destroy)?$/.exec(path);
    if (m) {
      const user = this.users.get(decodeURIComponent(m[1]!));
      if (!user) throw new HttpProblem(404, 'NOT_FOUND', 'The user does not exist');
      if (method === 'GET' && !m[2]) return { status: 200, body: { ...user } };
      if (method === 'POST' && !m[2]) return this.updateUser(user, body);
      if (method === 'POST' && m[2] === '/destroy') {
        this.users.delete(user.id);
        this.byName.delete(user.name.toLowerCase());
        this.byExtension.delete(user.extension_number);
        this.stats.writes += 1;
        return { status: 204 };
      }
      if (method === 'POST' && m[2] === '/ms365_binding') {
        user.ms365_binding = this.parse(BindingBody, body).id;
        this.stats.writes += 1;
        return { status: 200 };
      }
      if (method === 'POST' && m[2] === '/ms365_binding/destroy') {
        user.ms365_binding = null;
        this.stats.writes += 1;
        return { status: 204 };
      }
    }
    throw new HttpProblem(404, 'NOT_FOUND', `No route ${method} ${path}`);
  }

  private page<T, R>(items: T[], url: URL, map: (item: T) => R): { status: number; body: unknown } {
    const top = Number(url.searchParams.get('top') ?? 100);
    const skip = Number(url.searchParams.get('skip') ?? 0);
    if (!Number.isInteger(top) || top < 1 || top > 100) throw new HttpProblem(400, 'VALIDATE_FAILED', 'top must be between 1 and 100', { field: 'top' });
    // The spec says skip ≥ 0 (0-based); the prose calls it 1-based (⚠ reference/portsip.md §0). We follow the spec.
    if (!Number.isInteger(skip) || skip < 0) throw new HttpProblem(400, 'VALIDATE_FAILED', 'skip must be ≥ 0', { field: 'skip' });
    return { status: 200, body: { count: items.length, items: items.slice(skip, skip + top).map(map) } };
  }

  private listUsersRoute(url: URL): { status: number; body: unknown } {
    let users = [...this.users.values()];
    const filter = url.searchParams.get('filter');
    if (filter) {
      const f = /^(email|extension_number|name) eq '([^']*)'$/.exec(filter.trim());
      if (!f) throw new HttpProblem(400, 'VALIDATE_FAILED', 'Unsupported filter', { field: 'filter' });
      const value = f[2]!.toLowerCase();
      users = users.filter((u) => String(u[f[1] as 'email' | 'extension_number' | 'name']).toLowerCase() === value);
    }
    return this.page(users, url, (u) => Object.fromEntries(SUMMARY_FIELDS.map((k) => [k, u[k]])));
  }

  private extensionNumber(n: string): { status: number; body: unknown } {
    const user = this.findByExtension(n);
    if (user) return { status: 200, body: { id: user.id, extension_number: n, name: user.name, type: 'EXTENSION' } };
    const holder = this.holders.get(n);
    if (holder) return { status: 200, body: { id: holder.id, extension_number: n, name: holder.name, type: holder.type } };
    throw new HttpProblem(404, 'NOT_FOUND', 'The extension number does not exist');
  }

  private createUser(body: unknown): { status: number; body: unknown } {
    const b = this.parse(CreateUserBody, body);
    const fail = (field: string, message: string) => new HttpProblem(400, 'VALIDATE_FAILED', message, { field });
    if (RESERVED.has(b.name.toLowerCase())) throw fail('name', `The name ${b.name} is reserved`);
    if (this.byName.has(b.name.toLowerCase())) throw fail('name', `The name ${b.name} is already in use`);
    if (this.numberTaken(b.extension_number)) throw fail('extension_number', `The extension number ${b.extension_number} is already in use`);
    if (!ROLES.includes(b.role)) throw fail('role', `The role ${b.role} does not exist`);
    const pw = passwordProblem(b.password, this.policy, b.name);
    if (pw) throw fail('password', `password ${pw}`);
    const sip = passwordProblem(b.extension_password, this.policy, b.name);
    if (sip) throw fail('extension_password', `extension_password ${sip}`);
    const pin = pinProblem(b.voicemail_pin);
    if (pin) throw fail('voicemail_pin', `voicemail_pin ${pin}`);
    const user: SandboxPbxUser = {
      id: this.newId(),
      name: b.name,
      email: b.email, // ⚠ whether PortSIP refuses duplicate emails is undocumented; the sandbox allows them
      display_name: b.display_name,
      enabled: b.enabled ?? true,
      role: b.role,
      extension_number: b.extension_number,
      mobile_phone: b.mobile_phone || null,
      work_phone: b.work_phone || null,
      home_phone: b.home_phone || null,
      address: b.address || null,
      department: b.department || null,
      created_at: new Date().toISOString(),
      ms365_binding: null,
      sync_type: null,
    };
    this.store(user);
    this.stats.writes += 1;
    return { status: 201, body: { id: user.id } };
  }

  private updateUser(user: SandboxPbxUser, body: unknown): { status: number } {
    const b = this.parse(UpdateUserBody, body);
    const target = user as unknown as Record<string, unknown>;
    for (const key of ['email', 'display_name', 'enabled', 'mobile_phone', 'work_phone', 'home_phone', 'address', 'department'] as const) {
      if (!(key in b)) continue;
      const value = b[key];
      target[key] = value === '' ? null : value;
    }
    this.stats.writes += 1;
    return { status: 200 };
  }
}
