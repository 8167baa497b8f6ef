import { randomUUID } from 'node:crypto';
import { GraphRequestError } from './GraphRequestError';
import {
  type ContactsTarget,
  type DirectoryCollection,
  type EventsTarget,
  type SandboxSubscription,
  copySubscription,
  coversObject,
} from './SandboxSubscription';
import { type NewSubscriptionBody } from './subscriptionSchemas';

/** Graph raises an expiry under 45 minutes to now + 45 minutes. */
const MIN_LIFETIME_MS = 45 * 60_000;

export interface SubscriptionRegistryOptions {
  now: () => number;
  /** Directory resources: 41,760 minutes. */
  maxLifetimeMinutes: number;
  /** Per app and tenant for users: 100. */
  quota: number;
  /** Outlook resources (contacts, events): 10,080 minutes. */
  outlookMaxLifetimeMinutes: number;
  /**
   * The mailbox and folder of `users/{id}/contacts` (folderId null) or `users/{id}/contactFolders/{folderId}/contacts`;
   * throws a GraphRequestError 404 when either does not exist.
   */
  resolveContacts(mailbox: string, folderId: string | null): ContactsTarget;
  /** The mailbox of `users/{id}/events`; throws a GraphRequestError 404 when the user does not exist. */
  resolveEvents(mailbox: string): EventsTarget;
}

/** What checkNew resolved: the expiry and, for an Outlook resource, what it watches. */
export interface CheckedSubscription {
  expiresAt: number;
  contacts?: ContactsTarget | undefined;
  events?: EventsTarget | undefined;
}

/** Graph's limit of Outlook subscriptions per mailbox (all apps together). */
const OUTLOOK_QUOTA_PER_MAILBOX = 1000;

const CONTACTS_RESOURCE = /^users\/([^/]+)\/(?:contacts|contactFolders\/([^/]+)\/contacts)$/i;
const EVENTS_RESOURCE = /^users\/([^/]+)\/events$/i;

/** The mailbox an Outlook subscription counts against (its per-mailbox quota); undefined for directory ones. */
const outlookMailboxOf = (s: SandboxSubscription): string | undefined => s.contacts?.mailboxId ?? s.events?.mailboxId;

const SANDBOX_APPLICATION_ID = '00000000-0000-4000-8000-0000000000a1';
const SANDBOX_CREATOR_ID = '00000000-0000-4000-8000-0000000000c1';

const notFound = () => new GraphRequestError(404, 'ResourceNotFound', 'The object was not found.');

/**
 * The sandbox's subscriptions and Graph's rules for them: supported resources, expiry limits, quota.
 * Expired subscriptions stop receiving and cannot be read, renewed or deleted, but stay in `list()` —
 * real Graph has been seen listing expired subscriptions, and the connector must not trust that list.
 */
export class SubscriptionRegistry {
  private readonly subscriptions = new Map<string, SandboxSubscription>();

  constructor(private readonly options: SubscriptionRegistryOptions) {}

  clear(): void {
    this.subscriptions.clear();
  }

