import { type SubscriptionRecord } from './SubscriptionStore';
import { type WantedSubscription } from './wantedSubscriptions';

export interface SubscriptionPlan {
  create: WantedSubscription[];
  renew: { record: SubscriptionRecord; wanted: WantedSubscription }[];
  /** No longer wanted, duplicated, or already expired at Graph (which deletes expired subscriptions). */
  remove: SubscriptionRecord[];
}

/** A subscription within this much of its expiry is treated as gone: a renewal might not land in time. */
const EXPIRY_MARGIN_MS = 5 * 60_000;

const sameTarget = (record: SubscriptionRecord, wanted: WantedSubscription) =>
  record.resource === wanted.resource &&
  record.graphResource === wanted.graphResource &&
  record.changeType === wanted.changeType &&
  record.notificationUrl === wanted.notificationUrl &&
  record.lifecycleNotificationUrl === wanted.lifecycleNotificationUrl;

/**
 * What to do with a tenant's subscriptions, from our table alone. Each wanted subscription keeps the live
 * record with the latest expiry; it is renewed once less than half its lifetime is left (so a renewal
 * that fails has days of retries before anything lapses). A changed URL means delete and recreate, since
 * Graph cannot add a lifecycle URL by PATCH.
 */
export function planSubscriptions(wanted: WantedSubscription[], existing: SubscriptionRecord[], now: Date): SubscriptionPlan {
  const plan: SubscriptionPlan = { create: [], renew: [], remove: [] };
  const claimed = new Set<string>();
  for (const want of wanted) {
    const matching = existing.filter((r) => !claimed.has(r.subscriptionId) && sameTarget(r, want));
    for (const r of matching) claimed.add(r.subscriptionId);
    const live = matching
      .filter((r) => Date.parse(r.expiresAt) - now.getTime() > EXPIRY_MARGIN_MS)
      .sort((a, b) => Date.parse(b.expiresAt) - Date.parse(a.expiresAt));
    const keep = live[0];
    plan.remove.push(...matching.filter((r) => r !== keep));
    if (!keep) plan.create.push(want);
    else if (Date.parse(keep.expiresAt) - now.getTime() < (want.lifetimeMinutes * 60_000) / 2)
      plan.renew.push({ record: keep, wanted: want });
  }
  plan.remove.push(...existing.filter((r) => !claimed.has(r.subscriptionId)));
  return plan;
}
