import { type NotificationDelivery, type NotificationItem } from './NotificationDelivery';
import { SandboxConflictError, SandboxNotFoundError } from './sandboxErrors';
import { type DirectoryCollection, type SandboxSubscription } from './SandboxSubscription';
import { type SubscriptionRegistry } from './SubscriptionRegistry';
import { type ContactChange } from './MailboxStore';
import { type EventChange } from './CalendarStore';
import {
  type LifecycleEventName,
  type LifecycleTenantField,
  contactChangeItem,
  directoryChangeItem,
  eventChangeItem,
  lifecycleItem,
} from './notificationItems';
import { validateEndpoint } from './validateEndpoint';

/** `GraphSandbox.notifications`: what tests and demos can do to change notifications. */
export interface NotificationControls {
  /** The next `count` change items are never sent. */
  dropNext(count: number): void;
  /** The next `count` change items are each sent twice, in two POSTs. */
  duplicateNext(count: number): void;
  /** The next `count` change items are each sent alone, `ms` later. */
  delayNext(count: number, ms: number): void;
  /** The next `count` change items are held, then sent newest first, one POST each. */
  reorderNext(count: number): void;
  /** The next `count` change items carry a wrong clientState. */
  forgeNext(count: number): void;
  clearFaults(): void;
  /**
   * POSTs a lifecycle event to the subscription's lifecycleNotificationUrl. Throws SandboxNotFoundError (no such
   * subscription) or SandboxConflictError (no lifecycle URL) at once; the promise settles when the POST was
   * delivered or given up.
   */
  sendLifecycleEvent(
    subscriptionId: string,
    event: LifecycleEventName,
    options?: { tenantField?: LifecycleTenantField | undefined },
  ): Promise<void>;
  /** Graph drops the subscription (expired or not) and, if it has a lifecycle URL, says so with `subscriptionRemoved`. */
  removeSubscription(subscriptionId: string): Promise<void>;
  /** Lets a subscription lapse now without moving the clock (Graph stops delivering; it stays listed). */
  expireSubscription(subscriptionId: string): void;
  /** POSTs any items to any URL, with retries (forged or unknown-subscription notifications). */
  send(url: string, items: NotificationItem[]): Promise<void>;
  /** Resolves when nothing is batched, delayed, in flight or waiting to retry (items held for a reorder excepted). */
  flush(): Promise<void>;
}

export interface SandboxNotificationsOptions {
  registry: SubscriptionRegistry;
  delivery: NotificationDelivery;
  tenantId: string;
  now: () => number;
  validationTimeoutMs: number;
}

/**
 * Connects the directory to subscriptions: turns a user or group change into items for the subscriptions that
 * cover it, runs endpoint handshakes (counted), and offers the controls tests use to misbehave like Graph.
 */
export class SandboxNotifications implements NotificationControls {
  private readonly stopping = new AbortController();

  constructor(private readonly options: SandboxNotificationsOptions) {}

  dropNext = (count: number): void => this.options.delivery.faults.dropNext(count);
  duplicateNext = (count: number): void => this.options.delivery.faults.duplicateNext(count);
  delayNext = (count: number, ms: number): void => this.options.delivery.faults.delayNext(count, ms);
  reorderNext = (count: number): void => this.options.delivery.faults.reorderNext(count);
  forgeNext = (count: number): void => this.options.delivery.faults.forgeNext(count);
  clearFaults = (): void => this.options.delivery.clearFaults();

  sendLifecycleEvent = (
    subscriptionId: string,
    event: LifecycleEventName,
    options: { tenantField?: LifecycleTenantField | undefined } = {},
  ): Promise<void> => {
    const s = this.options.registry.find(subscriptionId);
    if (!s) throw new SandboxNotFoundError(`no subscription ${subscriptionId}`);
    if (!s.lifecycleNotificationUrl) throw new SandboxConflictError(`subscription ${subscriptionId} has no lifecycleNotificationUrl`);
    return this.sendLifecycle(s, s.lifecycleNotificationUrl, event, options.tenantField);
  };

  removeSubscription = (subscriptionId: string): Promise<void> => {
    const s = this.options.registry.remove(subscriptionId);
    if (!s) throw new SandboxNotFoundError(`no subscription ${subscriptionId}`);
    return s.lifecycleNotificationUrl ? this.sendLifecycle(s, s.lifecycleNotificationUrl, 'subscriptionRemoved') : Promise.resolve();
  };

  expireSubscription = (subscriptionId: string): void => {
    if (!this.options.registry.find(subscriptionId)) throw new SandboxNotFoundError(`no subscription ${subscriptionId}`);
    this.options.registry.setExpiry(subscriptionId, this.options.now() - 1);
  };

  send = (url: string, items: NotificationItem[]): Promise<void> => this.options.delivery.send(url, items);
  flush = (): Promise<void> => this.options.delivery.flush();

  /** A user changed: one item per live subscription that covers the user and asked for this change type. */
  userChanged(userId: string, changeType: 'updated' | 'deleted'): void {
    this.objectChanged('users', userId, changeType);
  }

  /** A group changed (properties, members, deletion or restore): as for users, for `groups` subscriptions. */
  groupChanged(groupId: string, changeType: 'updated' | 'deleted'): void {
    this.objectChanged('groups', groupId, changeType);
  }

  /** A contact was created, changed or deleted: one item per live subscription on its folder with that change type. */
  contactChanged(change: ContactChange): void {
    const { registry, delivery, tenantId } = this.options;
    const item = {
      mailboxId: change.mailboxId,
      contactId: change.contact.id,
      changeKey: change.contact.changeKey,
      changeType: change.changeType,
    };
    for (const s of registry.listeningToContacts(change.mailboxId, change.folderId, change.changeType))
      delivery.enqueue(s.notificationUrl, contactChangeItem(s, item, tenantId));
  }

  /** An event or series was created, changed or deleted: one item per live events subscription on its mailbox. */
  eventChanged(change: EventChange): void {
    const { registry, delivery, tenantId } = this.options;
    for (const s of registry.listeningToEvents(change.mailboxId, change.changeType))
      delivery.enqueue(s.notificationUrl, eventChangeItem(s, change, tenantId));
  }

  private objectChanged(collection: DirectoryCollection, id: string, changeType: 'updated' | 'deleted'): void {
    const { registry, delivery, tenantId } = this.options;
    for (const s of registry.listening(collection, id, changeType))
      delivery.enqueue(s.notificationUrl, directoryChangeItem(s, collection, id, changeType, tenantId));
  }

  /** Graph's handshake against an endpoint, counted in the stats. */
  async validate(url: string): Promise<boolean> {
    const ok = await validateEndpoint(url, this.options.validationTimeoutMs, this.stopping.signal);
    if (ok) this.options.delivery.stats.handshakesOk += 1;
    else this.options.delivery.stats.handshakesFailed += 1;
    return ok;
  }

  /** Ends pending handshakes and deliveries. */
  stop(): void {
    this.stopping.abort();
    this.options.delivery.stop();
  }

  private sendLifecycle(s: SandboxSubscription, url: string, event: LifecycleEventName, tenantField?: LifecycleTenantField): Promise<void> {
    this.options.delivery.stats.lifecycleSent += 1;
    return this.options.delivery.send(url, [lifecycleItem(s, event, this.options.tenantId, tenantField)]);
  }
}
