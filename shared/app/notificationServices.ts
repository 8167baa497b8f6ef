import { type AppSettings } from '../config/AppSettings';
import { CachedSubscriptionLookup } from '../notifications/CachedSubscriptionLookup';
import { DeltaDemand } from '../notifications/DeltaDemand';
import { type DeltaDemandStore } from '../notifications/DeltaDemandStore';
import { NotificationIntake } from '../notifications/NotificationIntake';
import { webhookRoutes } from '../notifications/webhookRoutes';
import { type JobQueue } from '../platform/queue/JobQueue';
import { type SubscriptionStore } from '../subscriptions/SubscriptionStore';
import { type NotificationSettings, type Services } from './Services';
import { type FeatureRegistry } from '../features/FeatureRegistry';

const routeOf = (name: string) => webhookRoutes.find((r) => r.name === name)!.route;

/** The notification endpoints' URLs under the app's public root (webhookRoutes). */
export function notificationSettingsFrom(
  settings: Pick<AppSettings, 'PUBLIC_BASE_URL' | 'NOTIFICATION_DEBOUNCE_MS'> & Partial<Pick<AppSettings, 'subscriptionLifetimeMinutes'>>,
): NotificationSettings {
  const root = settings.PUBLIC_BASE_URL?.replace(/\/+$/, '');
  return {
    endpoints: root
      ? {
          notificationUrl: `${root}/api/${routeOf('graphNotifications')}`,
          lifecycleNotificationUrl: `${root}/api/${routeOf('graphLifecycle')}`,
        }
      : undefined,
    publicBaseUrl: root,
    debounceMs: settings.NOTIFICATION_DEBOUNCE_MS,
    lifetimeMinutes: settings.subscriptionLifetimeMinutes ?? {},
  };
}

/** The notification parts of Services over a queue, the subscription table and the delta demand table. */
export function notificationServices(
  notifications: NotificationSettings,
  queue: JobQueue,
  subscriptions: SubscriptionStore,
  features: FeatureRegistry,
  deltaDemand: DeltaDemandStore,
): Pick<Services, 'notifications' | 'deltaRequests' | 'webhook'> {
  const deltaRequests = new DeltaDemand({ store: deltaDemand, queue });
  const webhook = new NotificationIntake({
    lookup: new CachedSubscriptionLookup(subscriptions),
    features,
    queue,
    deltas: deltaRequests,
    debounceMs: notifications.debounceMs,
  });
  return { notifications, deltaRequests, webhook };
}
