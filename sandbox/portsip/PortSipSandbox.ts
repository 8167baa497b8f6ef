import { sandboxLatencyAnswer } from './sandboxLatencyRoute';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import { authRoutes } from './authRoutes';
import { blobRoutes } from './blobRoutes';
import { changePassword } from './changePassword';
import { type ContactBook, type ContactRecord } from './ContactBook';
import { CONTACT_TEXT_FIELD_NAMES, type ContactTextField } from './contactBodies';
import { contactRoutes } from './contactRoutes';
import { currentUserRoutes } from './currentUserRoutes';
import { extensionEventControlAnswer, raiseExtensionCall, raiseExtensionStatus } from './extensionEventRoutes';
import {
  type ExtensionEventDelivery,
  type ExtensionEventFaults,
  type ExtensionEventFaultState,
  ExtensionEventSender,
} from './ExtensionEventSender';
import { FaultQueue } from './FaultQueue';
import { groupRoutes } from './groupRoutes';
import { type GroupRecord } from './GroupDirectory';
import { faultAnswer, throttledAnswer } from './faultAnswer';
import { type NumberHolderType } from './NumberHolders';
import { type PasswordPolicy } from './passwordRules';
import { notFound, PbxError } from './PbxError';
import { PbxTenant } from './PbxTenant';
import { PORTSIP_API_VERSIONS, type AnyVersionPresenceName, type PortSipApiVersion } from './presenceNames';
import { presenceRoutes } from './presenceRoutes';
import { readJsonBody, type RequestBody } from './readJsonBody';
import { rfc3339Now } from './rfc3339Now';
import { type Route } from './Route';
import { type RouteMatch, RouteTable } from './RouteTable';
import { copyPbxUser, type SandboxPbxUser } from './SandboxPbxUser';
import { createSandboxStats, type SandboxStats } from './SandboxStats';
import { PresenceByHandBody, sandboxPresenceAnswer } from './sandboxPresenceRoutes';
import { sandboxViewAnswer } from './sandboxViewRoutes';
import { sendAnswer } from './sendAnswer';
import { type SessionOwner, SessionTokens } from './SessionTokens';
import { tenantRoutes } from './tenantRoutes';
import { TokenBucket } from './TokenBucket';
import { type UserRecord } from './UserDirectory';
import { type SandboxPresence, UserPresences } from './UserPresences';
import { userRoutes } from './userRoutes';

/** A user group as tests see it: members by extension number. */
export interface SandboxPbxGroupView {
  id: string;
  name: string;
  description: string | null;
  members: string[];
}

/** A company or personal contact as stored (null = blank; `favorite` matters for personal ones only). */
export type SandboxContact = ContactRecord;

/** A user's picture as stored: the file the user pointed at, and its bytes. */
export interface SandboxAvatar {
  fileId: string;
  fileName: string;
  /** sha256 hex of the bytes. */
  digest: string;
  bytes: Buffer;
}

export type { PasswordPolicy } from './passwordRules';
export type { SandboxPbxUser } from './SandboxPbxUser';
export type { SandboxStats } from './SandboxStats';
export type { PortSipApiVersion } from './presenceNames';
export type { SandboxPresence } from './UserPresences';
export type {
  ExtensionEventAttempt,
  ExtensionEventDelivery,
  ExtensionEventFaults,
  ExtensionEventFaultState,
  ExtensionEventState,
} from './ExtensionEventSender';
export type { ExtensionCallMessage, ExtensionEventMessage, ExtensionStatusMessage } from './extensionEventMessages';

export interface PortSipSandboxOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The tenant's SIP domain; default 'sandbox.pbx.local'. */
  domain?: string;
  /** The tenant admin; default 'syncadmin'. */
  adminUsername?: string;
  /** Default: a fixed password that meets the sandbox's password policy. */
  adminPassword?: string;
  /** PortSIP's `access_limit`; default 10,000 (v22.1.7+). */
  rateLimitPerMinute?: number;
  /** Access-token lifetime (`expires_in`); default 3600. */
  tokenTtlSeconds?: number;
  /** Added before every answer; default 0. */
  latencyMs?: number;
  /**
   * The PortSIP API version whose presence names it speaks; default '22.3' (ONLINE, OTHER_CALL, RINGING).
   * '22.1' names the chosen presence AVAILABLE and a call ON_CALL. Each refuses the other's name with 400.
   */
  apiVersion?: PortSipApiVersion;
  /** Waits before each retry of an extension event the receiver did not take; default [200, 1000, 3000] (PortSIP's shape, scaled down). */
  extensionEventRetryDelaysMs?: number[];
  /** How long one extension-event POST may take; default 5000. */
  extensionEventTimeoutMs?: number;
}

