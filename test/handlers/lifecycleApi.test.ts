import { beforeEach, describe, expect, it } from 'vitest';
import { adminApiDocs } from '../../shared/admin/adminApiDocs';
import { type Services, type TenantConnectors } from '../../shared/app/Services';
import { type TenantConfig } from '../../shared/config/TenantConfig';
import { adminCaller, type AdminAnswer } from '../support/adminCall';
import { createTestServices } from '../support/testServices';
import { tenantConfig } from '../integration/platform/tables/storeTestTables';

/*
 * The lifecycle routes through adminHandler with real HttpRequests over Azurite: validation, 404s, the preview,
 * and the parts that need no Graph or PBX (photos as the only feature, on a tenant whose adapters offer no PBX
 * picture port: its teardown hands the pictures over and forgets its state). The sandboxes' end-to-end is
 * test/integration/admin/lifecycle.test.ts and lifecycleContacts.test.ts.
 */

let services: Services;
const admin = adminCaller(() => services);

/** Photos on, users off: nothing here needs the tenant's (absent) credentials. */
const photosOnly = (): TenantConfig => {
  const config = tenantConfig();
  return { ...config, users: { ...config.users, enabled: false }, photos: { ...config.photos, enabled: true } };
};

function expectDocumented(name: string, answer: AdminAnswer): void {
  const documented = adminApiDocs[name]!.responses[answer.status];
  expect(documented, `${name} answered ${answer.status}: not documented`).toBeDefined();
  const parsed = documented!.schema?.safeParse(answer.body);
  expect(parsed?.success ?? true, `${name} ${answer.status}: ${JSON.stringify(answer.body)}`).toBe(true);
}

const photoState = (objectId: string) => ({ tenantId: 'acme', objectId, etag: 'e', imageHash: 'h', updatedAt: new Date().toISOString() });

beforeEach(async () => {
  // Adapters with no port at all: a teardown that would need the PBX hands over; Graph calls fail (and are caught).
  services = { ...(await createTestServices()), connectorsFor: async () => ({}) as TenantConnectors };
  await services.tenants.create('acme', photosOnly());
  await services.photoStates.put(photoState('u1'));
});

