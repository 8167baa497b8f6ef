import { type TenantConfig } from '../config/TenantConfig';
import { type NotificationSettings } from '../app/Services';
import { type FeatureRegistry } from '../features/FeatureRegistry';
import { type SubscribedResource } from './SubscriptionStore';

/** A subscription a tenant's options call for. */
export interface WantedSubscription {
  /** The feature whose delta run its notifications ask for. */
  resource: SubscribedResource;
  graphResource: string;
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string;
  lifetimeMinutes: number;
}

/** Below Graph's maximum, so clock skew never makes a request "too long". */
const LIFETIME_MARGIN_MINUTES = 60;

/**
 * The subscriptions a tenant needs: those of every feature that is on for it. None when the tenant is
 * disabled or no public endpoint is configured. An app setting may ask for a shorter lifetime per feature.
 */
export function wantedSubscriptions(
  config: TenantConfig,
  notifications: NotificationSettings,
  features: FeatureRegistry,
): WantedSubscription[] {
  const endpoints = notifications.endpoints;
  if (!endpoints) return [];
  return features.enabledFor(config).flatMap(({ feature, options }) =>
    feature.subscriptions(options).map((s) => ({
      resource: feature.manifest.name,
      graphResource: s.graphResource,
      changeType: s.changeType,
      ...endpoints,
      lifetimeMinutes: Math.min(
        notifications.lifetimeMinutes[feature.manifest.name.toUpperCase()] ?? s.maxLifetimeMinutes - LIFETIME_MARGIN_MINUTES,
        s.maxLifetimeMinutes,
      ),
    })),
  );
}
