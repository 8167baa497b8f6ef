import { randomBytes } from 'node:crypto';
import { AppError, isAppError } from '../core/errors/AppError';
import { ensureError } from '../core/errors/ensureError';
import { isRetryable } from '../core/errors/isRetryable';
import { isLifetimeRefusal } from '../graph/GraphSubscriptionClient';
import { type SubscriptionClient } from '../graph/SubscriptionClient';
import { clientStateHash, newClientState } from '../graph/clientState';
import { type Services } from '../app/Services';
import { type SubscriptionRecord } from './SubscriptionStore';
import { type TenantRecord } from '../app/TenantStore';
import { planSubscriptions } from './planSubscriptions';
import { type WantedSubscription, wantedSubscriptions } from './wantedSubscriptions';
import { type Logger } from '../core/logging/Logger';
import { type FeatureManifest } from '../features/FeatureManifest';
import { runWithConcurrency } from '../engine/runWithConcurrency';
import { featureTimers } from '../app/featureTimers';

/** Creates and renewals in flight at once during one upkeep. */
const UPKEEP_CONCURRENCY = 8;

/** Used when Graph refuses the configured lifetime as too long (the documented caps have changed over time). */
export const FALLBACK_LIFETIME_MINUTES = 4230;

/** What one upkeep did, by subscription id; `errors` are final failures (retryable ones are thrown after the
 * other actions ran, so the job is retried). */
export type SubscriptionChanges = Record<'created' | 'renewed' | 'recreated' | 'removed' | 'orphansDeleted' | 'errors', string[]>;

/** What a tenant's subscription upkeep uses: the table, the clientState secrets, the endpoints and lifetimes,
 * the features (what to subscribe to), the catch-up delta requests, and the webhook's cache of subscription
 * ids with the queue for a late catch-up (see `create`). */
export type SubscriptionUpkeepDeps = Pick<
  Services,
  'subscriptions' | 'secrets' | 'notifications' | 'features' | 'deltaRequests' | 'queue' | 'webhook'
>;

const noChanges = (): SubscriptionChanges => ({ created: [], renewed: [], recreated: [], removed: [], orphansDeleted: [], errors: [] });

/**
 * Keeps one tenant's Graph subscriptions in line with its options, with our table as the truth. Every
 * subscription gets its own random clientState, kept in the secret store; the table holds only its hash.
 * Whenever a subscription is (re)created, changes may have happened while none was listening, so a
 * catch-up delta is requested.
 */
export class TenantSubscriptions {
  private readonly wanted: WantedSubscription[];

  constructor(
    private readonly deps: SubscriptionUpkeepDeps,
    private readonly tenant: TenantRecord,
    private readonly client: SubscriptionClient,
    private readonly log: Logger,
    private readonly now: () => Date = () => new Date(),
    /** Per feature that subscribes per user, the users it wants subscribed (usersToSubscribe). */
    usersByFeature: ReadonlyMap<string, readonly string[]> = new Map(),
  ) {
    this.wanted = wantedSubscriptions(tenant.config, deps.notifications, deps.features, (f) => usersByFeature.get(f) ?? []);
  }

  /** Creates what is missing, renews what expires within half its lifetime, removes the rest. */
  async maintain(): Promise<SubscriptionChanges> {
    const changes = noChanges();
    const existing = await this.deps.subscriptions.listForTenant(this.tenant.id);
    const plan = planSubscriptions(this.wanted, existing, this.now());
    const retryable: Error[] = [];
    const attempt = async (what: string, action: () => Promise<unknown>) => {
      try {
        await action();
      } catch (err) {
        const error = ensureError(err);
        if (isRetryable(err)) retryable.push(error);
        else changes.errors.push(`${what}: ${error.message}`);
        this.log.warn(`subscription upkeep: ${what} failed`, { tenant: this.tenant.id, error: error.message });
      }
    };
    for (const record of plan.remove)
      await attempt(`removing ${record.subscriptionId}`, async () => changes.removed.push(await this.remove(record)));
    // Per-user subscriptions make these lists as long as the tenant (a create is a Graph round trip with its
    // validation handshake): a few side by side keep a large tenant's first upkeep within minutes.
    await runWithConcurrency(plan.renew, UPKEEP_CONCURRENCY, ({ record, wanted }) =>
      attempt(`renewing ${record.subscriptionId}`, async () => {
        const outcome = await this.renewOrRecreate(record, wanted);
        (outcome.recreated ? changes.recreated : changes.renewed).push(outcome.subscriptionId);
      }),
    );
    await runWithConcurrency(plan.create, UPKEEP_CONCURRENCY, (wanted) =>
      attempt(`creating a subscription to ${wanted.graphResource}`, async () =>
        changes.created.push((await this.create(wanted)).subscriptionId),
      ),
    );
    if (this.wanted.length > 0)
      await attempt('deleting orphaned subscriptions', async () => changes.orphansDeleted.push(...(await this.deleteOrphans())));
    if (retryable.length > 0)
      throw new AppError('TRANSIENT', `subscriptions of ${this.tenant.id}: ${retryable.map((e) => e.message).join('; ')}`, {
        cause: retryable[0],
      });
    return changes;
  }

