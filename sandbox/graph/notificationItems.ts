import { type SandboxSubscription } from './SandboxSubscription';
import { type NotificationItem } from './NotificationDelivery';

/** A basic change notification for a user, exactly as Graph shapes it (users never carry resource data). */
export function userChangeItem(
  s: SandboxSubscription,
  userId: string,
  changeType: 'updated' | 'deleted',
  tenantId: string,
): NotificationItem {
  return {
    subscriptionId: s.id,
    subscriptionExpirationDateTime: new Date(s.expiresAt).toISOString(),
    changeType,
    resource: `Users/${userId}`,
    resourceData: { '@odata.type': '#Microsoft.Graph.User', '@odata.id': `Users/${userId}`, id: userId, organizationId: tenantId },
    clientState: s.clientState,
    tenantId,
  };
}

export type LifecycleEventName = 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';

/** Which property carries the tenant in a lifecycle item: real Graph has been seen sending `organizationId`. */
export type LifecycleTenantField = 'tenantId' | 'organizationId';

/** A lifecycle event; with `organizationId` (seen from real Graph) it also has an empty `resource`. */
export function lifecycleItem(
  s: SandboxSubscription,
  event: LifecycleEventName,
  tenantId: string,
  tenantField: LifecycleTenantField = 'tenantId',
): NotificationItem {
  return {
    subscriptionId: s.id,
    subscriptionExpirationDateTime: new Date(s.expiresAt).toISOString(),
    ...(tenantField === 'tenantId' ? { tenantId } : { organizationId: tenantId, resource: '' }),
    clientState: s.clientState,
    lifecycleEvent: event,
  };
}
