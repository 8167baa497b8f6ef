/** The feature a subscription's notifications are hints for (its delta job): a feature name. */
export type SubscribedResource = string;

/**
 * One Graph change-notification subscription the connector created. This table, not Graph's
 * `GET /subscriptions` (which can list expired ones and miss live ones), is the source of truth.
 */
export interface SubscriptionRecord {
  subscriptionId: string;
  tenantId: string;
  /** The Entra directory id; a notification naming another tenant is not this subscription's. */
  directoryId: string;
  resource: SubscribedResource;
  /** The Graph resource path subscribed to, e.g. `users`. */
  graphResource: string;
  /** A per-user subscription's user (Entra object id): its notifications ask for that user's refresh only. */
  subject?: string | undefined;
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string;
  expiresAt: string;
  /**
   * SHA-256 (hex) of the subscription's clientState. The value itself lives only in the secret store
   * (`clientStateSecretName`); the webhook compares hashes, so it never needs a secret read.
   */
  clientStateHash: string;
  clientStateSecretName: string;
  createdAt: string;
  renewedAt?: string;
}

/** Port: the connector's subscriptions (Table Storage). */
export interface SubscriptionStore {
  get(subscriptionId: string): Promise<SubscriptionRecord | null>;
  listForTenant(tenantId: string): Promise<SubscriptionRecord[]>;
  /** Creates or replaces the record with this id. */
  save(record: SubscriptionRecord): Promise<void>;
  /** Idempotent. */
  remove(subscriptionId: string): Promise<void>;
}
