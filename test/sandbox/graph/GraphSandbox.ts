import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { BoundedMap } from './BoundedMap';
import { ChangeTracker } from './ChangeTracker';
import { DeltaExpiryKind, DeltaRounds } from './DeltaRounds';
import { copyUser, SandboxGroup, SandboxUser } from './SandboxUser';
import { groupMemberUserIds } from './groupMemberUserIds';
import { graphRouteName } from './graphRouteName';
import { sendGraphError, sendJson } from './graphErrors';
import { handleControlRequest } from './sandboxControlRoutes';
import { SandboxNotFoundError } from './sandboxErrors';
import { projectUser, selectedProperties } from './userProjection';

export type { SandboxGroup, SandboxUser } from './SandboxUser';

export interface GraphSandboxOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  token?: string;
  /** Users per delta page. */
  pageSize?: number;
  latencyMs?: number;
}

type Fault = { kind: 'throttle'; retryAfter: number } | { kind: 'fail'; status: number };

interface MemberCursor {
  ids: string[];
  offset: number;
  top: number;
}

/**
 * A Microsoft Graph tenant on localhost for tests, benchmarks and `npm start`: users delta with paging,
 * opaque tokens, `$select`, `@removed`, expired tokens (400 syncStateNotFound / 410 + Location), group
 * membership, users by id, and injected 429 / 5xx.
 */
export class GraphSandbox {
  readonly baseUrl: string;
  readonly token: string;
  private readonly tracker = new ChangeTracker();
  private readonly delta: DeltaRounds;
  private readonly groups = new Map<string, SandboxGroup>();
  private readonly memberCursors = new BoundedMap<string, MemberCursor>(10_000);
  private readonly pendingFaults: Fault[] = [];
  private latencyMs: number;

  readonly faults = {
    throttleNext: (count: number, retryAfterSeconds = 1): void => {
      for (let i = 0; i < count; i += 1) this.pendingFaults.push({ kind: 'throttle', retryAfter: retryAfterSeconds });
    },
    failNext: (count: number, status = 503): void => {
      for (let i = 0; i < count; i += 1) this.pendingFaults.push({ kind: 'fail', status });
    },
    expireDeltaTokens: (kind: DeltaExpiryKind): void => this.delta.expireIssuedTokens(kind),
    setLatency: (ms: number): void => {
      this.latencyMs = ms;
    },
  };

  readonly stats = {
    requests: 0,
    byRoute: {} as Record<string, number>,
    reset: (): void => {
      this.stats.requests = 0;
      this.stats.byRoute = {};
    },
  };

  private constructor(private readonly server: Server, options: GraphSandboxOptions) {
    this.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    this.token = options.token ?? 'sandbox-graph-token';
    this.latencyMs = options.latencyMs ?? 0;
    this.delta = new DeltaRounds(this.tracker, options.pageSize ?? 200);
  }

