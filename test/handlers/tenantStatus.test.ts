import { beforeAll, describe, expect, it } from 'vitest';
import { type Services } from '../../shared/app/Services';
import { createTestServices } from '../support/testServices';
import { tenantConfig } from '../integration/platform/tables/storeTestTables';
import { adminCaller } from '../support/adminCall';
import { syncRunRecord } from '../support/syncRunRecord';

let services: Services;

const run = syncRunRecord;

beforeAll(async () => {
  services = await createTestServices({}, { publicBaseUrl: 'https://fn.example' });
  await services.tenants.create('contoso', tenantConfig({ presence: { enabled: true } }));
  await services.pollCycles.put({
    tenantId: 'contoso',
    feature: 'presence',
    slot: 1,
    startedAt: '2026-03-01T10:00:00.000Z',
    finishedAt: '2026-03-01T10:00:19.000Z',
    stats: { users: 650, batches: 1, batchesDone: 1, graphCalls: 1, changed: 3, pbxWrites: 3, limited: 0, failed: 1, durationMs: 19_000 },
    lastError: 'the PBX refused one write',
  });
  await services.runs.create(run('a-older', {}));
  await services.runs.create(
    run('b-failed', {
      queuedAt: '2026-03-01T09:00:00.000Z',
      finishedAt: '2026-03-01T09:00:10.000Z',
      status: 'failed',
      error: 'the PBX refused the admin sign-in',
    }),
  );
  await services.runs.create(run('c-running', { queuedAt: '2026-03-01T10:00:00.000Z', status: 'running', finishedAt: undefined }));
});

describe('GET /tenants/{id}/status', () => {
  it('gives the console’s data: connection state with advice, last and running runs, feature cards, credentials, errors', async () => {
    const answer = await adminCaller(() => services)('getTenantStatus', { method: 'GET', params: { id: 'contoso' } });
    expect(answer.status).toBe(200);
    const body = answer.body as Record<string, any>;
    expect(body.tenant).toMatchObject({ id: 'contoso', enabled: true, pbx: { kind: 'portsip' } });
    expect(body.connection.state).toBe('attention');
    expect(body.connection.problems.map((p: { what: string }) => p.what)).toEqual(
      expect.arrayContaining(['no PBX credential is written', 'the last users run failed']),
    );
    expect(body.lastRun).toMatchObject({ runId: 'b-failed', status: 'failed' });
    expect(body.running.map((r: { runId: string }) => r.runId)).toEqual(['c-running']);
    expect(Date.parse(body.nextScheduledRunAt)).toBeGreaterThan(Date.now() - 60_000);
    const users = body.features.find((f: { name: string }) => f.name === 'users');
    expect(users).toMatchObject({ enabled: true, health: 'attention', lane: 'directory', lastRun: { runId: 'b-failed' } });
    expect(body.features.find((f: { name: string }) => f.name === 'callState')).toMatchObject({ enabled: false, health: 'off' });
    // A polling feature's card carries its last cycle; a failure in it needs attention.
    expect(body.features.find((f: { name: string }) => f.name === 'presence')).toMatchObject({
      enabled: true,
      health: 'attention',
      lastCycle: { users: 650, graphCalls: 1, pbxWrites: 3, failed: 1, lastError: 'the PBX refused one write' },
    });
    expect(body.errors[0]).toMatchObject({ feature: 'users', runId: 'b-failed', message: 'the PBX refused the admin sign-in' });
    expect(body.subscriptions).toMatchObject({ notificationsEnabled: true, health: 'none', count: 0 });
    expect(body.credentials.pbxWritten).toBe(false);
  });

  it('is 404 for a tenant that does not exist, 400 for a query it does not take', async () => {
    const call = adminCaller(() => services);
    expect((await call('getTenantStatus', { method: 'GET', params: { id: 'nobody' } })).status).toBe(404);
    expect((await call('getTenantStatus', { method: 'GET', params: { id: 'contoso' }, query: 'limit=3' })).status).toBe(400);
  });
});
