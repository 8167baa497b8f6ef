import type { Client } from '@microsoft/microsoft-graph-client';
import { z } from 'zod';
import { AppError, isAppError } from '../core/errors/AppError';
import { type GraphSubscription, type NewSubscription, type SubscriptionClient } from './SubscriptionClient';
import { graphErrorFor } from './graphErrorFor';

const SubscriptionSchema = z
  .object({
    id: z.string().min(1),
    resource: z.string(),
    notificationUrl: z.string(),
    expirationDateTime: z.string().datetime({ offset: true }),
  })
  .passthrough();

const SubscriptionListSchema = z.object({ value: z.array(SubscriptionSchema), '@odata.nextLink': z.string().optional() });

function toSubscription(body: unknown, what: string): GraphSubscription {
  const parsed = SubscriptionSchema.safeParse(body);
  if (!parsed.success) throw new AppError('INTERNAL', `${what}: Graph answered with an unexpected subscription body`);
  const { id, resource, notificationUrl, expirationDateTime } = parsed.data;
  return { id, resource, notificationUrl, expirationDateTime: new Date(expirationDateTime).toISOString() };
}

/** The SubscriptionClient adapter over Microsoft Graph (`/subscriptions`), through the tenant's client. */
export class GraphSubscriptionClient implements SubscriptionClient {
  constructor(private readonly client: Client) {}

  async create(subscription: NewSubscription): Promise<GraphSubscription> {
    const what = `creating a subscription to ${subscription.resource}`;
    return toSubscription(await this.call(what, () => this.client.api('/subscriptions').post(subscription)), what);
  }

  async renew(subscriptionId: string, expirationDateTime: string): Promise<GraphSubscription> {
    const what = `renewing subscription ${subscriptionId}`;
    return toSubscription(
      await this.call(what, () => this.client.api(`/subscriptions/${encodeURIComponent(subscriptionId)}`).patch({ expirationDateTime })),
      what,
    );
  }

  async reauthorize(subscriptionId: string): Promise<void> {
    await this.call(`reauthorizing subscription ${subscriptionId}`, () =>
      this.client.api(`/subscriptions/${encodeURIComponent(subscriptionId)}/reauthorize`).post({}),
    );
  }

  async delete(subscriptionId: string): Promise<void> {
    try {
      await this.call(`deleting subscription ${subscriptionId}`, () =>
        this.client.api(`/subscriptions/${encodeURIComponent(subscriptionId)}`).delete(),
      );
    } catch (err) {
      if (!isAppError(err, 'NOT_FOUND')) throw err;
    }
  }

  async list(): Promise<GraphSubscription[]> {
    const what = 'listing subscriptions';
    const found: GraphSubscription[] = [];
    let path: string | undefined = '/subscriptions';
    while (path) {
      const current: string = path;
      const parsed = SubscriptionListSchema.safeParse(await this.call(what, () => this.client.api(current).get()));
      if (!parsed.success) throw new AppError('INTERNAL', `${what}: Graph answered with an unexpected list body`);
      found.push(...parsed.data.value.map((s) => toSubscription(s, what)));
      const next = parsed.data['@odata.nextLink'];
      path = next ? next.replace(/^https?:\/\/[^/]+\/v1\.0/, '') : undefined;
    }
    return found;
  }

  private async call(what: string, request: () => Promise<unknown>): Promise<unknown> {
    try {
      return await request();
    } catch (err) {
      throw graphErrorFor(err, what);
    }
  }
}

/** Graph's 400 for an expiry beyond what the resource allows ("Subscription expiration can only be N minutes in the future"). */
export function isLifetimeRefusal(err: unknown): boolean {
  return isAppError(err, 'INVALID') && err.upstreamStatus === 400 && /expiration/i.test(err.message);
}
