import { beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../shared/core/errors/AppError';
import { clientStateMatches } from '../../../shared/graph/clientState';
import { type InProcessJobQueue } from '../../../shared/platform/queue/InProcessJobQueue';
import { type Services } from '../../../shared/app/Services';
import { type TenantRecord } from '../../../shared/app/TenantStore';
import { processSubscriptionJob } from '../../../shared/app/processSubscriptionJob';
import { FALLBACK_LIFETIME_MINUTES, TenantSubscriptions } from '../../../shared/subscriptions/TenantSubscriptions';
import { createTestServices } from '../../support/testServices';
import { FakeSubscriptionClient } from '../../support/FakeSubscriptionClient';
import { Logger } from '../../../shared/core/logging/Logger';
import { contosoTenantConfig } from '../../support/contosoTenantConfig';
import { capturingLogger } from '../../support/capturingLogger';

const DIRECTORY = '11111111-1111-4111-8111-111111111111';
let services: Services & { queue: InProcessJobQueue };
let client: FakeSubscriptionClient;
let now: Date;
let tenant: TenantRecord;

const subscriptionsOf = (t: TenantRecord = tenant) => new TenantSubscriptions(services, t, client, Logger.silent(), () => now);
const advanceMinutes = (m: number) => {
  now = new Date(now.getTime() + m * 60_000);
};

beforeEach(async () => {
  services = await createTestServices({}, { publicBaseUrl: 'https://fn.example', lifetimeMinutes: 41_700 });
  now = new Date('2026-11-23T12:00:00.000Z');
  client = new FakeSubscriptionClient(() => now);
  tenant = await services.tenants.create('contoso', contosoTenantConfig(DIRECTORY));
});

describe('TenantSubscriptions (our table as the truth; Graph faked at the port)', () => {
  it('creates the users subscription with a secret clientState, records only its hash, and asks for a catch-up delta', async () => {
    const changes = await subscriptionsOf().maintain();
    expect(changes.created).toHaveLength(1);
    const [record] = await services.subscriptions.listForTenant('contoso');
    const atGraph = client.live.get(record!.subscriptionId)!;
    expect(record).toMatchObject({
      tenantId: 'contoso',
      directoryId: DIRECTORY,
      graphResource: 'users',
      changeType: 'updated,deleted',
      notificationUrl: 'https://fn.example/api/graph/notifications',
      lifecycleNotificationUrl: 'https://fn.example/api/graph/lifecycle',
      expiresAt: '2026-12-22T11:00:00.000Z',
    });
    expect(await services.secrets.getSecret(record!.clientStateSecretName)).toBe(atGraph.clientState);
    expect(clientStateMatches(atGraph.clientState, record!.clientStateHash)).toBe(true);
    expect(JSON.stringify(record)).not.toContain(atGraph.clientState);
    expect(services.queue.stats().enqueued).toBe(1);
  });

  it('does nothing while more than half the lifetime is left, then renews before expiry', async () => {
    await subscriptionsOf().maintain();
    const [created] = await services.subscriptions.listForTenant('contoso');
    advanceMinutes(10 * 24 * 60);
    expect(await subscriptionsOf().maintain()).toMatchObject({ created: [], renewed: [], removed: [] });
    advanceMinutes(5 * 24 * 60);
    const changes = await subscriptionsOf().maintain();
    expect(changes.renewed).toEqual([created!.subscriptionId]);
    const [renewed] = await services.subscriptions.listForTenant('contoso');
    expect(renewed!.expiresAt).toBe(new Date(now.getTime() + 41_700 * 60_000).toISOString());
    expect(renewed!.renewedAt).toBe(now.toISOString());
  });

  it('recreates a subscription Graph no longer has (404 on renewal) and asks for a catch-up', async () => {
    await subscriptionsOf().maintain();
    const [old] = await services.subscriptions.listForTenant('contoso');
    client.live.clear();
    advanceMinutes(16 * 24 * 60);
    // The catch-up is queued, or covered by a delta job already pending.
    const catchUps = vi.spyOn(services.deltaRequests, 'request');
    const changes = await subscriptionsOf().maintain();
    expect(changes.recreated).toHaveLength(1);
    const records = await services.subscriptions.listForTenant('contoso');
    expect(records.map((r) => r.subscriptionId)).toEqual(changes.recreated);
    expect(records[0]!.subscriptionId).not.toBe(old!.subscriptionId);
    await expect(services.secrets.getSecret(old!.clientStateSecretName)).rejects.toThrow();
    expect(catchUps.mock.calls.map(([tenant, feature, trigger]) => [tenant, feature.name, trigger])).toEqual([
      ['contoso', 'users', 'lifecycle'],
    ]);
  });

  it('recreates on a renewal refused as too long (400), and falls back to a shorter lifetime on create', async () => {
    await subscriptionsOf().maintain();
    client.maxLifetimeMinutes = FALLBACK_LIFETIME_MINUTES;
    advanceMinutes(16 * 24 * 60);
    const changes = await subscriptionsOf().maintain();
    expect(changes.recreated).toHaveLength(1);
    const [record] = await services.subscriptions.listForTenant('contoso');
    expect(record!.expiresAt).toBe(new Date(now.getTime() + FALLBACK_LIFETIME_MINUTES * 60_000).toISOString());
    expect(client.live.size).toBe(1);
  });

  it('replaces a record that already expired (Graph deleted it) with a new subscription', async () => {
    await subscriptionsOf().maintain();
    advanceMinutes(41_700);
    const changes = await subscriptionsOf().maintain();
    expect(changes.removed).toHaveLength(1);
    expect(changes.created).toHaveLength(1);
    expect(await services.subscriptions.listForTenant('contoso')).toHaveLength(1);
  });

  it('removes every subscription when the tenant or its user sync is disabled', async () => {
    await subscriptionsOf().maintain();
    const disabled = await services.tenants.replace('contoso', { ...tenant.config, users: { ...tenant.config.users, enabled: false } });
    const changes = await subscriptionsOf(disabled).maintain();
    expect(changes.removed).toHaveLength(1);
    expect(client.live.size).toBe(0);
    expect(await services.subscriptions.listForTenant('contoso')).toEqual([]);
  });

  it('deletes orphans at Graph (ours by URL, unknown to our table)', async () => {
    const orphan = await client.create({
      resource: 'users',
      changeType: 'updated,deleted',
      notificationUrl: 'https://fn.example/api/graph/notifications',
      lifecycleNotificationUrl: 'https://fn.example/api/graph/lifecycle',
      expirationDateTime: '2026-12-01T00:00:00.000Z',
      clientState: 'x',
    });
    const foreign = await client.create({
      resource: 'users',
      changeType: 'updated',
      notificationUrl: 'https://other.example/hook',
      lifecycleNotificationUrl: 'https://other.example/hook',
      expirationDateTime: '2026-12-01T00:00:00.000Z',
      clientState: 'y',
    });
    const changes = await subscriptionsOf().maintain();
    expect(changes.orphansDeleted).toEqual([orphan.id]);
    expect(client.live.has(foreign.id)).toBe(true);
  });

  it('a transient Graph failure fails the job (for redelivery) after the other actions ran; nothing is half-written', async () => {
    client.failures.push({ on: 'create', error: new AppError('TRANSIENT', 'Graph is unavailable (503)') });
    await expect(subscriptionsOf().maintain()).rejects.toSatisfy((err: unknown) => err instanceof AppError && err.code === 'TRANSIENT');
    expect(await services.subscriptions.listForTenant('contoso')).toEqual([]);
    expect((await subscriptionsOf().maintain()).created).toHaveLength(1);
  });

  it('a final failure (endpoint validation refused) is reported, not thrown', async () => {
    client.failures.push({
      on: 'create',
      error: new AppError('INVALID', 'creating: Graph refused the request (400): Subscription validation request failed.', {
        upstreamStatus: 400,
      }),
    });
    const changes = await subscriptionsOf().maintain();
    expect(changes.errors).toEqual([expect.stringContaining('validation request failed')]);
    expect(await services.subscriptions.listForTenant('contoso')).toEqual([]);
  });

  it('subscriptionRemoved: recreate replaces the record once; a repeated event is a no-op', async () => {
    await subscriptionsOf().maintain();
    const [old] = await services.subscriptions.listForTenant('contoso');
    client.live.delete(old!.subscriptionId);
    const first = await subscriptionsOf().recreate(old!.subscriptionId);
    expect(first.recreated).toHaveLength(1);
    expect((await subscriptionsOf().recreate(old!.subscriptionId)).recreated).toEqual([]);
    expect(await services.subscriptions.listForTenant('contoso')).toHaveLength(1);
  });

  it('reauthorizationRequired renews (which reauthorizes); removeAll deletes at Graph and here', async () => {
    await subscriptionsOf().maintain();
    const [record] = await services.subscriptions.listForTenant('contoso');
    advanceMinutes(60);
    expect((await subscriptionsOf().reauthorize(record!.subscriptionId)).renewed).toEqual([record!.subscriptionId]);
    expect(await subscriptionsOf().removeAll()).toEqual([record!.subscriptionId]);
    expect(client.live.size).toBe(0);
    expect(await services.subscriptions.get(record!.subscriptionId)).toBeNull();
  });

  it('a subscription job for a tenant that no longer exists forgets its records and secrets', async () => {
    await subscriptionsOf().maintain();
    const [record] = await services.subscriptions.listForTenant('contoso');
    await services.tenants.delete('contoso');
    const { logger, messages } = capturingLogger();
    await processSubscriptionJob(
      services,
      {
        jobId: 'j',
        tenantId: 'contoso',
        kind: 'subscriptions',
        lane: 'directory',
        action: 'maintain',
        trigger: 'scheduled',
        requestedAt: now.toISOString(),
      },
      logger,
    );
    expect(await services.subscriptions.listForTenant('contoso')).toEqual([]);
    await expect(services.secrets.getSecret(record!.clientStateSecretName)).rejects.toThrow();
    expect(messages()).toEqual(['the tenant no longer exists; its subscription records were removed']);
  });
});
