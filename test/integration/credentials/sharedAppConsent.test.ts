import { request } from 'node:https';
import { describe, expect, it } from 'vitest';
import { adminCaller } from '../../support/adminCall';
import { createCredentialTenant, credentialTestServices, useCredentialSandboxes } from '../../support/credentialSandboxes';
import { type SharedAppSettings } from '../../../shared/credentials/SharedAppSettings';

const sandboxes = useCredentialSandboxes();
const CALLBACK = 'http://127.0.0.1:7071/api/consent/callback';

/** Follows nothing: the Location the Entra stand-in answers (as the admin's browser would be sent there). */
function locationOf(url: string, ca: string): Promise<URL> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca }, (res) => {
      res.resume();
      if (res.statusCode !== 302 || !res.headers.location) reject(new Error(`expected a redirect, got ${res.statusCode}`));
      else resolve(new URL(res.headers.location));
    });
    req.on('error', reject);
    req.end();
  });
}

const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 20));

async function setUp() {
  const { entra, graph } = sandboxes.current;
  const operatorDirectory = entra.addDirectory();
  const app = entra.registerApplication({
    displayName: 'connector (shared)',
    homeDirectoryId: operatorDirectory,
    multiTenant: true,
    redirectUris: [CALLBACK],
  });
  const sharedApp: SharedAppSettings = {
    clientId: app.appId,
    objectId: app.objectId,
    homeDirectoryId: operatorDirectory,
    nationalCloud: 'GLOBAL',
    consentRedirectUrl: CALLBACK,
  };
  const services = await credentialTestServices(sandboxes.current, { sharedApp });
  await createCredentialTenant(services, sandboxes.current, 'woodgrove', { appId: app.appId }, { kind: 'sharedApp' });
  const call = adminCaller(() => services);
  void graph;
  return { app, services, call, operatorDirectory };
}

describe('one multi-tenant app for many customer tenants', () => {
  it('makes the shared certificate, produces the consent URL, records consent from Entra, then signs in to the customer', async () => {
    const { entra, graph } = sandboxes.current;
    const { app, call } = await setUp();

    expect((await call('createSharedAppCertificate', { method: 'POST' })).status).toBe(201);
    const cer = await call('getSharedAppCertificate', { method: 'GET', query: 'format=cer' });
    entra.uploadCertificate(app.objectId, Buffer.from(cer.body as Uint8Array));

    // Not consented yet: the status says so and what to do; Entra refuses a token in the customer's directory.
    const before = await call('getGraphCredential', { method: 'GET', params: { id: 'woodgrove' } });
    expect(before.body.health).toMatchObject({
      status: 'missing',
      action: "send the tenant's admin the URL from GET /api/tenants/woodgrove/consent",
    });
    const refused = await call('syncTenant', { method: 'POST', params: { id: 'woodgrove' }, query: 'dryRun=true&feature=users' });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(JSON.stringify(refused.body)).toContain('AADSTS65001');

    const consent = await call('getConsent', { method: 'GET', params: { id: 'woodgrove' } });
    expect(consent.body).toMatchObject({ consented: false, redirectUri: CALLBACK });
    const consentUrl = new URL(consent.body.consentUrl);
    expect(`${consentUrl.origin}${consentUrl.pathname}`).toBe(`${entra.authorityHost}/${graph.tenantId}/adminconsent`);
    expect(consentUrl.searchParams.get('client_id')).toBe(app.appId);

    // The admin accepts in Entra, which sends the browser back to the connector's callback.
    const back = await locationOf(consent.body.consentUrl, entra.caPem);
    expect(`${back.origin}${back.pathname}`).toBe(CALLBACK);
    const recorded = await call('consentCallback', { method: 'GET', query: back.searchParams.toString() });
    expect(recorded.status).toBe(200);
    expect(String(recorded.body)).toContain('Consent recorded');
    expect((await call('getConsent', { method: 'GET', params: { id: 'woodgrove' } })).body.consented).toBe(true);
    expect((await call('getGraphCredential', { method: 'GET', params: { id: 'woodgrove' } })).body.health.status).toBe('ok');

    const run = await call('syncTenant', { method: 'POST', params: { id: 'woodgrove' }, query: 'dryRun=true&feature=users' });
    expect(run.status).toBe(200);
    expect(run.body.itemsRead).toBe(5);

    // The shared certificate rolls on the app in the operator's directory; the customer's sign-in follows.
    await nextSecond();
    const rolled = await call('rollSharedAppCertificate', { method: 'POST', query: 'renew=true' });
    expect(rolled.body.actions).toHaveLength(3);
    expect(entra.keyCredentials(app.objectId)).toHaveLength(1);
    expect((await call('syncTenant', { method: 'POST', params: { id: 'woodgrove' }, query: 'dryRun=true&feature=users' })).status).toBe(
      200,
    );
  });

  it('records nothing for a forged, tampered, refused or mismatched callback', async () => {
    const { entra, graph } = sandboxes.current;
    const { call, services } = await setUp();
    const consent = await call('getConsent', { method: 'GET', params: { id: 'woodgrove' } });
    const state = new URL(consent.body.consentUrl).searchParams.get('state')!;
    const callback = (query: Record<string, string>) =>
      call('consentCallback', { method: 'GET', query: new URLSearchParams(query).toString() });

    const forged = await callback({ admin_consent: 'True', tenant: graph.tenantId, state: `${state.split('.')[0]}.AAAA` });
    expect(forged.status).toBe(400);
    expect(String(forged.body)).toContain('not one the connector made');
    const otherDirectory = await callback({ admin_consent: 'True', tenant: '00000000-0000-4000-8000-000000000999', state });
    expect(otherDirectory.status).toBe(400);
    expect(String(otherDirectory.body)).toContain('another directory');
    expect((await callback({ admin_consent: 'False', tenant: graph.tenantId, state })).status).toBe(400);
    expect((await callback({ admin_consent: 'True', tenant: graph.tenantId, state, extra: '1' })).status).toBe(400);

    entra.denyNextConsent();
    const denied = await locationOf(consent.body.consentUrl, entra.caPem);
    expect(denied.searchParams.get('error')).toBe('access_denied');
    const page = await call('consentCallback', { method: 'GET', query: denied.searchParams.toString() });
    expect(page.status).toBe(400);
    expect(String(page.body)).toContain('Consent not granted');
    expect(page.headers?.['Content-Security-Policy']).toBe("default-src 'none'");
    expect((await services.credentialStates.get('woodgrove'))?.state.consent).toBeUndefined();
  });

  it('refuses a tenant in another cloud than the shared app, saying what to use', async () => {
    const { call, services } = await setUp();
    const tenant = (await services.tenants.get('woodgrove'))!;
    await services.tenants.replace('woodgrove', {
      ...tenant.config,
      microsoft365: { ...tenant.config.microsoft365, nationalCloud: 'USGOV' },
    });
    const answer = await call('getGraphCredential', { method: 'GET', params: { id: 'woodgrove' } });
    expect(answer.status).toBe(409);
    expect(answer.body.error.message).toContain('an app registration serves one cloud');
  });
});