describe('POST /api/tenants/{id}/features/{feature}/pause', () => {
  const pause = (init: { id?: string; feature?: string; body?: unknown; query?: string }) =>
    admin('pauseFeature', {
      method: 'POST',
      params: { id: init.id ?? 'acme', feature: init.feature ?? 'photos' },
      body: init.body ?? { pbxRecords: 'retain' },
      ...(init.query ? { query: init.query } : {}),
    });

  it('answers 404 for an unknown feature or tenant, 400 for a malformed name or query, 422 for a bad body', async () => {
    const unknown = await pause({ feature: 'faxes' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('users');
    expect((await pause({ id: 'nobody' })).status).toBe(404);
    expect((await pause({ feature: 'Bad!' })).status).toBe(400);
    expect((await pause({ query: 'dryrun=true' })).status).toBe(400);
    const bad = await pause({ body: { pbxRecords: 'keep', confirm: 'yes' } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toContain('pbxRecords');
    expect(bad.body.error.message).toContain('confirm');
    expect((await pause({ body: { pbxRecords: 'retain', extra: 1 } })).status).toBe(422);
    expect((await pause({ body: {} })).status).toBe(422);
  });

  it('previews without confirm (and with ?dryRun=true even with confirm): counts, nothing written', async () => {
    for (const init of [{}, { body: { pbxRecords: 'delete', confirm: true }, query: 'dryRun=true' }]) {
      const res = await pause(init);
      expect(res.status).toBe(200);
      expectDocumented('pauseFeature', res);
      expect(res.body).toMatchObject({ dryRun: true, feature: 'photos', enabled: true, handedOver: 1, deleted: 0 });
    }
    expect((await services.tenants.get('acme'))!.config.photos.enabled).toBe(true);
    expect(await services.photoStates.listByTenant('acme')).toHaveLength(1);
    expect(await services.audit.list('acme', 10)).toEqual([]);
  });

  it('with confirm: turns the feature off, forgets its state, records who did it', async () => {
    const res = await pause({ body: { pbxRecords: 'retain', confirm: true } });
    expect(res.status).toBe(200);
    expectDocumented('pauseFeature', res);
    expect(res.body).toMatchObject({ feature: 'photos', enabled: false, handedOver: 1, auditRecorded: true });
    expect((await services.tenants.get('acme'))!.config.photos.enabled).toBe(false);
    expect(await services.photoStates.listByTenant('acme')).toEqual([]);
    const [entry] = await services.audit.list('acme', 10);
    expect(entry).toMatchObject({ action: 'feature.pause', actor: { kind: 'adminKey', name: 'admin key' } });
    expect(entry!.detail).toMatchObject({ feature: 'photos', pbxRecords: 'retain', handedOver: 1 });
  });
});

describe('POST /api/tenants/{id}/features/{feature}/resume', () => {
  it('turns the feature on again and records it; 404 for an unknown feature', async () => {
    await admin('pauseFeature', {
      method: 'POST',
      params: { id: 'acme', feature: 'photos' },
      body: { pbxRecords: 'retain', confirm: true },
    });
    const res = await admin('resumeFeature', { method: 'POST', params: { id: 'acme', feature: 'photos' } });
    expect(res.status).toBe(200);
    expectDocumented('resumeFeature', res);
    expect(res.body).toMatchObject({ feature: 'photos', enabled: true, wasEnabled: false });
    expect((await services.tenants.get('acme'))!.config.photos.enabled).toBe(true);
    expect((await services.audit.list('acme', 10)).map((e) => e.action)).toEqual(['feature.resume', 'feature.pause']);
    expect((await admin('resumeFeature', { method: 'POST', params: { id: 'acme', feature: 'faxes' } })).status).toBe(404);
  });
});

describe('POST /api/tenants/{id}/disable and /enable', () => {
  it('disables (sync refused), enables again, each recorded; 404 for a missing tenant', async () => {
    const off = await admin('disableTenant', { method: 'POST', params: { id: 'acme' } });
    expect(off.status).toBe(200);
    expectDocumented('disableTenant', off);
    expect(off.body).toMatchObject({ enabled: false, wasEnabled: true });
    expect((await services.tenants.get('acme'))!.config.enabled).toBe(false);
    const sync = await admin('syncTenant', { method: 'POST', params: { id: 'acme' } });
    expect(sync.status).toBe(409);
    const on = await admin('enableTenant', { method: 'POST', params: { id: 'acme' } });
    expect(on.status).toBe(200);
    expectDocumented('enableTenant', on);
    expect(on.body).toMatchObject({ enabled: true, wasEnabled: false });
    expect((await services.tenants.get('acme'))!.config.enabled).toBe(true);
    expect((await services.audit.list('acme', 10)).map((e) => e.action)).toEqual(['tenant.enable', 'tenant.disable']);
    expect((await admin('disableTenant', { method: 'POST', params: { id: 'nobody' } })).status).toBe(404);
    expect((await admin('enableTenant', { method: 'POST', params: { id: 'acme' }, query: 'now=1' })).status).toBe(400);
  });
});

describe('POST /api/tenants/{id}/disconnect', () => {
  it('previews per feature, then deletes the tenant and keeps its audit trail', async () => {
    const preview = await admin('disconnectTenant', { method: 'POST', params: { id: 'acme' }, body: { pbxRecords: 'delete' } });
    expect(preview.status).toBe(200);
    expectDocumented('disconnectTenant', preview);
    expect(preview.body.results).toEqual([expect.objectContaining({ feature: 'photos', handedOver: 1 })]);
    expect(await services.tenants.get('acme')).not.toBeNull();

    const stale = await admin('disconnectTenant', {
      method: 'POST',
      params: { id: 'acme' },
      headers: { 'content-type': 'application/json', 'if-match': 'W/"datetime\'2020-01-01T00%3A00%3A00Z\'"' },
      body: { pbxRecords: 'delete', confirm: true },
    });
    expect(stale.status).toBe(412);

    const done = await admin('disconnectTenant', { method: 'POST', params: { id: 'acme' }, body: { pbxRecords: 'delete', confirm: true } });
    expect(done.status).toBe(200);
    expectDocumented('disconnectTenant', done);
    expect(done.body).toMatchObject({ disconnected: true, pbxRecords: 'delete' });
    expect(await services.tenants.get('acme')).toBeNull();
    expect(await services.photoStates.listByTenant('acme')).toEqual([]);
    const trail = await admin('listAudit', { method: 'GET', params: { id: 'acme' } });
    expect(trail.status).toBe(200);
    expectDocumented('listAudit', trail);
    expect(trail.body.value[0]).toMatchObject({ action: 'tenant.disconnect', detail: { pbxRecords: 'delete', completed: true } });
    expect((await admin('disconnectTenant', { method: 'POST', params: { id: 'acme' }, body: { pbxRecords: 'delete' } })).status).toBe(404);
  });
});

describe('GET /api/tenants/{id}/audit', () => {
  it('answers newest first, at most limit; refuses a bad limit', async () => {
    for (const [i, action] of ['a.one', 'a.two', 'a.three'].entries())
      await services.audit.record({
        tenantId: 'acme',
        at: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
        actor: { kind: 'connector', name: 'connector' },
        action,
        detail: { i },
      });
    const res = await admin('listAudit', { method: 'GET', params: { id: 'acme' }, query: 'limit=2' });
    expect(res.body.value.map((e: { action: string }) => e.action)).toEqual(['a.three', 'a.two']);
    for (const limit of ['0', '501', 'abc', '1.5'])
      expect((await admin('listAudit', { method: 'GET', params: { id: 'acme' }, query: `limit=${limit}` })).status, limit).toBe(400);
  });

  it('records PUT tenant and a refused sync not at all', async () => {
    const put = await admin('putTenant', { method: 'PUT', params: { id: 'acme' }, body: photosOnly() });
    expect(put.status).toBe(200);
    await admin('disableTenant', { method: 'POST', params: { id: 'acme' } });
    expect((await admin('syncTenant', { method: 'POST', params: { id: 'acme' } })).status).toBe(409);
    const [disable, update] = await services.audit.list('acme', 10);
    expect(disable!.action).toBe('tenant.disable');
    expect(update).toMatchObject({ action: 'tenant.update', actor: { kind: 'adminKey' }, detail: { etag: put.headers!.etag } });
  });

  it('goes with a tenant deleted by DELETE (unlike a disconnect)', async () => {
    await admin('disableTenant', { method: 'POST', params: { id: 'acme' } });
    expect(await services.audit.list('acme', 10)).toHaveLength(1);
    expect((await admin('deleteTenant', { method: 'DELETE', params: { id: 'acme' } })).status).toBe(204);
    expect(await services.audit.list('acme', 10)).toEqual([]);
  });
});
