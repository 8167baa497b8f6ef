import { z } from 'zod';
import { nullIfNotFound } from '../../core/errors/nullIfNotFound';
import { isAppError } from '../../core/errors/AppError';
import { TokenBucketRateLimiter } from '../../core/http/TokenBucketRateLimiter';
import { type PbxFieldsNotOwnedBy } from '../ports/PbxFieldOwners';
import { type PbxNewUser } from '../ports/PbxNewUser';
import { type PbxNumberOwner, type PbxNumberType } from '../ports/PbxNumberOwner';
import { type PbxUser } from '../ports/PbxUser';
import { type PbxUserChanges } from '../ports/PbxUserChanges';
import { type PbxUsers } from '../ports/PbxUsers';
import { type PbxCallerId } from '../ports/PbxCallerId';
import { type PortalPasswords } from '../ports/PortalPasswords';
import { generateCredentials } from './generateCredentials';
import { callerIdRefusal, newEntry, withOurCallerId } from './outboundCallerIds';
import { PortSipApi } from './PortSipApi';
import { PortSipAvatars } from './PortSipAvatars';
import { PortSipCompanyContacts } from './PortSipCompanyContacts';
import { PortSipGroups } from './PortSipGroups';
import { portSipPages } from './portSipPages';
import { PortSipPasswordPolicy } from './PortSipPasswordPolicy';
import { PortSipPersonalContacts } from './PortSipPersonalContacts';
import { PortSipPortalAccess } from './PortSipPortalAccess';
import { PortSipPresence } from './PortSipPresence';
import { PortSipEventTarget } from './PortSipEventTarget';
import { CreatedSchema, NumberHolderSchema, NumberOwnerSchema, OutboundCallerIdEntrySchema, PortSipUserSchema } from './portSipSchemas';
import { PortSipSession } from './PortSipSession';
import { PortSipTransport } from './PortSipTransport';
import { PortSipUserSessions } from './PortSipUserSessions';
import { toPbxUser } from './toPbxUser';
import { toPortSipUserFields } from './toPortSipUserFields';

// The product's rules live beside the adapter that implements them.
export { portSipProfile } from './portSipProfile';

export interface PortSipClientOptions {
  /** e.g. https://pbx.example.com:8887; the client appends /api. */
  baseUrl: string;
  /** The tenant's SIP domain. */
  domain: string;
  /** A tenant admin of that domain (two-factor authentication off). */
  username: string;
  password: string;
  /** Role given to the users we create, e.g. StandardUser. */
  role: string;
  /** The PBX's REST limit (`access_limit`, 10,000/min by default on v22.1.7+). */
  rateLimitPerMinute: number;
  maxConcurrency: number;
  /** Retries of a 429, 5xx or network failure; default 6. */
  maxRetries?: number;
  /** Per-request timeout; default 30 s. */
  requestTimeoutMs?: number;
  fetch?: typeof fetch;
  /**
   * Where the portal passwords of the users this client creates are kept (written before the create); with it
   * the per-user ports exist (userPorts()). Without it a created user's portal password is kept nowhere.
   */
  portalPasswords?: PortalPasswords | undefined;
}

/** The ports that act as individual users (sessions signed in with the kept portal passwords). */
export interface PortSipUserPorts {
  personalContacts: PortSipPersonalContacts;
  avatars: PortSipAvatars;
  portalAccess: PortSipPortalAccess;
}

// The non-user things that hold extension numbers (virtual receptionists live at /ivrs in v22).
const NUMBER_HOLDER_LISTS = ['/ring_groups', '/call_queues', '/conference_rooms', '/ivrs'];
const NUMBER_TYPES: readonly PbxNumberType[] = ['EXTENSION', 'RING_GROUP', 'CALL_QUEUE', 'CONFERENCE_ROOM', 'VIRTUAL_RECEPTIONIST'];

const id = (value: string) => encodeURIComponent(value);
const CallerIdsSchema = z.object({ outbound_caller_ids: z.array(OutboundCallerIdEntrySchema).nullish() });

/** The PortSIP v22 REST adapter of the PbxUsers port, signed in as a tenant admin. */
export class PortSipClient implements PbxUsers {
  private readonly transport: PortSipTransport;
  private readonly api: PortSipApi;
  private readonly policy: PortSipPasswordPolicy;
  private readonly userSessions: PortSipUserSessions | undefined;
  private presencePort: PortSipPresence | undefined;

