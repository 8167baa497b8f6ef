import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { ChangeTracker } from './ChangeTracker';
import { DEFAULT_USER_PROPERTIES, SandboxGroup, SandboxUser } from './SandboxUser';
import { sendGraphError, sendJson } from './graphErrors';
import { handleControlRequest } from './sandboxControlRoutes';

export type { SandboxGroup, SandboxUser } from './SandboxUser';

export interface GraphSandboxOptions {
  port?: number;
  token?: string;
  pageSize?: number;
  latencyMs?: number;
}

interface Round {
  ids: string[];
  offset: number;
  select: string[];
  since: number | null;
  startSeq: number;
  serial: number;
}

interface DeltaToken {
  startSeq: number;
  select: string[];
  serial: number;
}

type Fault = { kind: 'throttle'; retryAfter: number } | { kind: 'fail'; status: number };

/**
 * A Microsoft Graph tenant on localhost for tests, benchmarks and `npm start`: users delta with paging,
 * opaque tokens, `$select`, `@removed`, expired tokens (400 syncStateNotFound / 410 + Location), group
 * membership, users by id, and injected 429 / 5xx.
 */
export class GraphSandbox {
  readonly baseUrl: string;
  readonly token: string;
  private readonly tracker = new ChangeTracker();
  private readonly groups = new Map<string, SandboxGroup>();
  private readonly rounds = new Map<string, Round>();
  private readonly deltaTokens = new Map<string, DeltaToken>();
  private serial = 0;
  private expiry = { upTo: 0, kind: 'syncStateNotFound' as 'syncStateNotFound' | 'gone' };
  private readonly pendingFaults: Fault[] = [];
  private latencyMs: number;
  private readonly pageSize: number;

  readonly faults = {
    throttleNext: (count: number, retryAfterSeconds = 1) => {
      for (let i = 0; i < count; i += 1) this.pendingFaults.push({ kind: 'throttle', retryAfter: retryAfterSeconds });
    },
    failNext: (count: number, status = 503) => {
      for (let i = 0; i < count; i += 1) this.pendingFaults.push({ kind: 'fail', status });
    },
    expireDeltaTokens: (kind: 'syncStateNotFound' | 'gone') => {
      this.expiry = { upTo: this.serial, kind };
    },
    setLatency: (ms: number) => {
      this.latencyMs = ms;
    },
  };

  readonly stats = {
    requests: 0,
    byRoute: {} as Record<string, number>,
    reset: () => {
      this.stats.requests = 0;
      this.stats.byRoute = {};
    },
  };

  private constructor(private readonly server: Server, options: GraphSandboxOptions) {
    const port = (server.address() as AddressInfo).port;
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.token = options.token ?? 'sandbox-graph-token';
    this.pageSize = options.pageSize ?? 200;
    this.latencyMs = options.latencyMs ?? 0;
  }

