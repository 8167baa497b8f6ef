import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type EntraSandbox } from '../entra/EntraSandbox';
import { handleApplicationRoute } from './applicationRoutes';
import {
  type EventPatchBody,
  EventPatchSchema,
  type NewEventBody,
  NewEventSchema,
  parseControlBody,
  type SeedEventsBody,
  SeedEventsSchema,
} from './calendarControlSchemas';
import { type CalendarStats, handleCalendarRoute } from './calendarRoutes';
import { type EventChange, CalendarStore } from './CalendarStore';
import { type SandboxEvent } from './SandboxEvent';
import { ChangeTracker } from './ChangeTracker';
import { ContactDeltaRounds } from './ContactDeltaRounds';
import { type DeltaExpiryKind, type DeltaPage, type DeltaRequest, DeltaRounds } from './DeltaRounds';
import { DeletedItemsRoutes } from './deletedItemsRoutes';
import { FaultQueue } from './FaultQueue';
import { GroupDeltaRounds } from './GroupDeltaRounds';
import { GroupDirectory, type GroupListing } from './GroupDirectory';
import { type GroupPatch, GroupTracker } from './GroupTracker';
import { copyUser, DEFAULT_GROUP_PROPERTIES, type SandboxGroup, type SandboxUser } from './SandboxUser';
import { graphCallerOf } from './graphCaller';
import { GraphRequestError } from './GraphRequestError';
import { graphRouteName } from './graphRouteName';
import { sendGraphError, sendJson } from './graphErrors';
import { handleControlRequest } from './sandboxControlRoutes';
import { contactFieldsFor } from './generateContacts';
import { type ContactChange, type ContactPatch, MailboxStore, type SandboxMailbox } from './MailboxStore';
import { type MailboxLimits, type MailboxRequestStats, MailboxThrottle } from './MailboxThrottle';
import { handleOutlookRoute } from './outlookRoutes';
import { type SandboxContact, type SandboxContactFields } from './SandboxContact';
import { type PhotoInput, UserPhotos } from './UserPhotos';
import {
  type PresenceBreakdown,
  PresenceBoard,
  type PresenceLimits,
  type PresenceStats,
  type PresenceWriteStats,
  type SandboxPresence,
} from './PresenceBoard';
import { SANDBOX_TOKEN_APP_ID } from './appPresenceSessions';
import { handlePresenceRoute } from './presenceRoutes';
import { type TeamsActivity, type TeamsAvailability } from '../../shared/graph/TeamsPresence';
import { SandboxNotFoundError } from './sandboxErrors';
import { NotificationDelivery, type NotificationDeliveryEvent, type NotificationStats } from './NotificationDelivery';
import { type NotificationControls, SandboxNotifications } from './SandboxNotifications';
import { type SandboxSubscription } from './SandboxSubscription';
import { SubscriptionRegistry } from './SubscriptionRegistry';
import { handleSubscriptionRoute } from './subscriptionRoutes';
import { projectProperties, projectUser, selectionOf, type UserSelection, userSelection } from './userProjection';

export type { SandboxGroup, SandboxUser } from './SandboxUser';
export type { GroupPatch } from './GroupTracker';
export type { SandboxSubscription } from './SandboxSubscription';
export type { NotificationDeliveryEvent, NotificationItem, NotificationStats } from './NotificationDelivery';
export type { NotificationControls } from './SandboxNotifications';
export type { LifecycleEventName, LifecycleTenantField } from './notificationItems';
export type { SandboxContact, SandboxContactFields, SandboxPhysicalAddress } from './SandboxContact';
export type { ContactPatch } from './MailboxStore';
export type { MailboxLimits, MailboxRequestStats } from './MailboxThrottle';
export type { PhotoInput } from './UserPhotos';
export type {
  AppPresenceSession,
  AppPresenceWrite,
  ClientPresence,
  PresenceBreakdown,
  PresenceLimits,
  PresenceStats,
  PresenceWriteStats,
  SandboxPresence,
} from './PresenceBoard';
export type { EventPatchBody, NewEventBody, SeedEventsBody } from './calendarControlSchemas';
export type { CalendarStats } from './calendarRoutes';
export type { SandboxEvent, SandboxEventType, SandboxShowAs } from './SandboxEvent';
export type { DayOfWeek, SandboxRecurrence } from './expandRecurrence';

/** A contact folder as the sandbox's methods show it. */
export interface SandboxContactFolderInfo {
  id: string;
  displayName: string;
  parentFolderId: string;
}

