import { type ChangeNotification, notificationTenant } from '../graph/ChangeNotification';
import { clientStateMatches } from '../graph/clientState';
import { type SubscriptionRecord } from '../subscriptions/SubscriptionStore';
import { type LookupOutcome } from './CachedSubscriptionLookup';
import { type DropReason } from './NotificationStats';

export type CheckedNotification = { ok: true; record: SubscriptionRecord } | { ok: false; reason: DropReason };

/**
 * Whether a notification comes from one of our subscriptions, given what the lookup found for its id: the
 * subscription is in our table, the clientState is the one we gave it (constant-time), and it names the
 * subscription's directory. An id that could not be looked up is dropped with the reason why.
 */
export function checkNotification(notification: ChangeNotification, lookup: LookupOutcome | undefined): CheckedNotification {
  if (!lookup) return { ok: false, reason: 'lookupFailed' };
  if (lookup.kind === 'unknown') return { ok: false, reason: 'unknownSubscription' };
  if (lookup.kind === 'failed') return { ok: false, reason: 'lookupFailed' };
  if (lookup.kind !== 'found') return { ok: false, reason: lookup.kind };
  const { record } = lookup;
  if (!clientStateMatches(notification.clientState, record.clientStateHash)) return { ok: false, reason: 'clientStateMismatch' };
  if (notificationTenant(notification).toLowerCase() !== record.directoryId.toLowerCase()) return { ok: false, reason: 'tenantMismatch' };
  return { ok: true, record };
}
