import { type TenantConfig } from '../config/TenantConfig';
import { type NotificationSettings } from '../app/Services';
import { type FeatureRegistry } from '../features/FeatureRegistry';
import { type SubscribedResource } from './SubscriptionStore';
import { type LinkedUser } from '../engine/LinkedUsers';
import { type DirectoryReader } from '../graph/DirectoryReader';

/** A subscription a tenant's options call for. */
export interface WantedSubscription {
  /** The feature whose delta run its notifications ask for. */
  resource: SubscribedResource;
  graphResource: string;
  /** A per-user subscription's user. */
  subject?: string | undefined;
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string;
  lifetimeMinutes: number;
}

/** Below Graph's maximum, so clock skew never makes a request "too long". */
const LIFETIME_MARGIN_MINUTES = 60;

/**
 * The subscriptions a tenant needs: those of every feature that is on for it, and for a feature that subscribes
 * per user, one for each user `usersOf` names for it. None when the tenant is disabled or no public endpoint is
 * configured. An app setting may ask for a shorter lifetime per feature.
 */
export function wantedSubscriptions(
  config: TenantConfig,
  notifications: NotificationSettings,
  features: FeatureRegistry,
  usersOf: (feature: string) => readonly string[] = () => [],
): WantedSubscription[] {
  const endpoints = notifications.endpoints;
  if (!endpoints) return [];
  return features.enabledFor(config).flatMap(({ feature, options }) => {
    const name = feature.manifest.name;
    const lifetime = (maxLifetimeMinutes: number) =>
      Math.min(notifications.lifetimeMinutes[name.toUpperCase()] ?? maxLifetimeMinutes - LIFETIME_MARGIN_MINUTES, maxLifetimeMinutes);
    const shared = feature.subscriptions(options).map((s) => ({
      resource: name,
      graphResource: s.graphResource,
      changeType: s.changeType,
      ...endpoints,
      lifetimeMinutes: lifetime(s.maxLifetimeMinutes),
    }));
    const perUser = feature.userSubscriptions?.subscription(options);
    if (!perUser) return shared;
    return [
      ...shared,
      ...usersOf(name).map((userId) => ({
        resource: name,
        graphResource: perUser.graphResource(userId),
        subject: userId,
        changeType: perUser.changeType,
        ...endpoints,
        lifetimeMinutes: lifetime(perUser.maxLifetimeMinutes),
      })),
    ];
  });
}

/**
 * The users each per-user-subscribing feature that is on for the tenant wants subscribed (its scope over the
 * synced users); read before the upkeep plans, since the scope may need Graph.
 */
export async function usersToSubscribe(
  config: TenantConfig,
  features: FeatureRegistry,
  synced: () => Promise<LinkedUser[]>,
  directoryReader: DirectoryReader,
): Promise<Map<string, string[]>> {
  const byFeature = new Map<string, string[]>();
  let users: LinkedUser[] | undefined;
  for (const { feature, options } of features.enabledFor(config)) {
    const perUser = feature.userSubscriptions;
    if (!perUser?.subscription(options)) continue;
    users ??= await synced();
    const inScope = await perUser.usersInScope({ directoryReader, options }, users);
    byFeature.set(
      feature.manifest.name,
      inScope.map((u) => u.objectId),
    );
  }
  return byFeature;
}
