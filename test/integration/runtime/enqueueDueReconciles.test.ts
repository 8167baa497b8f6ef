import { describe, expect, it } from 'vitest';
import { TenantConfigSchema } from '../../../shared/config/TenantConfig';
import { enqueueDueReconciles } from '../../../shared/runtime/enqueueDueReconciles';
import { createTestServices } from '../../support/testServices';

const tenant = (cron: string, timeZone: string, enabled = true) =>
  TenantConfigSchema.parse({
    displayName: 'x',
    enabled,
    microsoft365: { directoryId: '11111111-2222-3333-4444-555555555555', applicationId: '66666666-7777-8888-9999-000000000000', auth: { kind: 'clientSecret', secretName: 'graph-secret' } },
    pbx: { kind: 'portsip', baseUrl: 'https://pbx.example.com:8887', domain: 'example.pbx', credentialSecretName: 'pbx-admin' },
    schedule: { cron, timeZone },
  });

describe('scheduledSync: enqueueDueReconciles', () => {
  it('queues one full reconcile per due occurrence, in tenant-local time, and skips disabled tenants', async () => {
    const services = await createTestServices();
    await services.tenants.create('berlin', tenant('30 0 * * *', 'Europe/Berlin'));
    await services.tenants.create('tokyo', tenant('30 0 * * *', 'Asia/Tokyo'));
    await services.tenants.create('off', tenant('30 0 * * *', 'Europe/Berlin', false));
    const now = new Date('2026-11-22T23:32:00Z'); // 00:32 in Berlin, 08:32 in Tokyo
    expect(await enqueueDueReconciles(services, now, () => undefined)).toEqual(['berlin', 'tokyo'].filter((t) => t === 'berlin' || t === 'tokyo'));
    expect(await enqueueDueReconciles(services, new Date(now.getTime() + 60_000), () => undefined)).toEqual([]);
    expect(services.queue.stats().enqueued).toBe(2);
    const runs = await services.runs.list('berlin', 5);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: 'queued', trigger: 'scheduled', mode: 'full' });
    expect(await services.runs.list('off', 5)).toHaveLength(0);
  });
});
