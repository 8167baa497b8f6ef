import { beforeAll, describe, expect, it } from 'vitest';
import { type Services } from '../../shared/app/Services';
import { adminCaller } from '../support/adminCall';
import { createTestServices } from '../support/testServices';
import { tenantConfig } from '../integration/platform/tables/storeTestTables';

let services: Services;
const admin = adminCaller(() => services);
const base = Date.now();
const inDays = (n: number) => new Date(base + n * 86_400_000).toISOString();

beforeAll(async () => {
  services = await createTestServices();
  await services.tenants.create('acme', tenantConfig());
  await services.tenants.create('beta', tenantConfig());
  const q = services.numberQuarantine;
  await q.quarantine('acme', '1042', {
    quarantinedAt: inDays(-1),
    releaseAt: inDays(29),
    objectId: 'o-1042',
    reason: 'user was permanently deleted',
  });
  await q.quarantine('acme', '999', { releaseAt: inDays(10), reason: 'user left the sync scope' });
  await q.quarantine('acme', '1043', { releaseAt: inDays(-1), objectId: 'o-1043', reason: 'expired' });
  await q.quarantine('beta', '1042', { releaseAt: inDays(5), objectId: 'o-beta', reason: 'beta' });
});

describe('GET /api/tenants/{id}/quarantine', () => {
  it('lists the active quarantine in numeric order, each with its dates, object id and reason (expired rows left out)', async () => {
    const res = await admin('listQuarantine', { method: 'GET', params: { id: 'acme' } });
    expect(res.status).toBe(200);
    expect(res.body.value.map((r: { number: string }) => r.number)).toEqual(['999', '1042']);
    const row = res.body.value[1];
    expect(Object.keys(row).sort()).toEqual(['number', 'objectId', 'quarantinedAt', 'reason', 'releaseAt']);
    expect(row).toMatchObject({ number: '1042', objectId: 'o-1042', reason: 'user was permanently deleted' });
    expect(Date.parse(row.releaseAt) - Date.parse(row.quarantinedAt)).toBe(30 * 86_400_000);
    expect(res.body.value[0].objectId).toBeNull();
  });

  it('refuses unknown query parameters, a malformed tenant id, and answers 404 for an unknown tenant', async () => {
    expect((await admin('listQuarantine', { method: 'GET', params: { id: 'acme' }, query: 'all=true' })).status).toBe(400);
    expect((await admin('listQuarantine', { method: 'GET', params: { id: 'acme' }, query: 'code=k' })).status).toBe(200);
    expect((await admin('listQuarantine', { method: 'GET', params: { id: 'Bad Id!' } })).status).toBe(400);
    const missing = await admin('listQuarantine', { method: 'GET', params: { id: 'nobody' } });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
  });
});

describe('DELETE /api/tenants/{id}/quarantine/{number}', () => {
  it('refuses a malformed number (400) before anything else, and an unknown query parameter', async () => {
    for (const number of ['12a', '../1042', '', '+1042', '1'.repeat(65), '1042 ']) {
      const res = await admin('releaseQuarantinedNumber', { method: 'DELETE', params: { id: 'acme', number } });
      expect(res.status, number).toBe(400);
      expect(res.body.error.code).toBe('INVALID');
    }
    expect(
      (await admin('releaseQuarantinedNumber', { method: 'DELETE', params: { id: 'acme', number: '1042' }, query: 'force=1' })).status,
    ).toBe(400);
    expect((await services.numberQuarantine.activeNumbers('acme', new Date())).map((r) => r.number)).toContain('1042');
  });

  it('releases one tenant’s number early (204), then answers 404; another tenant’s same number stays', async () => {
    expect((await admin('releaseQuarantinedNumber', { method: 'DELETE', params: { id: 'acme', number: '1042' } })).status).toBe(204);
    const again = await admin('releaseQuarantinedNumber', { method: 'DELETE', params: { id: 'acme', number: '1042' } });
    expect(again.status).toBe(404);
    expect(again.body.error.message).toContain('1042');
    expect((await admin('releaseQuarantinedNumber', { method: 'DELETE', params: { id: 'acme', number: '5555' } })).status).toBe(404);
    expect((await admin('releaseQuarantinedNumber', { method: 'DELETE', params: { id: 'nobody', number: '1042' } })).status).toBe(404);
    expect(
      (await admin('listQuarantine', { method: 'GET', params: { id: 'acme' } })).body.value.map((r: { number: string }) => r.number),
    ).toEqual(['999']);
    expect((await services.numberQuarantine.list('beta')).map((r) => r.number)).toEqual(['1042']);
  });

  it('deleting a tenant deletes its quarantine', async () => {
    expect((await admin('deleteTenant', { method: 'DELETE', params: { id: 'beta' } })).status).toBe(204);
    expect(await services.numberQuarantine.list('beta')).toEqual([]);
    expect((await services.numberQuarantine.list('acme')).length).toBeGreaterThan(0);
  });
});