  constructor(private readonly options: PortSipClientOptions) {
    const fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.transport = new PortSipTransport({
      apiRoot: `${options.baseUrl.replace(/\/+$/, '')}/api`,
      limiter: new TokenBucketRateLimiter({ perMinute: options.rateLimitPerMinute, maxConcurrency: options.maxConcurrency }),
      fetch: fetchImpl,
      maxRetries: options.maxRetries ?? 6,
      timeoutMs: options.requestTimeoutMs ?? 30_000,
    });
    const session = new PortSipSession({ username: options.username, password: options.password, domain: options.domain }, this.transport);
    this.api = new PortSipApi(this.transport, session);
    this.policy = new PortSipPasswordPolicy(this.api);
    const passwords = options.portalPasswords;
    this.userSessions = passwords && new PortSipUserSessions({ transport: this.transport, domain: options.domain, passwords });
  }

  requestCount(): number {
    return this.transport.requestCount();
  }

  async *listUsers(): AsyncIterable<PbxUser[]> {
    for await (const users of this.pages('/users', PortSipUserSchema, 'listing users', (u) => u.id)) yield users.map(toPbxUser);
  }

  async listNonUserNumbers(): Promise<string[]> {
    const lists = await Promise.all(NUMBER_HOLDER_LISTS.map((path) => this.holderNumbers(path)));
    return [...new Set(lists.flat())];
  }

  async findNumberOwner(extensionNumber: string): Promise<PbxNumberOwner | null> {
    const owner = await nullIfNotFound(
      this.api.read(NumberOwnerSchema, 'GET', `/extension_numbers/${id(extensionNumber)}`, {
        what: `looking up extension number ${extensionNumber}`,
      }),
    );
    if (!owner) return null;
    const type = NUMBER_TYPES.find((t) => t === owner.type) ?? 'OTHER';
    return { id: owner.id, extensionNumber: owner.extension_number, name: owner.name, type };
  }

  async getUser(userId: string): Promise<PbxUser | null> {
    const user = await nullIfNotFound(this.api.read(PortSipUserSchema, 'GET', `/users/${id(userId)}`, { what: `reading user ${userId}` }));
    return user && toPbxUser(user);
  }

  async createUser(user: PbxNewUser & PbxFieldsNotOwnedBy<'users'>): Promise<{ id: string }> {
    const credentials = generateCredentials(await this.policy.read(), user);
    // Kept before the create (write-ahead), so a replayed create, whose first attempt may have reached the PBX,
    // sends the same portal password the connector kept, not a new one nobody knows.
    const passwords = this.options.portalPasswords;
    if (passwords) credentials.password = await passwords.reserve(user.userName, () => credentials.password);
    const body: Record<string, unknown> = {
      name: user.userName,
      display_name: user.displayName,
      email: user.email,
      role: this.options.role,
      extension_number: user.extensionNumber,
      password: credentials.password,
      extension_password: credentials.extensionPassword,
      voicemail_pin: credentials.voicemailPin,
      enabled: user.enabled,
    };
    // Blank optional fields are left out: on a new user, absent and blank are the same.
    for (const [name, value] of Object.entries(
      toPortSipUserFields({ mobilePhone: user.mobilePhone, workPhone: user.workPhone, department: user.department }),
    )) {
      if (value !== '') body[name] = value;
    }
    // A new user has no caller IDs yet: ours is the list.
    if (user.outboundCallerId) body.outbound_caller_ids = [newEntry(user.outboundCallerId, [])];
    try {
      const created = await this.api.read(CreatedSchema, 'POST', '/users', {
        what: `creating extension ${user.extensionNumber}`,
        subject: user.userName,
        body,
        secrets: [credentials.password, credentials.extensionPassword, credentials.voicemailPin],
      });
      return { id: created.id };
    } catch (err) {
      throw callerIdRefusal(err, user.outboundCallerId);
    }
  }