  /** `reauthorizationRequired`: a renewal reauthorizes too, and pushes the expiry out. */
  async reauthorize(subscriptionId: string): Promise<SubscriptionChanges> {
    const changes = noChanges();
    const record = await this.ownRecord(subscriptionId);
    if (!record) return changes;
    const wanted = this.wantedFor(record);
    if (!wanted) {
      changes.removed.push(await this.remove(record));
      return changes;
    }
    const outcome = await this.renewOrRecreate(record, wanted);
    (outcome.recreated ? changes.recreated : changes.renewed).push(outcome.subscriptionId);
    return changes;
  }

  /** `subscriptionRemoved`: Graph dropped it; forget it, create a new one, catch up. */
  async recreate(subscriptionId: string): Promise<SubscriptionChanges> {
    const changes = noChanges();
    const record = await this.ownRecord(subscriptionId);
    if (!record) return changes; // already replaced (a repeated event)
    changes.removed.push(await this.remove(record));
    const wanted = this.wantedFor(record);
    if (wanted) changes.recreated.push((await this.create(wanted)).subscriptionId);
    return changes;
  }

  /** The tenant is being deleted: every subscription goes, at Graph and here. */
  async removeAll(): Promise<string[]> {
    const removed: string[] = [];
    for (const record of await this.deps.subscriptions.listForTenant(this.tenant.id)) removed.push(await this.remove(record));
    return removed;
  }

  private async ownRecord(subscriptionId: string): Promise<SubscriptionRecord | null> {
    const record = await this.deps.subscriptions.get(subscriptionId);
    return record && record.tenantId === this.tenant.id ? record : null;
  }

  private wantedFor(record: SubscriptionRecord): WantedSubscription | undefined {
    return this.wanted.find((w) => w.resource === record.resource && w.graphResource === record.graphResource);
  }

  private expiry(lifetimeMinutes: number): string {
    return new Date(this.now().getTime() + lifetimeMinutes * 60_000).toISOString();
  }

  private async create(wanted: WantedSubscription): Promise<SubscriptionRecord> {
    const startedAt = this.now();
    const clientState = newClientState();
    const clientStateSecretName = `graph-client-state-${this.tenant.id}-${randomBytes(6).toString('hex')}`;
    await this.deps.secrets.setSecret(clientStateSecretName, clientState);
    const request = {
      resource: wanted.graphResource,
      changeType: wanted.changeType,
      notificationUrl: wanted.notificationUrl,
      lifecycleNotificationUrl: wanted.lifecycleNotificationUrl,
      clientState,
    };
    let created;
    try {
      try {
        created = await this.client.create({ ...request, expirationDateTime: this.expiry(wanted.lifetimeMinutes) });
      } catch (err) {
        if (!isLifetimeRefusal(err) || wanted.lifetimeMinutes <= FALLBACK_LIFETIME_MINUTES) throw err;
        this.log.warn(`Graph refused the subscription lifetime; using ${FALLBACK_LIFETIME_MINUTES} minutes`, {
          tenant: this.tenant.id,
          resource: wanted.graphResource,
          refusedMinutes: wanted.lifetimeMinutes,
        });
        created = await this.client.create({ ...request, expirationDateTime: this.expiry(FALLBACK_LIFETIME_MINUTES) });
      }
    } catch (err) {
      await this.deps.secrets.deleteSecret(clientStateSecretName).catch(() => undefined);
      throw err;
    }
    const now = this.now().toISOString();
    const record: SubscriptionRecord = {
      subscriptionId: created.id,
      tenantId: this.tenant.id,
      directoryId: this.tenant.config.microsoft365.directoryId,
      resource: wanted.resource,
      graphResource: wanted.graphResource,
      ...(wanted.subject ? { subject: wanted.subject } : {}),
      changeType: wanted.changeType,
      notificationUrl: wanted.notificationUrl,
      lifecycleNotificationUrl: wanted.lifecycleNotificationUrl,
      expiresAt: created.expirationDateTime,
      clientStateHash: clientStateHash(clientState),
      clientStateSecretName,
      createdAt: now,
    };
    try {
      await this.deps.subscriptions.save(record);
    } catch (err) {
      // Unrecorded, its notifications would be dropped as unknown until it expired: take it back.
      await this.client.delete(created.id).catch(() => undefined);
      await this.deps.secrets.deleteSecret(clientStateSecretName).catch(() => undefined);
      throw err;
    }
    this.log.info('subscription created', {
      tenant: this.tenant.id,
      subscription: created.id,
      resource: wanted.graphResource,
      expires: created.expirationDateTime,
    });
    // This process's webhook caches the record at once. A webhook instance elsewhere can only have
    // taken the id for unknown if this create took long (its negative cache needs two misses 10 s apart,
    // and the first cannot come before the create started): then it may drop the new subscription's
    // notifications until its entry expires, so a second catch-up delta is queued for after that moment.
    const unknownPossibleUntil = this.deps.webhook.subscriptionSaved(record, startedAt, this.now());
    const { manifest, userSubscriptions } = this.deps.features.get(wanted.resource);
    if (wanted.subject && userSubscriptions) {
      // A per-user subscription catches up on its own user only (after the window in which a webhook elsewhere
      // may have dropped its first notifications).
      const at = unknownPossibleUntil ? new Date(unknownPossibleUntil.getTime() + 1000) : this.now();
      const timer = userSubscriptions.timerFor(wanted.subject, at);
      await featureTimers(this.deps, this.tenant.id, manifest, this.now).schedule([timer]);
      return record;
    }
    // Changes made before this subscription listened are picked up by one delta round.
    await this.deps.deltaRequests.request(this.tenant.id, manifest, 'lifecycle');
    if (unknownPossibleUntil) {
      // The subscription exists either way; without this job the scheduled reconcile is the safety net.
      await this.lateCatchUp(manifest, unknownPossibleUntil, created.id).catch((err: unknown) =>
        this.log.warn('could not queue the late catch-up delta', { tenant: this.tenant.id, error: ensureError(err).message }),
      );
    }
    return record;
  }

