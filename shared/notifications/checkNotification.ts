import { type ChangeNotification, notificationTenant } from '../graph/ChangeNotification';
import { clientStateMatches } from '../graph/clientState';
import { type SubscriptionRecord } from '../subscriptions/SubscriptionStore';
import { type SubscriptionLookup } from './CachedSubscriptionLookup';
import { type DropReason } from './NotificationStats';

export type CheckedNotification = { ok: true; record: SubscriptionRecord } | { ok: false; reason: DropReason };

/**
 * Whether a notification comes from one of our subscriptions: the subscription is in our table, the
 * clientState is the one we gave it (constant-time), and it names the subscription's directory.
 */
export async function checkNotification(notification: ChangeNotification, lookup: SubscriptionLookup): Promise<CheckedNotification> {
  const record = await lookup.get(notification.subscriptionId);
  if (!record) return { ok: false, reason: 'unknownSubscription' };
  if (!clientStateMatches(notification.clientState, record.clientStateHash)) return { ok: false, reason: 'clientStateMismatch' };
  if (notificationTenant(notification).toLowerCase() !== record.directoryId.toLowerCase()) return { ok: false, reason: 'tenantMismatch' };
  return { ok: true, record };
}
