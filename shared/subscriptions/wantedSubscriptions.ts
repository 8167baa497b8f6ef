import { type TenantConfig } from '../config/TenantConfig';
import { type NotificationSettings } from '../app/Services';
import { type SubscribedResource } from './SubscriptionStore';

/** A subscription a tenant's options call for. */
export interface WantedSubscription {
  resource: SubscribedResource;
  graphResource: string;
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string;
  lifetimeMinutes: number;
}

/**
 * The subscriptions a tenant needs: users while its user sync is on (creation and soft delete arrive as
 * `updated`, permanent deletion as `deleted`). Groups, mailbox contacts and calendars join this list when
 * those syncs exist. None when the tenant is disabled or no public endpoint is configured.
 */
export function wantedSubscriptions(config: TenantConfig, notifications: NotificationSettings): WantedSubscription[] {
  const endpoints = notifications.endpoints;
  if (!endpoints || !config.enabled) return [];
  const wanted: WantedSubscription[] = [];
  if (config.users.enabled) {
    wanted.push({
      resource: 'users',
      graphResource: 'users',
      changeType: 'updated,deleted',
      ...endpoints,
      lifetimeMinutes: notifications.lifetimeMinutes.users,
    });
  }
  return wanted;
}