export interface GraphSandboxOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The bearer token every Graph request must carry; default 'sandbox-graph-token'. */
  token?: string;
  /** Users (and groups) per delta page; default 200. */
  pageSize?: number;
  /**
   * `members@delta` entries per groups delta page; default 100. A group with more continues on the next
   * page (repeated, with the next slice), as Graph does with large groups.
   */
  groupMembersPerPage?: number;
  /** Added to every Graph response; default 0. */
  latencyMs?: number;
  /** The directory id notifications carry; default '00000000-0000-4000-8000-00000000c0de'. */
  tenantId?: string;
  /**
   * Clock (epoch ms) for subscription expiry decisions and the expiry items carry, and for events'
   * lastModifiedDateTime; default Date.now.
   */
  now?: () => number;
  /** Longest subscription lifetime accepted; default 41,760 minutes (directory resources). */
  maxLifetimeMinutes?: number;
  /** Endpoint validation must answer within this; default 10,000 ms (Graph's limit). */
  validationTimeoutMs?: number;
  /** Notification items produced within this window go in one POST; default 10 ms. */
  batchWindowMs?: number;
  /** A delivery without an answer in this time failed; default 3,000 ms (Graph's). */
  deliveryTimeoutMs?: number;
  /** Waits before retrying a failed delivery, then it is given up; default [250, 1000, 4000]. */
  retryDelaysMs?: number[];
  /** Called after every notification POST attempt (benchmarks); its exceptions are ignored. */
  onDelivery?: (event: NotificationDeliveryEvent) => void;
  /**
   * Refuse an OData cast on a transitive list (`/groups/{id}/transitiveMembers/microsoft.graph.user`,
   * `/groups/{id}/transitiveMemberOf/microsoft.graph.group`) that lacks the advanced query parameters
   * (`ConsistencyLevel: eventual` and `$count=true`) with 400 `Request_UnsupportedQuery`, as Graph's
   * documentation says and a strict tenant does; default true. Can be changed later through
   * `enforceAdvancedQueries`.
   */
  enforceAdvancedQueries?: boolean;
  /**
   * Also accept access tokens this Entra sandbox issued in `tenantId` for Graph (besides the fixed token), and
   * serve `/applications` with addKey / removeKey from its app registrations.
   */
  entra?: EntraSandbox;
  /** Contacts per delta page without `Prefer: odata.maxpagesize`; default 100. */
  contactsPageSize?: number;
  /** The largest `odata.maxpagesize` honoured (larger asks get this); default 1,000. */
  maxContactsPageSize?: number;
  /**
   * Outlook's limits per mailbox; default 4 concurrent requests and 10,000 requests per 10 minutes. Tests
   * lower the budget and window to reach them quickly.
   */
  outlookLimits?: Partial<MailboxLimits>;
  /** Added to every Outlook request while it holds its mailbox's concurrency slot; default 0. */
  outlookLatencyMs?: number;
  /** Longest Outlook (contacts, events) subscription lifetime accepted; default 10,080 minutes. */
  outlookMaxLifetimeMinutes?: number;
  /**
   * Graph's presence limit per app: default 1,500 requests (getPresencesByUserId and single-user presence
   * GETs together) per 30,000 ms, then 429 with Retry-After. Tests lower both to reach it quickly.
   */
  presenceLimits?: Partial<PresenceLimits>;
}

export interface GraphSandboxStats {
  /** Graph requests (not control-API ones), faulted and refused ones included. */
  requests: number;
  byRoute: Record<string, number>;
  readonly notifications: NotificationStats;
  /** Zeroes every counter, the notification ones included. */
  reset(): void;
}

/** Graph's limit on subscriptions per app and tenant for users. */
const SUBSCRIPTION_QUOTA = 100;

const notFound = (id: string) => `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`;

/**
 * A Microsoft Graph tenant on localhost for tests, benchmarks and `npm start`: users and groups delta with
 * paging, opaque tokens, `$select`, `@removed`, `members@delta` split over pages, expired tokens (400
 * syncStateNotFound / 410 + Location), groups by id with direct and transitive members and ancestors, users
 * by id or UPN, deleted items (list, by id, restore, purge), injected 429 / 5xx, and subscriptions to users
 * and groups whose change notifications are really POSTed to their endpoints. Outlook: a mailbox per user
 * (and shared mailboxes) with contact folders, contacts delta per folder, profile photos, Outlook's limits
 * per mailbox (4 concurrent, a request budget per window) and contacts subscriptions; calendars in UTC
 * (calendarView with series expanded, events by id, events subscriptions). Teams presence: one user
 * or up to 650 at once, within Graph's presence limit per app (1,500 per 30 s). Graph routes live under
 * `/v1.0`, the unauthenticated control API for demos under `/_sandbox/`.
 */
export class GraphSandbox {
  readonly baseUrl: string;
  readonly token: string;
  /** The client id `token` stands for: the sessionId setPresence / clearPresence want from a caller using it. */
  readonly sandboxTokenAppId = SANDBOX_TOKEN_APP_ID;
  private readonly tracker = new ChangeTracker();
  private readonly delta: DeltaRounds;
  private readonly groupTracker = new GroupTracker({
    isKnownUser: (id) => this.tracker.find(id) !== undefined,
    isLiveUser: (id) => this.tracker.isLive(id),
  });
  private readonly groupDelta: GroupDeltaRounds;
  private readonly groups = new GroupDirectory(this.groupTracker, (id) => this.tracker.isLive(id));
  private readonly pendingFaults = new FaultQueue();
  private latencyMs: number;
  /** See GraphSandboxOptions.enforceAdvancedQueries; false answers like a lenient tenant. */
  enforceAdvancedQueries: boolean;
  /** The directory id change and lifecycle notifications carry. */
  readonly tenantId: string;
  private readonly registry: SubscriptionRegistry;
  private readonly subscriptionNotifications: SandboxNotifications;
  private readonly now: () => number;
  private readonly deletedItems: DeletedItemsRoutes;
  private readonly entra: EntraSandbox | undefined;
  private readonly mailboxStore: MailboxStore;
  private readonly contactRounds: ContactDeltaRounds;
  private readonly photos = new UserPhotos();
  private readonly mailboxThrottle: MailboxThrottle;
  private readonly presenceBoard: PresenceBoard;
  private outlookLatencyMs: number;
  private readonly contactsPageSize: number;
  private readonly maxContactsPageSize: number;
  private readonly calendarStore: CalendarStore;
  private readonly calendarCounters: CalendarStats = { calendarViewRequests: 0, eventRequests: 0 };

