/** What the connector reads back from a Graph subscription. */
export interface GraphSubscription {
  id: string;
  resource: string;
  notificationUrl: string;
  expirationDateTime: string;
}

export interface NewSubscription {
  resource: string;
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string;
  expirationDateTime: string;
  /** A random secret (≤ 128 chars) Graph echoes in every notification. */
  clientState: string;
}

/**
 * Port: Graph change-notification subscriptions of one tenant (application permissions). Errors are
 * AppErrors: NOT_FOUND for a subscription Graph no longer has, INVALID for a refused request (for example
 * an expiry beyond the resource's maximum, or a failed endpoint validation), FORBIDDEN for a quota.
 */
export interface SubscriptionClient {
  /** Graph validates both URLs with a handshake before answering. */
  create(subscription: NewSubscription): Promise<GraphSubscription>;
  /** PATCH of the expiry; also reauthorizes. */
  renew(subscriptionId: string, expirationDateTime: string): Promise<GraphSubscription>;
  reauthorize(subscriptionId: string): Promise<void>;
  /** Idempotent: a subscription Graph no longer has is not an error. */
  delete(subscriptionId: string): Promise<void>;
  /** Graph's list for this app and tenant; may contain expired ones, so it is never the source of truth. */
  list(): Promise<GraphSubscription[]>;
}