  /**
   * A catch-up delta delivered at `at`, straight to the queue (the delta requests have no "not before"): one
   * message id per subscription, so a repeated upkeep queues it once.
   */
  private async lateCatchUp(manifest: FeatureManifest, at: Date, subscriptionId: string): Promise<void> {
    const messageId = `catchup:${this.tenant.id}:${manifest.name}:${subscriptionId}`.slice(0, 128);
    const scheduledEnqueueTime = new Date(at.getTime() + 1000);
    await this.deps.queue.enqueue(
      {
        kind: 'sync',
        jobId: messageId,
        tenantId: this.tenant.id,
        feature: manifest.name,
        lane: manifest.lane,
        mode: 'delta',
        trigger: 'lifecycle',
        requestedAt: this.now().toISOString(),
      },
      { messageId, scheduledEnqueueTime },
    );
    this.log.info('slow subscription create: a second catch-up delta is queued', {
      tenant: this.tenant.id,
      subscription: subscriptionId,
      at: scheduledEnqueueTime.toISOString(),
    });
  }

  /** Renews; a subscription Graph no longer has (404), or an expiry it refuses (400), is recreated. */
  private async renewOrRecreate(
    record: SubscriptionRecord,
    wanted: WantedSubscription,
  ): Promise<{ subscriptionId: string; recreated: boolean }> {
    try {
      const renewed = await this.client.renew(record.subscriptionId, this.expiry(wanted.lifetimeMinutes));
      await this.deps.subscriptions.save({ ...record, expiresAt: renewed.expirationDateTime, renewedAt: this.now().toISOString() });
      return { subscriptionId: record.subscriptionId, recreated: false };
    } catch (err) {
      if (!isAppError(err, 'NOT_FOUND') && !isLifetimeRefusal(err)) throw err;
      this.log.warn('subscription renewal failed; recreating it', {
        tenant: this.tenant.id,
        subscription: record.subscriptionId,
        error: ensureError(err).message,
      });
      await this.remove(record);
      return { subscriptionId: (await this.create(wanted)).subscriptionId, recreated: true };
    }
  }

  /** Deletes at Graph (gone already is fine), then our record and its secret. Returns the id. */
  private async remove(record: SubscriptionRecord): Promise<string> {
    try {
      await this.client.delete(record.subscriptionId);
    } catch (err) {
      if (isRetryable(err)) throw err;
      // Access revoked or similar: Graph will expire it; without our record its notifications are dropped.
      this.log.warn('could not delete the subscription at Graph; forgetting it', {
        tenant: this.tenant.id,
        subscription: record.subscriptionId,
        error: ensureError(err).message,
      });
    }
    await this.deps.subscriptions.remove(record.subscriptionId);
    await this.deps.secrets.deleteSecret(record.clientStateSecretName).catch((err: unknown) => {
      if (!isAppError(err, 'NOT_FOUND')) throw err;
    });
    return record.subscriptionId;
  }

  /**
   * Subscriptions at Graph to our endpoint that our table does not know (a crash between Graph's answer and
   * our write): they only count against the quota, so they are deleted.
   */
  private async deleteOrphans(): Promise<string[]> {
    const urls = new Set(this.wanted.map((w) => w.notificationUrl));
    const deleted: string[] = [];
    for (const subscription of await this.client.list()) {
      if (!urls.has(subscription.notificationUrl) || Date.parse(subscription.expirationDateTime) <= this.now().getTime()) continue;
      if (await this.deps.subscriptions.get(subscription.id)) continue;
      await this.client.delete(subscription.id);
      deleted.push(subscription.id);
    }
    if (deleted.length > 0) this.log.info('deleted orphaned subscriptions', { tenant: this.tenant.id, count: deleted.length });
    return deleted;
  }
}
