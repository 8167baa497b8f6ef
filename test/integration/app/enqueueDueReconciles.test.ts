import { TableClient } from '@azure/data-tables';
import { describe, expect, it } from 'vitest';
import { TenantConfigSchema } from '../../../shared/config/TenantConfig';
import { enqueueDueReconciles } from '../../../shared/app/enqueueDueReconciles';
import { enqueueAllSubscriptionMaintenance } from '../../../shared/app/enqueueSubscriptionMaintenance';
import { testStorageConnectionString } from '../../support/storage';
import { createTestServices } from '../../support/testServices';
import { Logger } from '../../../shared/core/logging/Logger';
import { capturingLogger } from '../../support/capturingLogger';

const tenant = (cron: string, timeZone: string, enabled = true) =>
  TenantConfigSchema.parse({
    displayName: 'x',
    enabled,
    microsoft365: {
      directoryId: '11111111-2222-3333-4444-555555555555',
      applicationId: '66666666-7777-8888-9999-000000000000',
      auth: { kind: 'clientSecret' },
    },
    pbx: { kind: 'portsip', baseUrl: 'https://pbx.example.com:8887', domain: 'example.pbx' },
    schedule: { cron, timeZone },
  });

/** 23:32 UTC some days after now: 00:32 or 01:32 in Berlin, 08:32 in Tokyo — after tenants created now. */
const daysOn = (days: number) => {
  const at = new Date(Date.now() + days * 86_400_000);
  at.setUTCHours(23, 32, 0, 0);
  return at;
};

describe('scheduledSync: enqueueDueReconciles', () => {
  it('queues one full reconcile per due occurrence, in tenant-local time, and skips disabled tenants', async () => {
    const services = await createTestServices();
    await services.tenants.create('berlin', tenant('30 0 * * *', 'Europe/Berlin'));
    await services.tenants.create('tokyo', tenant('30 0 * * *', 'Asia/Tokyo'));
    await services.tenants.create('off', tenant('30 0 * * *', 'Europe/Berlin', false));
    const now = daysOn(2);
    expect(await enqueueDueReconciles(services, now, Logger.silent())).toEqual(
      ['berlin', 'tokyo'].filter((t) => t === 'berlin' || t === 'tokyo'),
    );
    expect(await enqueueDueReconciles(services, new Date(now.getTime() + 60_000), Logger.silent())).toEqual([]);
    expect(services.queue.stats().enqueued).toBe(2);
    const runs = await services.runs.list('berlin', 5);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: 'queued', trigger: 'scheduled', mode: 'full' });
    expect(await services.runs.list('off', 5)).toHaveLength(0);
  });

  it('does not run a new tenant for an occurrence that passed before it was created', async () => {
    const services = await createTestServices();
    const created = new Date();
    await services.tenants.create('fresh', tenant('*/15 * * * *', 'UTC'));
    // Every quarter hour is an occurrence: the one just before the tenant existed is not due, the next one is.
    expect(await enqueueDueReconciles(services, created, Logger.silent())).toEqual([]);
    expect(await enqueueDueReconciles(services, new Date(created.getTime() + 15 * 60_000 + 1000), Logger.silent())).toEqual(['fresh']);
  });
});

describe('timers and a tenant whose stored configuration no longer validates', () => {
  it('the scheduler and the renewal timer skip it (and say so) instead of stopping for everyone', async () => {
    const services = await createTestServices();
    await services.tenants.create('good', tenant('30 0 * * *', 'Europe/Berlin'));
    const raw = TableClient.fromConnectionString(testStorageConnectionString(), `${services.tablePrefix}tenants`, {
      allowInsecureConnection: true,
    });
    await raw.createEntity({ partitionKey: 'tenant', rowKey: 'broken', config: '{"displayName":1}', createdAt: 'x', updatedAt: 'x' });
    const { logger, records } = capturingLogger();
    expect(await enqueueDueReconciles(services, daysOn(2), logger)).toEqual(['good']);
    expect(await enqueueAllSubscriptionMaintenance(services, new Date('2026-11-22T23:32:00Z'), logger)).toEqual(['good']);
    expect(records.filter((r) => r.fields.tenant === 'broken' && r.message.startsWith('tenant skipped'))).toHaveLength(2);
  });
});

describe('renewSubscriptions: enqueueAllSubscriptionMaintenance', () => {
  it('queues one maintain job per tenant (disabled ones too, to remove theirs), once per minute', async () => {
    const services = await createTestServices();
    await services.tenants.create('on', tenant('30 0 * * *', 'Europe/Berlin'));
    await services.tenants.create('off', tenant('30 0 * * *', 'Europe/Berlin', false));
    const now = new Date('2026-11-23T10:00:10Z');
    expect(await enqueueAllSubscriptionMaintenance(services, now, Logger.silent())).toEqual(['off', 'on']);
    await enqueueAllSubscriptionMaintenance(services, new Date(now.getTime() + 20_000), Logger.silent());
    expect(services.queue.stats()).toMatchObject({ enqueued: 2, deduplicated: 2 });
  });
});