  /**
   * Checks a create request before the endpoint handshake; returns the resolved expiry (epoch ms) and, for a
   * contacts resource, the folder it watches (for an events resource, the mailbox).
   */
  checkNew(body: NewSubscriptionBody): CheckedSubscription {
    const resource = body.resource.replace(/^\//, '');
    const contactsMatch = CONTACTS_RESOURCE.exec(resource);
    if (contactsMatch) {
      const contacts = this.options.resolveContacts(
        decodeSegment(contactsMatch[1]!),
        contactsMatch[2] === undefined ? null : decodeSegment(contactsMatch[2]),
      );
      return { expiresAt: this.checkOutlook(body, contacts.mailboxId), contacts };
    }
    const eventsMatch = EVENTS_RESOURCE.exec(resource);
    if (eventsMatch) {
      const events = this.options.resolveEvents(decodeSegment(eventsMatch[1]!));
      return { expiresAt: this.checkOutlook(body, events.mailboxId), events };
    }
    if (body.changeType.split(',').includes('created'))
      throw new GraphRequestError(
        400,
        'InvalidRequest',
        `changeType 'created' is not supported for '${body.resource}'; users and groups take updated and deleted.`,
      );
    if (!/^(users|groups)(\/[^/]+)?$/i.test(resource)) {
      throw new GraphRequestError(
        400,
        'InvalidRequest',
        `resource not supported by the sandbox: '${body.resource}' (supported: users, users/{id}, groups, groups/{id})`,
      );
    }
    const expiresAt = this.resolveExpiry(body.expirationDateTime);
    this.checkQuota();
    return { expiresAt };
  }

  /** Creates the subscription once its endpoints passed; the quota is checked again (creations may overlap). */
  add(body: NewSubscriptionBody, checked: CheckedSubscription): SandboxSubscription {
    const { expiresAt, contacts, events } = checked;
    if (!contacts && !events) this.checkQuota();
    const subscription: SandboxSubscription = {
      id: randomUUID(),
      resource: body.resource,
      changeType: body.changeType,
      notificationUrl: body.notificationUrl,
      lifecycleNotificationUrl: body.lifecycleNotificationUrl ?? null,
      clientState: body.clientState ?? null,
      expiresAt,
      applicationId: SANDBOX_APPLICATION_ID,
      creatorId: SANDBOX_CREATOR_ID,
      ...(contacts ? { contacts } : {}),
      ...(events ? { events } : {}),
    };
    this.subscriptions.set(subscription.id, subscription);
    return copySubscription(subscription);
  }

  /** A live subscription; 404 when unknown or expired. */
  get(id: string): SandboxSubscription {
    const s = this.subscriptions.get(id);
    if (!s || s.expiresAt <= this.options.now()) throw notFound();
    return copySubscription(s);
  }

  /** Any subscription the sandbox still lists, expired or not. */
  find(id: string): SandboxSubscription | undefined {
    const s = this.subscriptions.get(id);
    return s && copySubscription(s);
  }

  /** Applies a checked renewal (see resolveExpiry); 404 when it expired or went away meanwhile. */
  renew(id: string, change: { expiresAt?: number | undefined; notificationUrl?: string | undefined }): SandboxSubscription {
    this.get(id);
    const s = this.subscriptions.get(id)!;
    if (change.expiresAt !== undefined) s.expiresAt = change.expiresAt;
    if (change.notificationUrl !== undefined) s.notificationUrl = change.notificationUrl;
    return copySubscription(s);
  }

  /** Expired ones too are 404: Graph no longer knows them, even where its list still shows them. */
  delete(id: string): SandboxSubscription {
    const s = this.get(id);
    this.subscriptions.delete(id);
    return s;
  }

  /** Removed by "Graph" (the sandbox's removeSubscription), even if expired. */
  remove(id: string): SandboxSubscription | undefined {
    const s = this.subscriptions.get(id);
    this.subscriptions.delete(id);
    return s && copySubscription(s);
  }

  /** Moves a subscription's expiry (tests: make it lapse without moving the clock). */
  setExpiry(id: string, expiresAt: number): void {
    const s = this.subscriptions.get(id);
    if (!s) throw notFound();
    s.expiresAt = expiresAt;
  }

  list(): SandboxSubscription[] {
    return [...this.subscriptions.values()].map(copySubscription);
  }

  /** Live subscriptions that cover this user or group and asked for this change type. */
  listening(collection: DirectoryCollection, id: string, changeType: 'updated' | 'deleted'): SandboxSubscription[] {
    return this.active().filter((s) => coversObject(s, collection, id) && s.changeType.split(',').includes(changeType));
  }

  /** Live contacts subscriptions on this folder that asked for this change type. */
  listeningToContacts(mailboxId: string, folderId: string, changeType: 'created' | 'updated' | 'deleted'): SandboxSubscription[] {
    return this.active().filter(
      (s) => s.contacts?.mailboxId === mailboxId && s.contacts.folderId === folderId && s.changeType.split(',').includes(changeType),
    );
  }

  /** Live events subscriptions on this mailbox that asked for this change type. */
  listeningToEvents(mailboxId: string, changeType: 'created' | 'updated' | 'deleted'): SandboxSubscription[] {
    return this.active().filter((s) => s.events?.mailboxId === mailboxId && s.changeType.split(',').includes(changeType));
  }

  /** The longest lifetime a subscription on this (already created) resource may get, in minutes. */
  maxLifetimeMinutesOf(s: SandboxSubscription): number {
    return outlookMailboxOf(s) !== undefined ? this.options.outlookMaxLifetimeMinutes : this.options.maxLifetimeMinutes;
  }

  /** An Outlook resource's expiry within its limit, and Graph's quota per mailbox (contacts and events together). */
  private checkOutlook(body: NewSubscriptionBody, mailboxId: string): number {
    const expiresAt = this.resolveExpiry(body.expirationDateTime, this.options.outlookMaxLifetimeMinutes);
    const onMailbox = this.active().filter((s) => outlookMailboxOf(s) === mailboxId).length;
    if (onMailbox >= OUTLOOK_QUOTA_PER_MAILBOX)
      throw new GraphRequestError(
        403,
        'ExtensionError',
        `The subscription limit of ${OUTLOOK_QUOTA_PER_MAILBOX} for this mailbox has been reached.`,
      );
    return expiresAt;
  }

  private active(): SandboxSubscription[] {
    const now = this.options.now();
    return [...this.subscriptions.values()].filter((s) => s.expiresAt > now).map(copySubscription);
  }

  /**
   * An expiry Graph accepts, as epoch ms: in the past is refused, beyond the resource's maximum lifetime is
   * refused with Graph's message, under 45 minutes is raised to now + 45 minutes.
   */
  resolveExpiry(iso: string, maxLifetimeMinutes: number = this.options.maxLifetimeMinutes): number {
    const now = this.options.now();
    const at = Date.parse(iso);
    if (!Number.isFinite(at) || at <= now)
      throw new GraphRequestError(400, 'InvalidRequest', 'Subscription expiration must be in the future.');
    if (at - now > maxLifetimeMinutes * 60_000) {
      throw new GraphRequestError(
        400,
        'InvalidRequest',
        `Subscription expiration can only be ${maxLifetimeMinutes} minutes in the future.`,
      );
    }
    return Math.max(at, now + MIN_LIFETIME_MS);
  }

  /** Directory subscriptions only: Outlook ones have their own quota per mailbox. */
  private checkQuota(): void {
    if (this.active().filter((s) => outlookMailboxOf(s) === undefined).length < this.options.quota) return;
    throw new GraphRequestError(
      403,
      'ExtensionError',
      `Operation: Create; Exception: [Status Code: Forbidden; Reason: The subscription limit of ` +
        `${this.options.quota} for this application and tenant on this resource has been reached.]`,
    );
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new GraphRequestError(400, 'BadRequest', 'The resource is not valid percent-encoding.');
  }
}
