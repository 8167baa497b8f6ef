import { beforeEach, describe, expect, it } from 'vitest';
import { type Services, type TenantConnectors } from '../../shared/app/Services';
import { type TenantConfig } from '../../shared/config/TenantConfig';
import { tenantConfig } from '../integration/platform/tables/storeTestTables';
import { localConsole } from '../support/consoleCall';
import { createTestServices } from '../support/testServices';

/*
 * The console's pause / resume, disable / enable and disconnect through consoleHandler with real HttpRequests
 * over Azurite. The tenant has photos on and adapters without a PBX picture port, so nothing here needs Graph or
 * the PBX (the teardowns against the sandboxes: test/integration/admin/, and the browser test).
 */

let services: Services;
const { call, signIn } = localConsole(() => services);

const photosOn = (): TenantConfig => {
  const config = tenantConfig();
  return { ...config, photos: { ...config.photos, enabled: true } };
};

beforeEach(async () => {
  services = { ...(await createTestServices()), connectorsFor: async () => ({}) as TenantConnectors };
  await services.tenants.create('acme', photosOn());
  for (const objectId of ['u1', 'u2'])
    await services.photoStates.put({ tenantId: 'acme', objectId, etag: 'e', imageHash: 'h', updatedAt: new Date().toISOString() });
});

describe('pause and resume from the console', () => {
  it('asks delete or retain, previews the counts, pauses on confirmation and records who did it', async () => {
    const { cookie, csrf } = await signIn();
    const params = { id: 'acme', feature: 'photos' };
    const choice = await call('consolePause', { params, headers: { cookie } });
    expect(choice.status).toBe(200);
    expect(choice.body).toContain('name="pbxRecords" value="retain"');
    expect(choice.body).toContain('name="pbxRecords" value="delete"');

    const noChoice = await call('consolePausePost', { params, form: { csrf }, headers: { cookie } });
    expect(noChoice.status).toBe(422);
    expect(noChoice.body).toContain('Choose retain or delete.');

    const preview = await call('consolePausePost', { params, form: { csrf, pbxRecords: 'retain' }, headers: { cookie } });
    expect(preview.status).toBe(200);
    expect(preview.body).toContain('Nothing has been done yet');
    expect(preview.body).toMatch(/<strong>0<\/strong>extension pictures will be deleted,<strong>2<\/strong>will be handed over/);
    expect(preview.body).toContain('name="confirm" value="yes"');
    expect((await services.tenants.get('acme'))!.config.photos.enabled).toBe(true);
    expect(await services.photoStates.listByTenant('acme')).toHaveLength(2);

    const done = await call('consolePausePost', { params, form: { csrf, pbxRecords: 'retain', confirm: 'yes' }, headers: { cookie } });
    expect(done.status).toBe(200);
    expect(done.body).toContain('photos of<a href="/api/console/tenants/acme">acme</a>is paused');
    expect(done.body).toMatch(/<strong>2<\/strong>handed over/);
    expect((await services.tenants.get('acme'))!.config.photos.enabled).toBe(false);
    expect(await services.photoStates.listByTenant('acme')).toEqual([]);
    const [entry] = await services.audit.list('acme', 5);
    expect(entry).toMatchObject({
      action: 'feature.pause',
      actor: { kind: 'console', name: 'local admin' },
      detail: { feature: 'photos', pbxRecords: 'retain', handedOver: 2, via: 'console' },
    });

    // The card now offers Resume; resuming turns it on again.
    const tenantPage = await call('consoleTenant', { params: { id: 'acme' }, headers: { cookie } });
    expect(tenantPage.body).toContain('action="/api/console/tenants/acme/features/photos/resume"');
    const resumed = await call('consoleResume', { params, form: { csrf }, headers: { cookie } });
    expect(resumed.status).toBe(200);
    expect(resumed.body).toContain('is on again');
    expect((await services.tenants.get('acme'))!.config.photos.enabled).toBe(true);
    expect((await services.audit.list('acme', 1))[0]).toMatchObject({ action: 'feature.resume', actor: { kind: 'console' } });
  });

  it('refuses a pause without the form token (403) and changes nothing; 404 for an unknown feature or tenant', async () => {
    const { cookie, csrf } = await signIn();
    const refused = await call('consolePausePost', {
      params: { id: 'acme', feature: 'photos' },
      form: { pbxRecords: 'delete', confirm: 'yes' },
      headers: { cookie },
    });
    expect(refused.status).toBe(403);
    expect((await services.tenants.get('acme'))!.config.photos.enabled).toBe(true);
    expect(await services.photoStates.listByTenant('acme')).toHaveLength(2);
    expect((await call('consolePause', { params: { id: 'acme', feature: 'fax' }, headers: { cookie } })).status).toBe(404);
    expect((await call('consolePause', { params: { id: 'nobody', feature: 'photos' }, headers: { cookie } })).status).toBe(404);
    expect((await call('consoleResume', { params: { id: 'nobody', feature: 'photos' }, form: { csrf }, headers: { cookie } })).status).toBe(
      404,
    );
  });

  it('asks before resuming users after a pause that handed extensions over, with adoptByEmail off', async () => {
    const { cookie, csrf } = await signIn();
    const tenant = (await services.tenants.get('acme'))!;
    await services.tenants.replace('acme', { ...tenant.config, users: { ...tenant.config.users, enabled: false } }, tenant.etag);
    await services.audit.record({
      tenantId: 'acme',
      at: new Date().toISOString(),
      actor: { kind: 'adminKey', name: 'admin key' },
      action: 'feature.pause',
      detail: { feature: 'users', pbxRecords: 'retain', handedOver: 4 },
    });
    const params = { id: 'acme', feature: 'users' };
    const asked = await call('consoleResume', { params, form: { csrf }, headers: { cookie } });
    expect(asked.status).toBe(200);
    expect(asked.body).toContain('handed 4 extension(s) over');
    expect(asked.body).toContain('Resume users anyway');
    expect((await services.tenants.get('acme'))!.config.users.enabled).toBe(false);

    const resumed = await call('consoleResume', { params, form: { csrf, confirm: 'yes' }, headers: { cookie } });
    expect(resumed.body).toContain('is on again');
    expect((await services.tenants.get('acme'))!.config.users.enabled).toBe(true);
  });
});