  /**
   * Change notifications: switches for the next N items, lifecycle events, and direct sends. Items go to
   * subscriptions' URLs over real HTTP, after Graph's validation handshake at creation.
   */
  readonly notifications: NotificationControls;

  readonly faults = {
    throttleNext: (count: number, retryAfterSeconds = 1): void => this.pendingFaults.throttleNext(count, retryAfterSeconds),
    failNext: (count: number, status = 503): void => this.pendingFaults.failNext(count, status),
    /** Users, groups and contacts tokens alike. */
    expireDeltaTokens: (kind: DeltaExpiryKind): void => {
      this.delta.expireIssuedTokens(kind);
      this.groupDelta.expireIssuedTokens(kind);
      this.contactRounds.expireIssuedTokens(kind);
    },
    /** Only contacts tokens (a Outlook cache eviction leaves directory tokens alone). */
    expireContactDeltaTokens: (kind: DeltaExpiryKind = 'syncStateNotFound'): void => {
      this.contactRounds.expireIssuedTokens(kind);
    },
    setLatency: (ms: number): void => {
      this.latencyMs = ms;
    },
    /** Time every Outlook request holds its mailbox's concurrency slot (see GraphSandboxOptions.outlookLatencyMs). */
    setOutlookLatency: (ms: number): void => {
      this.outlookLatencyMs = ms;
    },
  };

  readonly stats: GraphSandboxStats;

  private constructor(
    private readonly server: Server,
    options: GraphSandboxOptions,
  ) {
    this.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    this.token = options.token ?? 'sandbox-graph-token';
    this.latencyMs = options.latencyMs ?? 0;
    this.enforceAdvancedQueries = options.enforceAdvancedQueries ?? true;
    this.delta = new DeltaRounds(this.tracker, options.pageSize ?? 200);
    this.groupDelta = new GroupDeltaRounds(this.groupTracker, {
      pageSize: options.pageSize ?? 200,
      membersPerPage: options.groupMembersPerPage ?? 100,
    });
    this.tenantId = options.tenantId ?? '00000000-0000-4000-8000-00000000c0de';
    this.entra = options.entra;
    const now = options.now ?? Date.now;
    this.now = now;
    this.mailboxStore = new MailboxStore(now);
    this.contactRounds = new ContactDeltaRounds(this.mailboxStore);
    this.calendarStore = new CalendarStore(now);
    this.mailboxThrottle = new MailboxThrottle({
      maxConcurrent: 4,
      requestsPerWindow: 10_000,
      windowMs: 600_000,
      concurrencyRetryAfterSeconds: 1,
      ...options.outlookLimits,
    });
    this.presenceBoard = new PresenceBoard({ requestsPerWindow: 1500, windowMs: 30_000, ...options.presenceLimits }, now);
    this.outlookLatencyMs = options.outlookLatencyMs ?? 0;
    this.contactsPageSize = options.contactsPageSize ?? 100;
    this.maxContactsPageSize = options.maxContactsPageSize ?? 1000;
    this.deletedItems = new DeletedItemsRoutes({
      baseUrl: this.baseUrl,
      softDeleted: () => this.tracker.softDeleted(),
      findSoftDeleted: (id) => this.tracker.findSoftDeleted(id),
      restore: (id) => this.restoreUser(id),
      purge: (id) => this.hardDeleteUser(id),
    });
    this.registry = new SubscriptionRegistry({
      now,
      maxLifetimeMinutes: options.maxLifetimeMinutes ?? 41_760,
      quota: SUBSCRIPTION_QUOTA,
      outlookMaxLifetimeMinutes: options.outlookMaxLifetimeMinutes ?? 10_080,
      resolveContacts: (mailbox, folderId) => this.resolveContactsTarget(mailbox, folderId),
      resolveEvents: (mailbox) => ({ mailboxId: this.resolveOutlookUser(mailbox) }),
    });
    const delivery = new NotificationDelivery(options);
    this.subscriptionNotifications = new SandboxNotifications({
      registry: this.registry,
      delivery,
      tenantId: this.tenantId,
      now,
      validationTimeoutMs: options.validationTimeoutMs ?? 10_000,
    });
    this.notifications = this.subscriptionNotifications;
    const stats: GraphSandboxStats = {
      requests: 0,
      byRoute: {},
      notifications: delivery.stats,
      reset: () => {
        this.mailboxThrottle.reset();
        this.presenceBoard.reset();
        this.calendarCounters.calendarViewRequests = 0;
        this.calendarCounters.eventRequests = 0;
        stats.requests = 0;
        stats.byRoute = {};
        for (const key of Object.keys(stats.notifications) as (keyof NotificationStats)[]) stats.notifications[key] = 0;
      },
    };
    this.stats = stats;
  }