  static async start(options: GraphSandboxOptions = {}): Promise<GraphSandbox> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    const sandbox = new GraphSandbox(server, options);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      sandbox.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) sendGraphError(res, 500, 'generalException', err instanceof Error ? err.message : String(err));
      });
    });
    return sandbox;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  seed(users: SandboxUser[], groups: SandboxGroup[] = []): void {
    this.tracker.reset(users);
    this.delta.reset();
    this.groups.clear();
    this.memberCursors.clear();
    for (const g of groups) this.addGroup(g);
  }

  addUser(user: SandboxUser): void {
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
    if (!group) throw new SandboxNotFoundError(`no group ${groupId}`);
    group.memberIds = [...memberIds];
  }

  listUsers(): SandboxUser[] {
    return this.tracker.liveUsers().map(copyUser);
  }

  getUser(id: string): SandboxUser | undefined {
    const t = this.tracker.find(id);
    return t && !t.removed ? copyUser(t.user) : undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    if (url.pathname.startsWith('/_sandbox/')) return handleControlRequest(this, req, res, url);
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
    const method = req.method ?? 'GET';
    const route = graphRouteName(method, url.pathname);
    this.stats.requests += 1;
    this.stats.byRoute[route] = (this.stats.byRoute[route] ?? 0) + 1;
    if (req.headers.authorization !== `Bearer ${this.token}`) {
      return sendGraphError(res, 401, 'InvalidAuthenticationToken', 'Access token is empty or invalid.');
    }
    // A faulted request is answered before routing, so it changes nothing (as with a real 429/503).
    const fault = this.pendingFaults.shift();
    if (fault?.kind === 'throttle') {
      return sendGraphError(res, 429, 'TooManyRequests', 'Too many requests. Retry after the given interval.', { 'Retry-After': String(fault.retryAfter) });
    }
    if (fault?.kind === 'fail') return sendGraphError(res, fault.status, 'serviceNotAvailable', 'The service is temporarily unavailable.', { 'Retry-After': '1' });
    if (method !== 'GET') return sendGraphError(res, 405, 'Request_BadRequest', 'The sandbox only serves GET on Graph routes.');

    const path = url.pathname.replace(/^\/v1\.0/, '');
    if (path === '/users/delta' || path === '/users/microsoft.graph.delta') return this.usersDelta(url, res);
    const userMatch = /^\/users\/([^/]+)$/.exec(path);
    if (userMatch) return this.userById(decodeURIComponent(userMatch[1]!), url, res);
    const membersMatch = /^\/groups\/([^/]+)\/(transitiveMembers|members)\/microsoft\.graph\.user$/.exec(path);
    if (membersMatch) return this.groupMembers(decodeURIComponent(membersMatch[1]!), membersMatch[2] === 'transitiveMembers', url, res);
    return sendGraphError(res, 400, 'BadRequest', `Resource not found for the segment '${path}'.`);
  }

  private usersDelta(url: URL, res: ServerResponse): void {
    const link = (query: string) => `${this.baseUrl}/v1.0/users/delta?${query}`;
    const deltaToken = url.searchParams.get('$deltatoken');
    if (deltaToken === 'latest') {
      const token = this.delta.latest(selectedProperties(url));
      return sendJson(res, 200, { '@odata.context': `${this.baseUrl}/v1.0/$metadata#users`, value: [], '@odata.deltaLink': link(`$deltatoken=${token}`) });
    }
    const page = this.delta.page({ skipToken: url.searchParams.get('$skiptoken'), deltaToken, select: selectedProperties(url) });
    if (page.kind === 'unknownToken') return sendGraphError(res, 400, 'syncStateNotFound', 'The sync state is not found or has expired.');
    if (page.kind === 'expired') {
      if (page.expiry === 'syncStateNotFound') return sendGraphError(res, 400, 'syncStateNotFound', 'The sync state generation is not found or has expired.');
      const restart = link(`$select=${page.select.join(',')}`);
      return sendGraphError(res, 410, 'resyncRequired', 'The delta state was reset; restart from the Location URL.', { Location: restart });
    }
    const body: Record<string, unknown> = { '@odata.context': `${this.baseUrl}/v1.0/$metadata#users(${page.select.join(',')})`, value: page.value };
    if (page.skipToken) body['@odata.nextLink'] = link(`$skiptoken=${page.skipToken}`);
    else body['@odata.deltaLink'] = link(`$deltatoken=${page.deltaToken}`);
    sendJson(res, 200, body);
  }

  private userById(id: string, url: URL, res: ServerResponse): void {
    // Graph also addresses users by userPrincipalName; the scan only runs when the id misses.
    const user = this.getUser(id) ?? this.tracker.liveUsers().find((u) => u.userPrincipalName.toLowerCase() === id.toLowerCase());
    if (!user) return sendGraphError(res, 404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
    sendJson(res, 200, { '@odata.context': `${this.baseUrl}/v1.0/$metadata#users/$entity`, ...projectUser(user, selectedProperties(url)) });
  }

  private groupMembers(groupId: string, transitive: boolean, url: URL, res: ServerResponse): void {
    if (!this.groups.has(groupId)) return sendGraphError(res, 404, 'Request_ResourceNotFound', `Resource '${groupId}' does not exist or one of its queried reference-property objects are not present.`);
    const skipToken = url.searchParams.get('$skiptoken');
    let cursor: MemberCursor;
    if (skipToken) {
      const found = this.memberCursors.get(skipToken);
      if (!found) return sendGraphError(res, 400, 'Request_BadRequest', 'The skip token is invalid or has expired.');
      cursor = found;
    } else {
      const top = Number(url.searchParams.get('$top') ?? 100);
      if (!Number.isInteger(top) || top < 1 || top > 999) return sendGraphError(res, 400, 'Request_BadRequest', `Invalid page size specified: '${url.searchParams.get('$top')}'. Must be between 1 and 999 inclusive.`);
      // Resolved once per listing, so each following page costs O(page).
      cursor = { ids: groupMemberUserIds(this.groups, groupId, transitive, (id) => this.tracker.isLive(id)), offset: 0, top };
    }
    const end = Math.min(cursor.offset + cursor.top, cursor.ids.length);
    const value = cursor.ids.slice(cursor.offset, end).map((id) => ({ '@odata.type': '#microsoft.graph.user', id }));
    const body: Record<string, unknown> = { '@odata.context': `${this.baseUrl}/v1.0/$metadata#users(id)`, value };
    if (end < cursor.ids.length) {
      const next = randomBytes(18).toString('base64url');
      this.memberCursors.set(next, { ...cursor, offset: end });
      body['@odata.nextLink'] = `${this.baseUrl}${url.pathname}?$select=id&$top=${cursor.top}&$skiptoken=${next}`;
    }
    sendJson(res, 200, body);
  }
}