  static async start(options: GraphSandboxOptions = {}): Promise<GraphSandbox> {
    let sandbox: GraphSandbox | undefined;
    const server = createServer((req, res) => {
      sandbox!.handle(req, res).catch((err: unknown) => sendGraphError(res, 500, 'generalException', err instanceof Error ? err.message : String(err)));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    sandbox = new GraphSandbox(server, options);
    return sandbox;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  seed(users: SandboxUser[], groups: SandboxGroup[] = []): void {
    this.tracker.reset(users);
    this.groups.clear();
    for (const g of groups) this.groups.set(g.id, { ...g, memberIds: [...g.memberIds] });
    this.rounds.clear();
    this.deltaTokens.clear();
  }

  addUser(user: SandboxUser): void {
    if (this.tracker.find(user.id)) throw new Error(`user ${user.id} exists`);
    this.tracker.add(user);
  }

  updateUser(id: string, patch: Partial<Omit<SandboxUser, 'id'>>): void {
    this.tracker.update(id, patch);
  }

  softDeleteUser(id: string): void {
    this.tracker.remove(id, 'changed');
  }

  restoreUser(id: string): void {
    this.tracker.restore(id);
  }

  hardDeleteUser(id: string): void {
    this.tracker.remove(id, 'deleted');
  }

  addGroup(group: SandboxGroup): void {
    this.groups.set(group.id, { ...group, memberIds: [...group.memberIds] });
  }

  setGroupMembers(groupId: string, memberIds: string[]): void {
    const group = this.groups.get(groupId);
    if (!group) throw new Error(`no group ${groupId}`);
    group.memberIds = [...memberIds];
  }

  listUsers(): SandboxUser[] {
    return this.tracker.liveUsers().map((u) => ({ ...u }));
  }

  getUser(id: string): SandboxUser | undefined {
    const t = this.tracker.find(id);
    return t && !t.removed ? { ...t.user } : undefined;
  }

  private newToken(): string {
    return randomBytes(18).toString('base64url');
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    if (url.pathname.startsWith('/_sandbox/')) return handleControlRequest(this, req, res, url);
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
    const route = this.routeName(req.method ?? 'GET', url.pathname);
    this.stats.requests += 1;
    this.stats.byRoute[route] = (this.stats.byRoute[route] ?? 0) + 1;
    if (req.headers.authorization !== `Bearer ${this.token}`) {
      return sendGraphError(res, 401, 'InvalidAuthenticationToken', 'Access token is empty or invalid.');
    }
    const fault = this.pendingFaults.shift();
    if (fault?.kind === 'throttle') return sendGraphError(res, 429, 'TooManyRequests', 'Too many requests.', { 'Retry-After': String(fault.retryAfter) });
    if (fault?.kind === 'fail') return sendGraphError(res, fault.status, 'serviceNotAvailable', 'Service unavailable.', { 'Retry-After': '1' });
    if (req.method !== 'GET') return sendGraphError(res, 405, 'Request_BadRequest', 'Only GET is supported by the sandbox.');

    const path = url.pathname.replace(/^\/v1\.0/, '');
    if (path === '/users/delta' || path === '/users/microsoft.graph.delta') return this.usersDelta(url, res);
    const userMatch = /^\/users\/([^/]+)$/.exec(path);
    if (userMatch) return this.userById(decodeURIComponent(userMatch[1]!), url, res);
    const membersMatch = /^\/groups\/([^/]+)\/(transitiveMembers|members)\/microsoft\.graph\.user$/.exec(path);
    if (membersMatch) return this.groupMembers(decodeURIComponent(membersMatch[1]!), membersMatch[2] === 'transitiveMembers', url, res);
    return sendGraphError(res, 400, 'BadRequest', `Resource not found for the segment '${path}'.`);
  }

  private routeName(method: string, pathname: string): string {
    const path = pathname.replace(/^\/v1\.0/, '').replace(/\/microsoft\.graph\.delta$/, '/delta');
    if (path === '/users/delta') return `${method} /users/delta`;
    if (/^\/users\/[^/]+$/.test(path)) return `${method} /users/{id}`;
    if (/^\/groups\//.test(path)) return `${method} /groups/{id}/members`;
    return `${method} ${path}`;
  }

  private parseSelect(url: URL): string[] {
    const raw = url.searchParams.get('$select');
    const props = raw ? raw.split(',').map((s) => s.trim()).filter(Boolean) : DEFAULT_USER_PROPERTIES;
    return props.includes('id') ? props : ['id', ...props];
  }

  private project(user: SandboxUser, select: string[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const p of select) {
      const value = (user as unknown as Record<string, unknown>)[p];
      if (value !== undefined) out[p] = value;
    }
    return out;
  }

  private expired(serial: number): boolean {
    return serial <= this.expiry.upTo;
  }

  private sendExpired(res: ServerResponse, select: string[]): void {
    if (this.expiry.kind === 'gone') {
      res.writeHead(410, { 'content-type': 'application/json', location: `${this.baseUrl}/v1.0/users/delta?$select=${select.join(',')}` });
      res.end(JSON.stringify({ error: { code: 'resyncRequired', message: 'Resync required.' } }));
      return;
    }
    sendGraphError(res, 400, 'syncStateNotFound', 'The sync state generation is not found or has expired.');
  }

  private usersDelta(url: URL, res: ServerResponse): void {
    const skip = url.searchParams.get('$skiptoken');
    const delta = url.searchParams.get('$deltatoken');
    let round: Round | undefined;
    let key: string;
    if (skip) {
      round = this.rounds.get(skip);
      if (!round) return sendGraphError(res, 400, 'syncStateNotFound', 'Unknown skip token.');
      if (this.expired(round.serial)) return this.sendExpired(res, round.select);
      this.rounds.delete(skip);
    } else if (delta === 'latest') {
      const select = this.parseSelect(url);
      const token = this.newToken();
      this.deltaTokens.set(token, { startSeq: this.tracker.sequence, select, serial: ++this.serial });
      return sendJson(res, 200, { '@odata.context': `${this.baseUrl}/v1.0/$metadata#users`, value: [], '@odata.deltaLink': `${this.baseUrl}/v1.0/users/delta?$deltatoken=${token}` });
    } else if (delta) {
      const token = this.deltaTokens.get(delta);
      if (!token) return sendGraphError(res, 400, 'syncStateNotFound', 'Unknown delta token.');
      if (this.expired(token.serial)) return this.sendExpired(res, token.select);
      round = { ids: this.tracker.idsForRound(token.startSeq, token.select), offset: 0, select: token.select, since: token.startSeq, startSeq: this.tracker.sequence, serial: ++this.serial };
    } else {
      const select = this.parseSelect(url);
      round = { ids: this.tracker.idsForRound(null, select), offset: 0, select, since: null, startSeq: this.tracker.sequence, serial: ++this.serial };
    }
    const slice = round.ids.slice(round.offset, round.offset + this.pageSize);
    const value = slice.map((id) => {
      const t = this.tracker.find(id)!;
      return t.removed ? { id, '@removed': { reason: t.removed.reason } } : this.project(t.user, round!.select);
    });
    const body: Record<string, unknown> = { '@odata.context': `${this.baseUrl}/v1.0/$metadata#users(${round.select.join(',')})`, value };
    const offset = round.offset + slice.length;
    if (offset < round.ids.length) {
      key = this.newToken();
      this.rounds.set(key, { ...round, offset, serial: ++this.serial });
      body['@odata.nextLink'] = `${this.baseUrl}/v1.0/users/delta?$skiptoken=${key}`;
    } else {
      key = this.newToken();
      this.deltaTokens.set(key, { startSeq: round.startSeq, select: round.select, serial: ++this.serial });
      body['@odata.deltaLink'] = `${this.baseUrl}/v1.0/users/delta?$deltatoken=${key}`;
    }
    sendJson(res, 200, body);
  }

  private userById(id: string, url: URL, res: ServerResponse): void {
    const user = this.getUser(id) ?? this.tracker.liveUsers().find((u) => u.userPrincipalName.toLowerCase() === id.toLowerCase());
    if (!user) return sendGraphError(res, 404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
    sendJson(res, 200, { '@odata.context': `${this.baseUrl}/v1.0/$metadata#users/$entity`, ...this.project(user, this.parseSelect(url)) });
  }

  private memberIds(groupId: string, transitive: boolean, seen = new Set<string>()): string[] {
    const group = this.groups.get(groupId)!;
    const out: string[] = [];
    for (const id of group.memberIds) {
      if (this.groups.has(id)) {
        if (transitive && !seen.has(id)) {
          seen.add(id);
          out.push(...this.memberIds(id, true, seen));
        }
      } else if (this.getUser(id)) out.push(id);
    }
    return [...new Set(out)];
  }

  private groupMembers(groupId: string, transitive: boolean, url: URL, res: ServerResponse): void {
    if (!this.groups.has(groupId)) return sendGraphError(res, 404, 'Request_ResourceNotFound', `Resource '${groupId}' does not exist.`);
    const top = Math.min(999, Math.max(1, Number(url.searchParams.get('$top') ?? 100) || 100));
    const offset = Number(url.searchParams.get('$skiptoken') ?? 0) || 0;
    const ids = this.memberIds(groupId, transitive);
    const value = ids.slice(offset, offset + top).map((id) => ({ '@odata.type': '#microsoft.graph.user', id }));
    const body: Record<string, unknown> = { value };
    if (offset + top < ids.length) body['@odata.nextLink'] = `${this.baseUrl}${url.pathname}?$select=id&$top=${top}&$skiptoken=${offset + top}`;
    sendJson(res, 200, body);
  }
}
