import { DirectoryReader } from '../graph/DirectoryReader';
import { SubscriptionClient } from '../graph/SubscriptionClient';
import { NotificationIntake } from '../notifications/NotificationIntake';
import { DebouncedDeltaEnqueuer } from '../notifications/DebouncedDeltaEnqueuer';
import { PbxClient } from '../pbx/PbxClient';
import { JobQueue } from '../queue/JobQueue';
import { SecretStore } from '../secrets/SecretStore';
import { TableStores } from '../store/createTableStores';
import { SubscribedResource } from '../store/SubscriptionStore';
import { TenantRecord } from '../store/TenantStore';

/** The Graph and PBX adapters for one tenant. */
export interface TenantConnectors {
  directoryReader: DirectoryReader;
  subscriptions: SubscriptionClient;
  pbx: PbxClient;
}

/** Where Graph delivers, how bursts collapse and how long subscriptions live (from the app settings). */
export interface NotificationSettings {
  /** Unset when PUBLIC_BASE_URL is: no subscriptions, changes arrive with the scheduled reconcile. */
  endpoints?: { notificationUrl: string; lifecycleNotificationUrl: string };
  debounceMs: number;
  lifetimeMinutes: Record<SubscribedResource, number>;
}

/** Everything a function needs, built once per process (composition root: createServices). */
export interface Services extends TableStores {
  secrets: SecretStore;
  queue: JobQueue;
  connectorsFor(tenant: TenantRecord): Promise<TenantConnectors>;
  syncConcurrency: number;
  notifications: NotificationSettings;
  /** Debounced delta jobs, shared by the webhooks and subscription maintenance (catch-up after a create). */
  deltaRequests: DebouncedDeltaEnqueuer;
  /** The webhooks' per-process state: subscription cache and counters. */
  webhook: NotificationIntake;
}
