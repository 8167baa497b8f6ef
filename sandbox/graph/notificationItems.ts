import { type DirectoryCollection, type SandboxSubscription } from './SandboxSubscription';
import { type NotificationItem } from './NotificationDelivery';

const RESOURCE_NAMES: Record<DirectoryCollection, { path: string; type: string }> = {
  users: { path: 'Users', type: '#Microsoft.Graph.User' },
  groups: { path: 'Groups', type: '#Microsoft.Graph.Group' },
};

/**
 * A basic change notification for a user or group, exactly as Graph shapes it (directory objects never
 * carry resource data beyond their id).
 */
export function directoryChangeItem(
  s: SandboxSubscription,
  collection: DirectoryCollection,
  id: string,
  changeType: 'updated' | 'deleted',
  tenantId: string,
): NotificationItem {
  const { path, type } = RESOURCE_NAMES[collection];
  return {
    subscriptionId: s.id,
    subscriptionExpirationDateTime: new Date(s.expiresAt).toISOString(),
    changeType,
    resource: `${path}/${id}`,
    resourceData: { '@odata.type': type, '@odata.id': `${path}/${id}`, id, organizationId: tenantId },
    clientState: s.clientState,
    tenantId,
  };
}

/**
 * A basic change notification for an Outlook contact, as Graph shapes it: the resource names the mailbox's
 * user and the contact, and resourceData carries the contact's etag.
 */
export function contactChangeItem(
  s: SandboxSubscription,
  change: { mailboxId: string; contactId: string; changeKey: string; changeType: 'created' | 'updated' | 'deleted' },
  tenantId: string,
): NotificationItem {
  return outlookChangeItem(s, { ...change, itemId: change.contactId }, { path: 'Contacts', type: '#Microsoft.Graph.Contact' }, tenantId);
}

/** A basic change notification for an Outlook event (a series change names its master), shaped like a contact's. */
export function eventChangeItem(
  s: SandboxSubscription,
  change: { mailboxId: string; eventId: string; changeKey: string; changeType: 'created' | 'updated' | 'deleted' },
  tenantId: string,
): NotificationItem {
  return outlookChangeItem(s, { ...change, itemId: change.eventId }, { path: 'Events', type: '#Microsoft.Graph.Event' }, tenantId);
}

function outlookChangeItem(
  s: SandboxSubscription,
  change: { mailboxId: string; itemId: string; changeKey: string; changeType: 'created' | 'updated' | 'deleted' },
  kind: { path: string; type: string },
  tenantId: string,
): NotificationItem {
  const resource = `Users/${change.mailboxId}/${kind.path}/${change.itemId}`;
  return {
    subscriptionId: s.id,
    subscriptionExpirationDateTime: new Date(s.expiresAt).toISOString(),
    changeType: change.changeType,
    resource,
    resourceData: {
      '@odata.type': kind.type,
      '@odata.id': resource,
      '@odata.etag': `W/"${change.changeKey}"`,
      id: change.itemId,
    },
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