export interface SandboxFaults {
  /** The next `count` requests get 429 with this Retry-After (default 1 s). */
  throttleNext(count: number, retryAfterSeconds?: number): void;
  /** The next `count` requests fail with `status` (default 503) and change nothing. */
  failNext(count: number, status?: number): void;
  /** Like failNext, but only for requests with this method whose path matches. */
  failNextMatching(method: string, pathRegex: RegExp, count: number, status?: number): void;
  /** Every access token issued so far stops working (401); refresh tokens still work. */
  expireTokens(): void;
  setLatency(ms: number): void;
  /** The next `count` presence writes (`POST /api/user/presence`, or `enable_dnd` in a user update) answer 200 but change nothing. */
  losePresenceWrites(count: number): void;
}

type Answer = { status: number; body?: unknown; headers?: Record<string, string> };

/** What the router needs of a request besides its method and URL. */
interface Incoming {
  body: RequestBody;
  headers: IncomingHttpHeaders;
}

const bearerOf = (header: string | undefined) => /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];

/**
 * A PortSIP v22 PBX on 127.0.0.1 for integration tests, benchmarks and `npm start`, speaking the official
 * REST API (only GET and POST; `{"errors":[…]}` bodies) for what the sync needs: tenant-admin sign-in with
 * expiring, rotating tokens; users with PortSIP's validation rules; extension numbers and their other
 * holders; user groups and their members; Microsoft 365 binding; company contacts; users signing in with
 * their portal password, their personal contacts and their avatar (blob uploads); presence (in the v22.1 or
 * v22.3 dialect) and the admin's DND switch; the tenant's event URLs (`/api/tenant`) with extension events
 * posted there when a call starts or ends (retried, with delivery faults of their own); a rate limit answered
 * with 429 (one budget for every caller); and injected faults. The API is at /api; a read-only view of what
 * it holds (no secrets, no sign-in) is at /_sandbox.
 */
export class PortSipSandbox {
  readonly baseUrl: string;
  readonly credentials: { username: string; password: string; domain: string };
  readonly stats: SandboxStats = createSandboxStats();
  readonly faults: SandboxFaults;
  readonly apiVersion: PortSipApiVersion;
  private readonly tenant: PbxTenant;
  private readonly routes: RouteTable;
  private readonly pendingFaults = new FaultQueue();
  private readonly bucket: TokenBucket;
  private readonly extensionEvents: ExtensionEventSender;
  private latencyMs: number;

  private constructor(
    private readonly server: Server,
    options: PortSipSandboxOptions,
  ) {
    this.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    this.credentials = {
      username: options.adminUsername ?? 'syncadmin',
      password: options.adminPassword ?? 'Sandbox!Admin#2026',
      domain: options.domain ?? 'sandbox.pbx.local',
    };
    this.apiVersion = options.apiVersion ?? '22.3';
    if (!PORTSIP_API_VERSIONS.includes(this.apiVersion))
      throw new Error(`apiVersion must be one of ${PORTSIP_API_VERSIONS.join(', ')}, not ${String(options.apiVersion)}`);
    this.tenant = new PbxTenant(
      { ...this.credentials },
      new SessionTokens(options.tokenTtlSeconds ?? 3600),
      new UserPresences(this.apiVersion, this.stats),
    );
    this.extensionEvents = new ExtensionEventSender({
      ...(options.extensionEventRetryDelaysMs === undefined ? {} : { retryDelaysMs: options.extensionEventRetryDelaysMs }),
      ...(options.extensionEventTimeoutMs === undefined ? {} : { timeoutMs: options.extensionEventTimeoutMs }),
    });
    this.tenant.observeCalls((record, active) => raiseExtensionCall(this.tenant, this.extensionEvents, record, active));
    this.routes = new RouteTable([
      ...authRoutes(this.tenant, this.stats),
      ...userRoutes(this.tenant),
      ...groupRoutes(this.tenant),
      ...tenantRoutes(this.tenant),
      ...contactRoutes(this.tenant, {
        root: '/api/contacts',
        access: 'admin',
        write: 'companyContacts',
        personal: false,
        bookOf: () => this.tenant.companyContacts,
      }),
      ...currentUserRoutes(this.tenant),
      ...presenceRoutes(this.tenant),
      ...blobRoutes(this.tenant.blobs),
    ]);
    this.bucket = new TokenBucket(options.rateLimitPerMinute ?? 10_000);
    this.latencyMs = options.latencyMs ?? 0;
    const queue = this.pendingFaults;
    this.faults = {
      throttleNext: (count, retryAfterSeconds = 1) => queue.throttleNext(count, retryAfterSeconds),
      failNext: (count, status = 503) => queue.failNext(count, status),
      failNextMatching: (method, pathRegex, count, status = 503) => queue.failNextMatching(method, pathRegex, count, status),
      expireTokens: () => this.tenant.tokens.expireAccessTokens(),
      setLatency: (ms) => {
        this.latencyMs = ms;
      },
      losePresenceWrites: (count) => {
        this.tenant.presences.loseNext(count);
      },
    };
  }