  async updateUser(userId: string, changes: PbxUserChanges): Promise<void> {
    const { outboundCallerId, ...plain } = changes;
    // Only PbxUserFields are mapped, so a presence key smuggled past the types (enable_dnd…) is never sent.
    const body: Record<string, unknown> = toPortSipUserFields(plain);
    if (outboundCallerId !== undefined) {
      const callerIds = await this.callerIdsWith(userId, outboundCallerId);
      if (callerIds) body.outbound_caller_ids = callerIds;
    }
    if (Object.keys(body).length === 0) return;
    try {
      await this.api.call('POST', `/users/${id(userId)}`, { what: `updating user ${userId}`, body });
    } catch (err) {
      throw callerIdRefusal(err, body.outbound_caller_ids ? outboundCallerId : undefined);
    }
  }

  /**
   * Read-modify-write of the user's `outbound_caller_ids` (PortSIP replaces the whole list): the list as it is
   * now with only our entry set or removed (outboundCallerIds.ts), or undefined when it already is so.
   * ⚠ An admin's edit between this read and our write would be lost; the window is one request long.
   */
  private async callerIdsWith(userId: string, wanted: PbxCallerId | null): Promise<unknown[] | undefined> {
    const current = await this.api.read(CallerIdsSchema, 'GET', `/users/${id(userId)}`, { what: `reading user ${userId}` });
    return withOurCallerId(current.outbound_caller_ids ?? [], wanted);
  }

  async deleteUser(userId: string): Promise<void> {
    // Already gone is what we wanted.
    await nullIfNotFound(this.api.call('POST', `/users/${id(userId)}/destroy`, { what: `deleting user ${userId}` }));
  }

  async releaseUser(userName: string): Promise<void> {
    this.userSessions?.forget(userName);
    await this.options.portalPasswords?.forget(userName);
  }

  async bindMicrosoft365(userId: string, entraObjectId: string): Promise<void> {
    await this.api.call('POST', `/users/${id(userId)}/ms365_binding`, {
      what: `binding user ${userId} to Microsoft 365`,
      body: { id: entraObjectId },
    });
  }

  private async holderNumbers(path: string): Promise<string[]> {
    const numbers: string[] = [];
    try {
      for await (const items of this.pages(path, NumberHolderSchema, `listing ${path.slice(1)}`, (h) => h.id ?? h.extension_number ?? '')) {
        for (const item of items) if (item.extension_number) numbers.push(item.extension_number);
      }
    } catch (err) {
      // A 404 means this PBX has no such list (feature absent): nothing holds a number there.
      if (!isAppError(err, 'NOT_FOUND')) throw err;
    }
    return numbers;
  }

  private pages<T extends z.ZodType>(
    path: string,
    item: T,
    what: string,
    keyOf: (item: z.output<T>) => string,
  ): AsyncIterable<z.output<T>[]> {
    return portSipPages(this.api, path, item, what, keyOf);
  }

  /** The PbxGroups port over this client's session, rate limit and request count. */
  groups(): PortSipGroups {
    return new PortSipGroups(this.api, () => this.transport.requestCount());
  }

  /** The PbxCompanyContacts port over this client's admin session and rate limit. */
  companyContacts(): PortSipCompanyContacts {
    return new PortSipCompanyContacts(this.api);
  }
  /** The PbxEventTarget port over this client's admin session and rate limit. */
  eventTarget(): PortSipEventTarget {
    return new PortSipEventTarget(this.api);
  }

  /**
   * The PbxPresence port, one per client (it remembers whether this PBX says AVAILABLE or ONLINE). It exists
   * without kept portal passwords too: the admin reads presence and sets DND, and only a status write, which
   * needs a session as the user, then fails with NoUserAccess.
   */
  presence(): PortSipPresence {
    return (this.presencePort ??= new PortSipPresence(this.api, this.userSessions));
  }

  /**
   * The ports that act as individual users, sharing this client's transport and rate limit and one cache of
   * user sessions; undefined when the client keeps no portal passwords.
   */
  userPorts(): PortSipUserPorts | undefined {
    const sessions = this.userSessions;
    if (!sessions) return undefined;
    return {
      personalContacts: new PortSipPersonalContacts(sessions),
      avatars: new PortSipAvatars(sessions),
      portalAccess: new PortSipPortalAccess(this.api, this.policy, this.options.portalPasswords!, sessions),
    };
  }
}