describe('disable, enable and disconnect from the console', () => {
  it('disables and enables, back on the tenant page with a notice, each recorded', async () => {
    const { cookie, csrf } = await signIn();
    const disabled = await call('consoleDisable', { params: { id: 'acme' }, form: { csrf }, headers: { cookie } });
    expect(disabled.status).toBe(303);
    expect(disabled.headers.location).toBe('/api/console/tenants/acme?notice=disabled');
    expect((await services.tenants.get('acme'))!.config.enabled).toBe(false);
    const page = await call('consoleTenant', { params: { id: 'acme' }, query: 'notice=disabled', headers: { cookie } });
    expect(page.body).toContain('Tenant disabled: nothing syncs');
    expect(page.body).toContain('action="/api/console/tenants/acme/enable"');

    const enabled = await call('consoleEnable', { params: { id: 'acme' }, form: { csrf }, headers: { cookie } });
    expect(enabled.headers.location).toBe('/api/console/tenants/acme?notice=enabled');
    expect((await services.tenants.get('acme'))!.config.enabled).toBe(true);
    expect((await services.audit.list('acme', 5)).map((e) => e.action)).toEqual(['tenant.enable', 'tenant.disable']);
  });

  it('disconnects only once the tenant id is typed, after the counts per feature', async () => {
    const { cookie, csrf } = await signIn();
    const choice = await call('consoleDisconnect', { params: { id: 'acme' }, headers: { cookie } });
    expect(choice.status).toBe(200);
    expect(choice.body).toContain('name="pbxRecords" value="delete"');

    const disconnect = (form: Record<string, string>) =>
      call('consoleDisconnectPost', { params: { id: 'acme' }, form: { csrf, pbxRecords: 'retain', ...form }, headers: { cookie } });
    const preview = await disconnect({});
    expect(preview.status).toBe(200);
    expect(preview.body).toContain('<table id="disconnect-counts">');
    expect(preview.body).toMatch(/<th scope="row">photos<\/th><td>0 extension pictures<\/td><td>2<\/td>/);
    expect(preview.body).toContain('Type the tenant id, acme, to confirm');

    const mistyped = await disconnect({ confirm: 'yes', confirmTenantId: 'acne' });
    expect(mistyped.status).toBe(422);
    expect(mistyped.body).toContain('That is not acme');
    expect(await services.tenants.get('acme')).not.toBeNull();

    const done = await disconnect({ confirm: 'yes', confirmTenantId: 'acme' });
    expect(done.status).toBe(200);
    expect(done.body).toContain('acme is disconnected');
    expect(await services.tenants.get('acme')).toBeNull();
    expect((await services.audit.list('acme', 1))[0]).toMatchObject({
      action: 'tenant.disconnect',
      actor: { kind: 'console', name: 'local admin' },
      detail: { pbxRecords: 'retain', completed: true, via: 'console' },
    });
    expect((await call('consoleDisconnect', { params: { id: 'acme' }, headers: { cookie } })).status).toBe(404);
  });
});