  static async start(options: PortSipSandboxOptions = {}): Promise<PortSipSandbox> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    const sandbox = new PortSipSandbox(server, options);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      sandbox.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent)
          sendAnswer(res, 500, { errors: [{ code: 'UNKNOWN', message: err instanceof Error ? err.message : String(err) }] });
      });
    });
    return sandbox;
  }

  stop(): Promise<void> {
    this.extensionEvents.stop();
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Every extension in creation order (copies). */
  listUsers(): SandboxPbxUser[] {
    return this.tenant.users.all().map((r) => copyPbxUser(r.user));
  }

  getUser(id: string): SandboxPbxUser | undefined {
    const record = this.tenant.users.get(id);
    return record && copyPbxUser(record.user);
  }

  /**
   * The portal and SIP passwords (and voicemail PIN) the client gave an extension when it created it, for tests
   * that prove those values leak nowhere; undefined for an unknown id or a user added by hand.
   */
  userSecrets(id: string): { password: string; extensionPassword: string; voicemailPin: string | undefined } | undefined {
    const record = this.tenant.users.get(id);
    if (!record?.passwords) return undefined;
    const pin = record.settings.voicemail_pin;
    return { password: record.passwords.password, extensionPassword: record.passwords.extension_password, voicemailPin: pin ?? undefined };
  }

  findByExtension(extensionNumber: string): SandboxPbxUser | undefined {
    const record = this.tenant.users.withExtension(extensionNumber);
    return record && copyPbxUser(record.user);
  }

  /** An extension an administrator made by hand (no REST validation; only names and numbers must be free). */
  addUser(user: Partial<SandboxPbxUser> & { name: string; extension_number: string; email: string }): SandboxPbxUser {
    if (this.tenant.numberOwner(user.extension_number)) throw new Error(`extension number ${user.extension_number} is already in use`);
    if (this.tenant.nameTaken(user.name)) throw new Error(`the name ${user.name} is already in use`);
    if (user.id !== undefined && this.tenant.users.get(user.id)) throw new Error(`the id ${user.id} is already in use`);
    const full: SandboxPbxUser = {
      id: user.id ?? this.tenant.ids.next(),
      name: user.name,
      email: user.email,
      display_name: user.display_name ?? user.name,
      enabled: user.enabled ?? true,
      role: user.role ?? 'StandardUser',
      extension_number: user.extension_number,
      mobile_phone: user.mobile_phone ?? null,
      work_phone: user.work_phone ?? null,
      home_phone: user.home_phone ?? null,
      address: user.address ?? null,
      department: user.department ?? null,
      created_at: user.created_at ?? rfc3339Now(),
      ms365_binding: user.ms365_binding ?? null,
      sync_type: user.sync_type ?? null,
    };
    this.tenant.users.add({ user: full, settings: {} });
    return copyPbxUser(full);
  }

  /** A ring group, call queue, conference room or virtual receptionist holding this number. */
  addNumberHolder(extensionNumber: string, type: NumberHolderType, name?: string): void {
    if (this.tenant.numberOwner(extensionNumber)) throw new Error(`extension number ${extensionNumber} is already in use`);
    this.tenant.holders.add({
      id: this.tenant.ids.next(),
      name: name ?? `${type.toLowerCase().replace(/_/g, ' ')} ${extensionNumber}`,
      extension_number: extensionNumber,
      type,
    });
  }

  /**
   * A provider (SIP trunk) with its DID pool (`did_numbers`, e.g. "14255550100;14255550110-14255550199"), as an
   * administrator sets one up; `callerIdMustBeDid` makes the PBX refuse a user's outbound caller ID on this
   * trunk that is not one of its DIDs. Returns its id.
   */
  addProvider(provider: { id?: string; name: string; didNumbers?: string; callerIdMustBeDid?: boolean }): string {
    const id = provider.id ?? this.tenant.ids.next();
    if (this.tenant.providers.get(id)) throw new Error(`the provider ${id} already exists`);
    this.tenant.providers.add({
      id,
      name: provider.name,
      did_numbers: provider.didNumbers ?? '',
      callerIdMustBeDid: provider.callerIdMustBeDid ?? false,
    });
    return id;
  }

  /** An extension's `outbound_caller_ids` as GET /api/users/{id} shows them (copies); undefined for an unknown id. */
  outboundCallerIds(userId: string): Array<Record<string, unknown>> | undefined {
    const record = this.tenant.users.get(userId);
    return record && (record.settings.outbound_caller_ids ?? []).map((entry) => ({ ...entry }));
  }

  /** An administrator editing an extension's outbound caller IDs by hand (the whole list; no REST validation). */
  setOutboundCallerIds(
    userId: string,
    entries: Array<{ provider_id: string; caller_id: string; preferred?: boolean; description?: string }>,
  ): void {
    const record = this.tenant.users.get(userId);
    if (!record) throw new Error(`no user ${userId}`);
    record.settings = { ...record.settings, outbound_caller_ids: entries.map((entry) => ({ ...entry })) };
  }

  /** A user group with its members' extension numbers (a copy); undefined for an unknown id. */
  getGroup(id: string): SandboxPbxGroupView | undefined {
    const record = this.tenant.groups.get(id);
    if (!record) return undefined;
    return this.groupView(record);
  }

  /** Every user group (copies), in creation order. */
  listGroups(): SandboxPbxGroupView[] {
    return this.tenant.groups.all().map((record) => this.groupView(record));
  }

  /** A group made by the PBX admin (not through the API), with members by extension number. */
  addGroup(name: string, memberExtensions: string[] = []): SandboxPbxGroupView {
    const members = new Set(this.userIdsOf(memberExtensions));
    const record = { id: this.tenant.ids.next(), name, description: null, outbound_caller_ids: [], members };
    this.tenant.groups.add(record);
    return this.groupView(record);
  }

  /** Replaces a group's members, as the PBX admin would in the portal. */
  setGroupMembers(id: string, memberExtensions: string[]): void {
    const record = this.tenant.groups.get(id);
    if (!record) throw new Error(`no group ${id}`);
    record.members.clear();
    for (const id of this.userIdsOf(memberExtensions)) record.members.add(id);
  }

  private userIdsOf(extensions: string[]): string[] {
    return extensions.map((number) => {
      const user = this.findByExtension(number);
      if (!user) throw new Error(`no extension ${number}`);
      return user.id;
    });
  }

  private groupView(record: GroupRecord): SandboxPbxGroupView {
    const members = [...record.members].flatMap((userId) => {
      const user = this.tenant.users.get(userId)?.user;
      return user ? [user.extension_number] : [];
    });
    return { id: record.id, name: record.name, description: record.description, members };
  }

  /** Every company contact (copies), in creation order. */
  companyContacts(): SandboxContact[] {
    return this.tenant.companyContacts.all().map((contact) => ({ ...contact }));
  }

  /** A company contact as an admin adds one in the portal (no link of the connector's): its id. */
  addCompanyContact(fields: { name: string } & Partial<Record<ContactTextField, string>>): { id: string } {
    return this.addContactTo(this.tenant.companyContacts, fields);
  }

  /** A personal contact the user adds on their own phone or portal: its id. */
  addPersonalContact(userId: string, fields: { name: string } & Partial<Record<ContactTextField, string>>): { id: string } {
    return this.addContactTo(this.tenant.personalContactsOf(this.existingUser(userId).user.id), fields);
  }

  private addContactTo(book: ContactBook, fields: { name: string } & Partial<Record<ContactTextField, string>>): { id: string } {
    const record = { id: this.tenant.ids.next(), name: fields.name, favorite: false } as ContactRecord;
    for (const field of CONTACT_TEXT_FIELD_NAMES) record[field] = fields[field] || null;
    book.add(record);
    return { id: record.id };
  }

  /** A user's personal contacts (copies), in creation order; [] for a user without any. */
  personalContacts(userId: string): SandboxContact[] {
    return this.tenant
      .personalContactsOf(this.existingUser(userId).user.id)
      .all()
      .map((contact) => ({ ...contact }));
  }

  /** The picture a user set, with its bytes; undefined when none. */
  avatarOf(userId: string): SandboxAvatar | undefined {
    const file = this.existingUser(userId).avatar;
    if (!file) return undefined;
    const bytes = this.tenant.blobs.bytes(file.digest)!;
    return {
      fileId: file.id,
      fileName: file.fileName,
      digest: createHash('sha256').update(bytes).digest('hex'),
      bytes: Buffer.from(bytes),
    };
  }

  /**
   * The user changes their own portal password in the portal (policy-checked): the password the connector
   * kept stops working, and the user's sessions end.
   */
  changePasswordAsUser(userId: string, password: string): void {
    changePassword(this.tenant, this.existingUser(userId), password);
  }

  /**
   * An admin forces the user to choose a new password: sign-in still answers tokens, but `/api/auth/user`
   * says `password_force_reset` and every `/api/user…` call answers 403 PASSWORD_RESET_REQUIRED until the
   * password changes. ⚠ PortSIP's own answer in that state is undocumented.
   */
  forcePasswordReset(userId: string, on = true): void {
    this.existingUser(userId).forcePasswordReset = on;
  }

  /** The user turns on two-factor sign-in: `POST /api/auth/sign_in` answers `{two_factor_enabled: true, token}`. */
  enableTwoFactor(userId: string, on = true): void {
    this.existingUser(userId).twoFactor = on;
  }

  /**
   * The user picks a presence on their phone (either version's name; ONLINE and AVAILABLE are the same choice);
   * a note given replaces theirs, null or '' clears it. Not an API write: neither counted nor lost.
   */
  setPresenceByHand(userId: string, presence: AnyVersionPresenceName, note?: string | null): void {
    const parsed = PresenceByHandBody.safeParse({ presence, presence_note: note });
    if (!parsed.success) throw new Error(`not a presence by hand: ${parsed.error.issues[0]!.message}`);
    this.tenant.presences.setByHand(this.existingUser(userId), parsed.data.presence, parsed.data.presence_note);
  }

  /** A call starts or ends on the user's phone: while it lasts the PBX shows ON_CALL (22.1) or OTHER_CALL (22.3). */
  setCallInProgress(userId: string, active: boolean): void {
    this.tenant.setOnCall(this.existingUser(userId), active);
  }

  /**
   * Every extension event delivery so far (copies), in the order the events were raised: body, url, state,
   * first send time, last status and each attempt. Secrets (the Authorization header) are not kept.
   */
  extensionEventLog(): ExtensionEventDelivery[] {
    return this.extensionEvents.deliveries();
  }

  /** Resolves once no extension event is held or being sent (a held reorder is sent then, last). */
  extensionEventsSettled(): Promise<void> {
    return this.extensionEvents.settled();
  }

  /** Sets the given extension-event delivery faults (the others stay) and returns how they all stand. */
  setExtensionEventFaults(faults: ExtensionEventFaults): ExtensionEventFaultState {
    return this.extensionEvents.setFaults(faults);
  }

  /**
   * The PBX reports these users' state (every user when none is named) in one extension_status event; returns
   * how many extensions it holds. Throws while extension events are not enabled.
   */
  sendExtensionStatus(userIds?: string[]): number {
    return raiseExtensionStatus(this.tenant, this.extensionEvents, userIds);
  }

  /** A user's presence as `GET /_sandbox/users/{id}/presence` shows it (names of the configured API version). */
  presenceOf(userId: string): SandboxPresence {
    return this.tenant.presences.view(this.existingUser(userId));
  }

  private existingUser(userId: string): UserRecord {
    const record = this.tenant.users.get(userId);
    if (!record) throw new Error(`no user ${userId}`);
    return record;
  }

  setPasswordPolicy(policy: Partial<PasswordPolicy>): void {
    this.tenant.passwordPolicy = { ...this.tenant.passwordPolicy, ...policy };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', this.baseUrl);
    const body = await readJsonBody(req);
    if (url.pathname === '/_sandbox' || url.pathname.startsWith('/_sandbox/')) {
      const events = extensionEventControlAnswer(this.tenant, this.extensionEvents, method, url.pathname, body);
      if (events) return sendAnswer(res, events.status, events.body, events.headers);
      const latency = sandboxLatencyAnswer(method, url.pathname, body, (ms) => this.faults.setLatency(ms));
      if (latency) return sendAnswer(res, latency.status, latency.body, latency.headers);
      const control = sandboxPresenceAnswer(this.tenant, method, url.pathname, body);
      if (control) return sendAnswer(res, control.status, control.body, control.headers);
      const view = sandboxViewAnswer(this.tenant, method, url);
      return sendAnswer(res, view.status, view.body, view.headers);
    }
    const match = this.routes.match(method, url.pathname);
    const routeName = match.kind === 'route' ? `${method} ${match.route.path}` : `${method} (no route)`;
    this.stats.requests += 1;
    this.stats.byRoute[routeName] = (this.stats.byRoute[routeName] ?? 0) + 1;
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    const answer = this.answer(method, url, match, { body, headers: req.headers });
    sendAnswer(res, answer.status, answer.body, answer.headers);
  }

  /**
   * Who is calling a protected route: 401 without a live token (or for a deleted user's), 403 when the route is
   * for the other kind of caller, and 403 PASSWORD_RESET_REQUIRED on a user's own routes while a reset is forced.
   */
  private callerOf(route: Route, bearer: string | undefined, pathname: string): SessionOwner {
    const owner = bearer ? this.tenant.tokens.ownerOf(bearer) : undefined;
    if (!owner || (owner.kind === 'user' && !this.tenant.users.get(owner.userId)))
      throw new PbxError(401, 'UNAUTHORIZED', 'The access token is missing, invalid or expired');
    const access = route.access ?? 'admin';
    if (access !== 'any' && access !== owner.kind)
      throw new PbxError(
        403,
        'FORBIDDEN',
        access === 'admin' ? 'This operation needs a tenant administrator' : 'This operation acts for the signed-in user only',
      );
    const ownRoute = pathname === '/api/user' || pathname.startsWith('/api/user/');
    if (owner.kind === 'user' && ownRoute && this.tenant.users.get(owner.userId)!.forcePasswordReset)
      throw new PbxError(403, 'PASSWORD_RESET_REQUIRED', 'The user must set a new password before using this operation');
    return owner;
  }

  /** Rate limit, then injected faults (before any effect), then routing, authentication and the route. */
  private answer(method: string, url: URL, match: RouteMatch, incoming: Incoming): Answer {
    try {
      const wait = url.pathname.startsWith('/api/') ? this.bucket.take() : undefined;
      const fault = wait === undefined ? this.pendingFaults.take(method, url.pathname) : undefined;
      if (wait !== undefined || fault?.status === 429) this.stats.throttled += 1;
      if (wait !== undefined) return throttledAnswer(wait);
      if (fault) return faultAnswer(fault);
      if (match.kind === 'none') throw notFound(`No route ${method} ${url.pathname}`);
      if (match.kind === 'wrongMethod')
        throw new PbxError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${url.pathname}; PortSIP uses only GET and POST`);
      const { route, params } = match;
      const bearer = bearerOf(incoming.headers.authorization);
      const caller = route.public ? undefined : this.callerOf(route, bearer, url.pathname);
      const result = route.handle({
        query: url.searchParams,
        params,
        body: route.method === 'POST' && !route.rawBody ? incoming.body.parse() : undefined,
        bytes: route.rawBody ? incoming.body.bytes() : Buffer.alloc(0),
        headers: incoming.headers,
        bearer,
        caller,
      });
      if (route.write && result.status < 300) {
        this.stats.writes += 1;
        this.stats.writesByKind[route.write] = (this.stats.writesByKind[route.write] ?? 0) + 1;
      }
      return result;
    } catch (err) {
      if (err instanceof PbxError) return { status: err.status, body: err.body() };
      return { status: 500, body: { errors: [{ code: 'UNKNOWN', message: err instanceof Error ? err.message : String(err) }] } };
    }
  }
}