  static async start(options: GraphSandboxOptions = {}): Promise<GraphSandbox> {
    const server = createServer();
    // Loopback only: the control API has no authentication.
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

  /** Also cancels pending handshakes, deliveries and their timers, so a test process can exit. */
  stop(): Promise<void> {
    this.subscriptionNotifications.stop();
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Replaces all data (no notifications); every token issued before stops working. */
  seed(users: SandboxUser[], groups: SandboxGroup[] = []): void {
    this.tracker.reset(users);
    this.delta.reset();
    this.groupTracker.reset(groups);
    this.groupDelta.reset();
    this.groups.reset();
    this.deletedItems.clear();
    this.mailboxStore.clear();
    this.contactRounds.reset();
    this.photos.clear();
    this.presenceBoard.clear();
    this.calendarStore.clear();
  }

  // Every mutator below notifies the subscriptions that cover the user. Creation, update, soft delete and
  // restore arrive as `updated`; only permanent deletion is `deleted` (Graph's rule for users).
  addUser(user: SandboxUser): void {
    this.tracker.add(user);
    this.notifyChange(user.id, 'updated');
  }

  updateUser(id: string, patch: { [K in keyof Omit<SandboxUser, 'id'>]?: SandboxUser[K] | undefined }): void {
    this.tracker.update(id, patch);
    this.notifyChange(id, 'updated');
  }

  /** The user moves to the deleted items (restorable); delta reports `@removed` reason `changed`. */
  softDeleteUser(id: string): void {
    this.tracker.remove(id, 'changed', this.now());
    this.notifyChange(id, 'updated');
  }

  restoreUser(id: string): void {
    this.tracker.restore(id);
    this.notifyChange(id, 'updated');
  }

  /** A live or soft-deleted (purge) user is gone for good; delta reports `@removed` reason `deleted`. */
  hardDeleteUser(id: string): void {
    this.tracker.remove(id, 'deleted', this.now());
    this.notifyChange(id, 'deleted');
  }

  /** Every subscription (copies), expired ones included (as Graph's list may show them). */
  subscriptions(): SandboxSubscription[] {
    return this.registry.list();
  }

  /** Forgets all subscriptions and notification switches (between tests). */
  resetSubscriptions(): void {
    this.registry.clear();
    this.notifications.clearFaults();
  }

  /** Resolves when no notification is batched, delayed, in flight or waiting to retry (see notifications.flush). */
  flushNotifications(): Promise<void> {
    return this.notifications.flush();
  }

  private notifyChange(userId: string, changeType: 'updated' | 'deleted'): void {
    this.subscriptionNotifications.userChanged(userId, changeType);
  }

  // Group mutators notify `groups` subscriptions. As for users, everything but permanent deletion arrives
  // as `updated`: creation, property and membership changes, soft delete and restore.
  addGroup(group: SandboxGroup): void {
    this.groupTracker.add(group);
    this.subscriptionNotifications.groupChanged(group.id, 'updated');
  }

  updateGroup(id: string, patch: GroupPatch): void {
    this.groupTracker.update(id, patch);
    this.subscriptionNotifications.groupChanged(id, 'updated');
  }

  /** `memberId` may name a user or a group (nesting); adding a member twice is a conflict, as in Graph. */
  addGroupMember(groupId: string, memberId: string): void {
    this.groupTracker.addMember(groupId, memberId);
    this.subscriptionNotifications.groupChanged(groupId, 'updated');
  }

  removeGroupMember(groupId: string, memberId: string): void {
    this.groupTracker.removeMember(groupId, memberId);
    this.subscriptionNotifications.groupChanged(groupId, 'updated');
  }

  /** Replaces the member list; delta reports the difference. */
  setGroupMembers(groupId: string, memberIds: string[]): void {
    this.groupTracker.setMembers(groupId, memberIds);
    this.subscriptionNotifications.groupChanged(groupId, 'updated');
  }

  /** Microsoft 365 groups only (Entra's rule): restorable; delta reports `@removed` reason `changed`. */
  softDeleteGroup(id: string): void {
    this.groupTracker.remove(id, 'changed');
    this.subscriptionNotifications.groupChanged(id, 'updated');
  }

  restoreGroup(id: string): void {
    this.groupTracker.restore(id);
    this.subscriptionNotifications.groupChanged(id, 'updated');
  }

  /** A live or soft-deleted group is gone for good; delta reports `@removed` reason `deleted`. */
  hardDeleteGroup(id: string): void {
    this.groupTracker.remove(id, 'deleted');
    this.subscriptionNotifications.groupChanged(id, 'deleted');
  }

  /** A live group (a copy, with its type properties and current member ids); undefined when deleted or unknown. */
  getGroup(id: string): SandboxGroup | undefined {
    return this.groupTracker.find(id);
  }

  listGroups(): SandboxGroup[] {
    return this.groupTracker.liveGroups();
  }

  listUsers(): SandboxUser[] {
    return this.tracker.liveUsers().map(copyUser);
  }

  getUser(id: string): SandboxUser | undefined {
    const t = this.tracker.find(id);
    return t && !t.removed ? copyUser(t.user) : undefined;
  }

  // Outlook: every live user has a mailbox (made on first use), addressed by object id, userPrincipalName or
  // mail in any case. Contact mutators notify contacts subscriptions on the contact's folder.

  /**
   * A shared mailbox: in Entra a user object with accountEnabled false (so it also appears in /users and
   * users delta, as real shared mailboxes do), with a mailbox like any user's.
   */
  createSharedMailbox(mailbox: { address: string; displayName: string; id?: string | undefined }): SandboxUser {
    const user: SandboxUser = {
      id: mailbox.id ?? randomUUID(),
      displayName: mailbox.displayName,
      mail: mailbox.address,
      userPrincipalName: mailbox.address,
      businessPhones: [],
      accountEnabled: false,
      userType: 'Member',
    };
    this.addUser(user);
    this.mailboxStore.mailboxOf(user.id);
    return copyUser(user);
  }

  /** The mailbox's default contact folder id (Graph shows it as the contacts' parentFolderId). */
  defaultContactFolderId(mailbox: string): string {
    return this.mailbox(mailbox).defaultFolderId;
  }

  /** Every contact folder of the mailbox, the default one first, then depth first. */
  listContactFolders(mailbox: string): SandboxContactFolderInfo[] {
    const box = this.mailbox(mailbox);
    const out: SandboxContactFolderInfo[] = [];
    const visit = (id: string): void => {
      const folder = box.folders.get(id)!;
      out.push({ id: folder.id, displayName: folder.displayName, parentFolderId: folder.parentFolderId });
      folder.childIds.forEach(visit);
    };
    visit(box.defaultFolderId);
    return out;
  }

  /** Below `parentFolderId` (default: the default folder); a name its siblings already have is a conflict. */
  createContactFolder(mailbox: string, displayName: string, parentFolderId?: string): SandboxContactFolderInfo {
    const folder = this.mailboxStore.createFolder(this.mailbox(mailbox), displayName, parentFolderId);
    return { id: folder.id, displayName: folder.displayName, parentFolderId: folder.parentFolderId };
  }

  /** Into `folderId` (default: the default folder); returns the contact with its Outlook id. */
  addContact(mailbox: string, fields: SandboxContactFields, folderId?: string): SandboxContact {
    return this.contactChanged(this.mailboxStore.addContact(this.mailbox(mailbox), fields, folderId));
  }

  /** A field given as null is cleared; the changeKey and lastModifiedDateTime change with every edit. */
  updateContact(mailbox: string, contactId: string, patch: ContactPatch): SandboxContact {
    return this.contactChanged(this.mailboxStore.updateContact(this.mailbox(mailbox), contactId, patch));
  }

  deleteContact(mailbox: string, contactId: string): void {
    this.contactChanged(this.mailboxStore.deleteContact(this.mailbox(mailbox), contactId));
  }

  getContact(mailbox: string, contactId: string): SandboxContact | undefined {
    const contact = this.mailboxStore.findContact(this.mailbox(mailbox), contactId);
    return contact && structuredClone(contact);
  }

  /**
   * `count` generated contacts in one go, without notifications (benchmarks and large-folder tests: 5,000 in
   * a folder, 200 mailboxes × 500). Deterministic fields per `seed`; ids are random like Outlook's.
   */
  seedContacts(mailbox: string, count: number, options: { folderId?: string | undefined; seed?: number | undefined } = {}): number {
    return this.mailboxStore.seedContacts(this.mailbox(mailbox), count, contactFieldsFor(options.seed ?? 1), options.folderId);
  }

  /**
   * Sets (or replaces) the user's photo: given bytes, or generated ones (about 1 KB unless `sizeBytes`). Its
   * ETag is new every time. Not a directory change: users delta does not report it, as in Graph.
   */
  setUserPhoto(user: string, input?: PhotoInput): { etag: string } {
    return { etag: this.photos.set(this.mailbox(user).userId, input).etag };
  }

  /** The user has no photo any more (GET photo answers 404 ImageNotFound). */
  removeUserPhoto(user: string): void {
    if (!this.photos.remove(this.mailbox(user).userId)) throw new SandboxNotFoundError(`user ${user} has no photo`);
  }

  // Calendars: every mailbox has one (UTC). Event mutators notify `users/{id}/events` subscriptions on the
  // mailbox; a change inside a series (an occurrence moved or cancelled) is reported on its master.

  /** A single event, or a series when `body.recurrence` is given; refused (BadBodyError) as the control API refuses it. */
  addEvent(mailbox: string, body: NewEventBody): SandboxEvent {
    const checked = parseControlBody(NewEventSchema, body);
    const { change, event } = this.calendarStore.add(this.mailboxUserId(mailbox), checked);
    this.eventChanged(change);
    return event;
  }

  /**
   * New times (start and end together), subject or showAs. An occurrence id makes that occurrence an exception;
   * new times on a series master move the series and drop its exceptions. Returns the event as it is now.
   */
  updateEvent(mailbox: string, eventId: string, changes: EventPatchBody): SandboxEvent {
    const checked = parseControlBody(EventPatchSchema, changes);
    const { change, event } = this.calendarStore.update(this.mailboxUserId(mailbox), eventId, checked);
    this.eventChanged(change);
    return event;
  }

  /** A single event or series leaves calendarView (still readable by id, isCancelled); an occurrence is gone. */
  cancelEvent(mailbox: string, eventId: string): void {
    this.eventChanged(this.calendarStore.cancel(this.mailboxUserId(mailbox), eventId));
  }

  /** A single event or a whole series (all its occurrences) is gone; an occurrence id removes that occurrence. */
  deleteEvent(mailbox: string, eventId: string): void {
    this.eventChanged(this.calendarStore.delete(this.mailboxUserId(mailbox), eventId));
  }

  /** An event, series master, occurrence or exception as Graph shows it; undefined when deleted. */
  getEvent(mailbox: string, eventId: string): SandboxEvent | undefined {
    return this.calendarStore.find(this.mailboxUserId(mailbox), eventId);
  }

  /**
   * `eventsPerUser` single events for each user (`userIds`, or every live user with `allUsers`), the i-th at
   * `start + i × spacingMinutes`, without notifications (benchmarks). One unknown user changes nothing.
   */
  seedEvents(body: SeedEventsBody): number {
    const { userIds, allUsers, ...seed } = parseControlBody(SeedEventsSchema, body);
    const mailboxIds = allUsers ? this.tracker.liveUsers().map((u) => u.id) : (userIds ?? []).map((id) => this.mailboxUserId(id));
    return this.calendarStore.seed(mailboxIds, seed);
  }

  /** calendarView and events/{id} requests since the start or the last stats.reset(). */
  calendarStats(): CalendarStats {
    return { ...this.calendarCounters };
  }

  /** Outlook requests per mailbox (by user id) since the start or the last stats.reset(). */
  outlookStats(): Record<string, MailboxRequestStats> {
    return this.mailboxThrottle.stats();
  }

  /** The most Outlook requests in flight at once over all mailboxes since the start or the last stats.reset(). */
  outlookPeakInFlight(): number {
    return this.mailboxThrottle.peakTotalInFlight;
  }

  /** One mailbox's Outlook request counters (zero when it was never addressed). */
  mailboxStats(mailbox: string): MailboxRequestStats {
    return this.mailboxThrottle.statsOf(this.mailbox(mailbox).userId);
  }

  // Teams presence: every live user reads Offline/Offline until set. Setting it is not a directory change
  // (users delta does not report it), and Graph has no app-only presence notifications. What is set here is the
  // user's Teams client; apps' setPresence sessions are aggregated with it when Graph answers.

  /** Sets a live user's (object id) Teams presence. */
  setPresence(userId: string, availability: TeamsAvailability, activity: TeamsActivity): void {
    this.setPresences([{ userId, availability, activity }]);
  }

  /** Sets many users' presence at once; one unknown user changes nothing (SandboxNotFoundError naming them all). */
  setPresences(changes: readonly { userId: string; availability: TeamsAvailability; activity: TeamsActivity }[]): void {
    const unknown = changes.filter((c) => !this.tracker.isLive(c.userId)).map((c) => c.userId);
    if (unknown.length > 0) throw new SandboxNotFoundError(`no user ${unknown.join(', ')}`);
    for (const { userId, availability, activity } of changes) this.presenceBoard.set(userId, { availability, activity });
  }

  /** A live user's presence as Graph would answer it. */
  getPresence(userId: string): SandboxPresence {
    if (!this.tracker.isLive(userId)) throw new SandboxNotFoundError(`no user ${userId}`);
    return this.presenceBoard.presenceOf(userId);
  }

  /** Presence requests since the start or the last stats.reset(). */
  presenceStats(): PresenceStats {
    return this.presenceBoard.stats();
  }

  /**
   * A live user's presence with its parts: the Teams client state (what setPresence above sets), the apps' live
   * setPresence sessions, and the last setPresence / clearPresence answered since the last stats.reset().
   */
  appPresenceSessions(userId: string): PresenceBreakdown {
    if (!this.tracker.isLive(userId)) throw new SandboxNotFoundError(`no user ${userId}`);
    return this.presenceBoard.breakdownOf(userId);
  }

  /** setPresence / clearPresence answered and refused since the start or the last stats.reset(). */
  presenceWriteStats(): PresenceWriteStats {
    return this.presenceBoard.writeStats();
  }

  /** A live user's object id from an object id, userPrincipalName or mail, in any case. */
  private resolveMailboxId(idOrAddress: string): string | undefined {
    const direct = this.tracker.findLive(idOrAddress) ?? this.tracker.findLive(idOrAddress.toLowerCase());
    if (direct) return direct.id;
    const address = idOrAddress.toLowerCase();
    return this.tracker.liveUsers().find((u) => u.mail?.toLowerCase() === address)?.id;
  }

  private mailboxUserId(idOrAddress: string): string {
    const id = this.resolveMailboxId(idOrAddress);
    if (!id) throw new SandboxNotFoundError(`no mailbox ${idOrAddress}`);
    return id;
  }

  /** A subscription's user: unknown is Graph's 404 ErrorInvalidUser, as for contacts. */
  private resolveOutlookUser(mailbox: string): string {
    const id = this.resolveMailboxId(mailbox);
    if (!id) throw new GraphRequestError(404, 'ErrorInvalidUser', `The requested user '${mailbox}' is invalid.`);
    return id;
  }

  private eventChanged(change: EventChange): void {
    this.subscriptionNotifications.eventChanged(change);
  }

  private mailbox(idOrAddress: string): SandboxMailbox {
    const id = this.resolveMailboxId(idOrAddress);
    if (!id) throw new SandboxNotFoundError(`no mailbox ${idOrAddress}`);
    return this.mailboxStore.mailboxOf(id);
  }

  private resolveContactsTarget(mailbox: string, folderId: string | null): { mailboxId: string; folderId: string } {
    const id = this.resolveMailboxId(mailbox);
    if (!id) throw new GraphRequestError(404, 'ErrorInvalidUser', `The requested user '${mailbox}' is invalid.`);
    const box = this.mailboxStore.mailboxOf(id);
    const folder = this.mailboxStore.folder(box, folderId ?? box.defaultFolderId);
    if (!folder) throw new GraphRequestError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    return { mailboxId: id, folderId: folder.id };
  }

  private contactChanged(change: ContactChange): SandboxContact {
    this.subscriptionNotifications.contactChanged(change);
    return structuredClone(change.contact);
  }

  private outlookRouteDeps() {
    return {
      baseUrl: this.baseUrl,
      store: this.mailboxStore,
      rounds: this.contactRounds,
      photos: this.photos,
      throttle: this.mailboxThrottle,
      resolveMailbox: (idOrAddress: string) => this.resolveMailboxId(idOrAddress),
      latencyMs: () => this.outlookLatencyMs,
      defaultPageSize: this.contactsPageSize,
      maxPageSize: this.maxContactsPageSize,
    };
  }

  private calendarRouteDeps() {
    return {
      baseUrl: this.baseUrl,
      store: this.calendarStore,
      throttle: this.mailboxThrottle,
      stats: this.calendarCounters,
      resolveMailbox: (idOrAddress: string) => this.resolveMailboxId(idOrAddress),
      latencyMs: () => this.outlookLatencyMs,
    };
  }

  private presenceRouteDeps() {
    return {
      baseUrl: this.baseUrl,
      board: this.presenceBoard,
      resolveUser: (idOrUpn: string) => this.tracker.findLive(idOrUpn)?.id,
      isLiveUser: (id: string) => this.tracker.isLive(id),
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    if (url.pathname.startsWith('/_sandbox/')) return handleControlRequest(this, req, res, url);
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
    const method = req.method ?? 'GET';
    const route = graphRouteName(method, url.pathname);
    this.stats.requests += 1;
    this.stats.byRoute[route] = (this.stats.byRoute[route] ?? 0) + 1;
    const caller = graphCallerOf(req.headers.authorization, this.token, this.entra, this.baseUrl);
    if (!caller) return sendGraphError(res, 401, 'InvalidAuthenticationToken', 'Access token is empty or invalid.');
    // This sandbox holds one directory's data; a token from another directory reaches only that directory's
    // app registrations (an app rolling its keys signs in to its home directory), as Graph scopes data by tid.
    const isApplicationPath = /^\/(?:v1\.0\/)?applications[/(]/.test(url.pathname);
    if (caller.kind === 'application' && caller.directoryId !== this.tenantId && !isApplicationPath)
      return sendGraphError(res, 401, 'InvalidAuthenticationToken', 'Access token is empty or invalid.');
    // A faulted request is answered before routing, so it changes nothing (as with a real 429/503).
    if (this.pendingFaults.answer(res)) return;
    const path = url.pathname.replace(/^\/v1\.0/, '');
    const subscriptionDeps = {
      baseUrl: this.baseUrl,
      registry: this.registry,
      validate: (u: string) => this.subscriptionNotifications.validate(u),
    };
    if (await handleSubscriptionRoute(subscriptionDeps, method, path, req, res)) return;
    if (this.deletedItems.handle(method, path, url, res)) return;
    if (this.entra && (await handleApplicationRoute({ baseUrl: this.baseUrl, entra: this.entra }, caller, method, path, url, req, res)))
      return;
    if (await handlePresenceRoute(this.presenceRouteDeps(), caller, method, path, req, res)) return;
    if (method !== 'GET') return sendGraphError(res, 405, 'Request_BadRequest', 'The sandbox only serves GET on Graph routes.');
    if (await handleOutlookRoute(this.outlookRouteDeps(), req, url, path, res)) return;
    if (await handleCalendarRoute(this.calendarRouteDeps(), req, url, path, res)) return;

    if (path === '/users/delta' || path === '/users/microsoft.graph.delta') return this.deltaRoute('users', url, res);
    if (path === '/users/$count' || path === '/users/%24count') return this.userCount(req, res);
    if (path === '/groups/delta' || path === '/groups/microsoft.graph.delta') return this.deltaRoute('groups', url, res);
    const userMatch = /^\/users\/([^/]+)$/.exec(path);
    if (userMatch) return this.userById(decodeURIComponent(userMatch[1]!), url, res);
    const groupMatch = /^\/groups\/([^/]+)$/.exec(path);
    if (groupMatch) return this.groupById(decodeURIComponent(groupMatch[1]!), url, res);
    const listingMatch =
      /^\/groups\/([^/]+)\/(?:(transitiveMembers|members)\/microsoft\.graph\.user|(transitiveMemberOf)\/microsoft\.graph\.group)$/.exec(
        path,
      );
    if (listingMatch) {
      const listing = (listingMatch[2] ?? listingMatch[3]) as GroupListing;
      return this.groupListing(decodeURIComponent(listingMatch[1]!), listing, url, res, req);
    }
    const userGroupsMatch = /^\/users\/([^/]+)\/transitiveMemberOf\/microsoft\.graph\.group$/.exec(path);
    if (userGroupsMatch) return this.groupListing(decodeURIComponent(userGroupsMatch[1]!), 'userTransitiveMemberOf', url, res, req);
    return sendGraphError(res, 400, 'BadRequest', `Resource not found for the segment '${path}'.`);
  }

  /** `/users/delta` and `/groups/delta`: the same token rules; each collection has its own rounds and default set. */
  private deltaRoute(collection: 'users' | 'groups', url: URL, res: ServerResponse): void {
    const rounds: { latest(selection: UserSelection): string; page(request: DeltaRequest): DeltaPage } =
      collection === 'users' ? this.delta : this.groupDelta;
    // Groups without $select: the modelled properties, no `members@delta` (only `members` in $select asks for it).
    const selectionFor = (u: URL) => (collection === 'users' ? userSelection(u) : selectionOf(u, DEFAULT_GROUP_PROPERTIES));
    const link = (query: string) => `${this.baseUrl}/v1.0/${collection}/delta?${query}`;
    const context = (query: string | null) => `${this.baseUrl}/v1.0/$metadata#${collection}${query ? `(${query})` : ''}`;
    const deltaToken = url.searchParams.get('$deltatoken');
    if (deltaToken === 'latest') {
      const selection = selectionFor(url);
      const token = rounds.latest(selection);
      return sendJson(res, 200, {
        '@odata.context': context(selection.query),
        value: [],
        '@odata.deltaLink': link(`$deltatoken=${token}`),
      });
    }
    const page = rounds.page({ skipToken: url.searchParams.get('$skiptoken'), deltaToken, selection: selectionFor(url) });
    if (page.kind === 'unknownToken') return sendGraphError(res, 400, 'syncStateNotFound', 'The sync state is not found or has expired.');
    if (page.kind === 'expired') {
      if (page.expiry === 'syncStateNotFound')
        return sendGraphError(res, 400, 'syncStateNotFound', 'The sync state generation is not found or has expired.');
      const restart =
        page.selection.query === null
          ? `${this.baseUrl}/v1.0/${collection}/delta`
          : link(`$select=${encodeURIComponent(page.selection.query)}`);
      return sendGraphError(res, 410, 'resyncRequired', 'The delta state was reset; restart from the Location URL.', { Location: restart });
    }
    const body: Record<string, unknown> = { '@odata.context': context(page.selection.query), value: page.value };
    if (page.skipToken) body['@odata.nextLink'] = link(`$skiptoken=${page.skipToken}`);
    else body['@odata.deltaLink'] = link(`$deltatoken=${page.deltaToken}`);
    sendJson(res, 200, body);
  }

  /**
   * `/users/$count`: the live users, as text/plain. A count is an advanced query: Graph answers 400 without
   * `ConsistencyLevel: eventual`, whatever enforceAdvancedQueries says (that option models the casts' laxer past).
   */
  private userCount(req: IncomingMessage, res: ServerResponse): void {
    const eventual = String(req.headers.consistencylevel ?? '').toLowerCase() === 'eventual';
    if (!eventual) return sendGraphError(res, 400, 'Request_BadRequest', '$count is not currently supported.');
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(String(this.tracker.liveUsers().length));
  }

  private userById(idOrUpn: string, url: URL, res: ServerResponse): void {
    const user = this.tracker.findLive(idOrUpn);
    if (!user) return sendGraphError(res, 404, 'Request_ResourceNotFound', notFound(idOrUpn));
    sendJson(res, 200, {
      '@odata.context': `${this.baseUrl}/v1.0/$metadata#users/$entity`,
      ...projectUser(user, userSelection(url).properties),
    });
  }

  private groupById(id: string, url: URL, res: ServerResponse): void {
    const group = this.groupTracker.properties(id);
    if (!group) return sendGraphError(res, 404, 'Request_ResourceNotFound', notFound(id));
    sendJson(res, 200, {
      '@odata.context': `${this.baseUrl}/v1.0/$metadata#groups/$entity`,
      ...projectProperties(group, selectionOf(url, DEFAULT_GROUP_PROPERTIES).properties),
    });
  }

  /** Direct or transitive user members, or (transitiveMemberOf) the groups a group is nested in. */
  private groupListing(groupId: string, listing: GroupListing, url: URL, res: ServerResponse, req: IncomingMessage): void {
    const counted = url.searchParams.get('$count')?.toLowerCase() === 'true';
    if (listing !== 'members' && this.enforceAdvancedQueries) {
      // An OData cast on a transitive list is an advanced query: both the header and $count=true, or 400.
      const eventual = String(req.headers.consistencylevel ?? '').toLowerCase() === 'eventual';
      if (!eventual || !counted)
        return sendGraphError(
          res,
          400,
          'Request_UnsupportedQuery',
          `OData cast on ${listing === 'userTransitiveMemberOf' ? 'transitiveMemberOf' : listing} is not supported because the required parameters might be missing. ` +
            'Try adding $count=true query parameter and ConsistencyLevel:eventual header.',
        );
    }
    const rawTop = url.searchParams.get('$top');
    const top = Number(rawTop ?? 100);
    if (!Number.isInteger(top) || top < 1 || top > 999) {
      return sendGraphError(
        res,
        400,
        'Request_BadRequest',
        `Invalid page size specified: '${rawTop}'. Must be between 1 and 999 inclusive.`,
      );
    }
    const page = this.groups.page({ groupId, listing, skipToken: url.searchParams.get('$skiptoken'), top });
    if (page.kind === 'noGroup') return sendGraphError(res, 404, 'Request_ResourceNotFound', notFound(groupId));
    if (page.kind === 'unknownToken') return sendGraphError(res, 400, 'Request_BadRequest', 'The skip token is invalid or has expired.');
    const collection = listing === 'transitiveMemberOf' || listing === 'userTransitiveMemberOf' ? 'group' : 'user';
    const body: Record<string, unknown> = {
      '@odata.context': `${this.baseUrl}/v1.0/$metadata#${collection}s(id)`,
      value: page.ids.map((id) => ({ '@odata.type': `#microsoft.graph.${collection}`, id })),
    };
    // Graph's nextLink keeps the request's query options, $count=true among them.
    const count = counted ? '&$count=true' : '';
    if (page.skipToken)
      body['@odata.nextLink'] = `${this.baseUrl}${url.pathname}?$select=id&$top=${page.top}${count}&$skiptoken=${page.skipToken}`;
    sendJson(res, 200, body);
  }
}
