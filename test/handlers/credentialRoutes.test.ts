import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Services } from '../../shared/app/Services';
import { tenantSecretNames } from '../../shared/platform/secrets/tenantSecretNames';
import { createTestServices } from '../support/testServices';
import { adminCaller } from '../support/adminCall';
import { TEST_CERTIFICATE_PEM } from '../fixtures/testCertificate';
import { capturingLogger } from '../support/capturingLogger';
import { warnIfGraphCredentialUnhealthy } from '../../shared/app/graphCredentials';

const DAY = 86_400_000;
let services: Services;
const call = adminCaller(() => services);

const tenantWith = (auth: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  displayName: 'Contoso',
  microsoft365: {
    directoryId: '11111111-2222-3333-4444-555555555555',
    applicationId: '66666666-7777-8888-9999-000000000000',
    auth,
    ...extra,
  },
  pbx: { kind: 'portsip', baseUrl: 'https://pbx.contoso.com:8887', domain: 'contoso.pbx' },
});

beforeAll(async () => {
  services = await createTestServices(
    {},
    {
      publicBaseUrl: 'https://connector.example',
      sharedApp: {
        clientId: '99999999-8888-7777-6666-555555555555',
        objectId: '44444444-3333-2222-1111-000000000000',
        homeDirectoryId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
        nationalCloud: 'USGOV',
        consentRedirectUrl: 'https://connector.example/api/consent/callback',
      },
    },
  );
  for (const [id, auth, extra] of [
    ['managed', { kind: 'managedCertificate' }, { applicationObjectId: '12121212-3434-5656-7878-909090909090' }],
    ['secret', { kind: 'clientSecret' }, {}],
    ['cert', { kind: 'certificate' }, {}],
    ['shared', { kind: 'sharedApp' }, { nationalCloud: 'USGOV' }],
  ] as const) {
    expect((await call('putTenant', { method: 'PUT', params: { id }, body: tenantWith(auth, extra) })).status).toBe(201);
  }
});

describe('the managed certificate routes', () => {
  it('creates once (201, then 200) and answers its versions, the one in use and its health', async () => {
    const created = await call('createTenantCertificate', { method: 'POST', params: { id: 'managed' } });
    expect(created.status).toBe(201);
    expect(created.headers?.Location).toBe('/api/tenants/managed/certificate');
    expect(created.body.versions).toHaveLength(1);
    expect(created.body.activeVersion).toBe(created.body.versions[0].version);
    expect(created.body.rollover).toMatchObject({ canRegister: true });
    expect((await call('createTenantCertificate', { method: 'POST', params: { id: 'managed' } })).status).toBe(200);
    const view = await call('getTenantCertificate', { method: 'GET', params: { id: 'managed' } });
    expect(view.status).toBe(200);
    expect(JSON.stringify(view.body)).not.toContain('PRIVATE KEY');
    const health = await call('getGraphCredential', { method: 'GET', params: { id: 'managed' } });
    expect(health.body).toMatchObject({ kind: 'managedCertificate', health: { status: 'ok' } });
  });

  it('hands out the public part as PEM or DER for a chosen version, never the key', async () => {
    const { body } = await call('getTenantCertificate', { method: 'GET', params: { id: 'managed' } });
    const { version, thumbprint } = body.versions[0];
    const pem = await call('getTenantCertificate', { method: 'GET', params: { id: 'managed' }, query: `format=pem&version=${version}` });
    expect(pem.headers?.['Content-Type']).toBe('application/x-pem-file');
    expect(pem.headers?.['Content-Disposition']).toBe(`attachment; filename="tenant-managed-graph-managed-${thumbprint}.pem"`);
    expect(String(pem.body)).not.toContain('PRIVATE KEY');
    expect(new X509Certificate(String(pem.body)).fingerprint.replace(/:/g, '')).toBe(thumbprint);
  });

  it.each([
    ['an unknown format', 'format=pfx', 400],
    ['a version that is not an id', 'format=cer&version=../../x', 400],
    ['a version it does not have', 'format=cer&version=0123456789abcdef', 404],
    ['an unknown parameter', 'formats=cer', 400],
    ['a repeated parameter', 'format=cer&format=pem', 400],
  ])('answers %s with %s', async (_what, query, status) => {
    expect((await call('getTenantCertificate', { method: 'GET', params: { id: 'managed' }, query })).status).toBe(status);
  });

  it('refuses the routes for a tenant whose kind the connector does not roll (409) and an unknown tenant (404)', async () => {
    const other = await call('createTenantCertificate', { method: 'POST', params: { id: 'secret' } });
    expect(other.status).toBe(409);
    expect(other.body.error.message).toContain('only for auth kind managedCertificate');
    expect((await call('rollTenantCertificate', { method: 'POST', params: { id: 'cert' } })).status).toBe(409);
    expect((await call('getTenantCertificate', { method: 'GET', params: { id: 'nobody' } })).status).toBe(404);
    expect((await call('rollTenantCertificate', { method: 'POST', params: { id: 'managed' }, query: 'renew=maybe' })).status).toBe(400);
  });

  it('refuses a Graph secret for the kinds the connector makes itself, naming the route instead', async () => {
    const res = await call('putGraphSecret', { method: 'PUT', params: { id: 'managed' }, body: { certificatePem: TEST_CERTIFICATE_PEM } });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain('POST /api/tenants/managed/certificate');
    expect(await services.secrets.describeSecret(tenantSecretNames('managed').graphCertificate)).toBeUndefined();
  });

  it('forgets the certificate and its state with the tenant', async () => {
    const name = tenantSecretNames('managed').graphManagedCertificate;
    expect((await call('deleteTenant', { method: 'DELETE', params: { id: 'managed' } })).status).toBe(204);
    await expect(services.certificates.listVersions(name)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await services.credentialStates.get('managed')).toBeUndefined();
  });
});

describe('client secret and uploaded certificate health', () => {
  it('stores a client secret with its expiry and warns 30 days before it', async () => {
    const unknown = await call('putGraphSecret', { method: 'PUT', params: { id: 'secret' }, body: { clientSecret: 'value-1' } });
    expect(unknown.status).toBe(204);
    expect((await call('getGraphCredential', { method: 'GET', params: { id: 'secret' } })).body.health).toMatchObject({
      status: 'unknown',
    });
    const soon = new Date(Date.now() + 20 * DAY).toISOString();
    expect(
      (await call('putGraphSecret', { method: 'PUT', params: { id: 'secret' }, body: { clientSecret: 'value-2', expiresOn: soon } }))
        .status,
    ).toBe(204);
    const health = (await call('getGraphCredential', { method: 'GET', params: { id: 'secret' } })).body.health;
    expect(health).toMatchObject({ status: 'warning', daysLeft: 19 });
    expect(health.action).toContain('PUT /api/tenants/secret/secrets/graph');
    expect(JSON.stringify(health)).not.toContain('value-2');
  });

  it('makes the maintenance job warn while the secret is about to expire, naming what to do (alerts fire on it)', async () => {
    const { logger, records } = capturingLogger();
    await warnIfGraphCredentialUnhealthy(services, (await services.tenants.get('secret'))!, logger);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      level: 'warn',
      message: 'the Graph credential needs attention: the client secret expires in 19 days',
      fields: { kind: 'clientSecret', status: 'warning', daysLeft: 19 },
    });
    expect(String(records[0]!.fields.action)).toContain('PUT /api/tenants/secret/secrets/graph');
    const quiet = capturingLogger();
    await warnIfGraphCredentialUnhealthy(services, (await services.tenants.get('cert'))!, quiet.logger);
    expect(quiet.records.map((r) => r.fields.status)).toEqual(['missing']);
  });

  it('refuses an expiry that is not a date, and one for a kind that reads its own', async () => {
    const bad = await call('putGraphSecret', {
      method: 'PUT',
      params: { id: 'secret' },
      body: { clientSecret: 'v', expiresOn: 'next year' },
    });
    expect(bad.status).toBe(422);
    const forCert = await call('putGraphSecret', {
      method: 'PUT',
      params: { id: 'cert' },
      body: { certificatePem: TEST_CERTIFICATE_PEM, expiresOn: new Date().toISOString() },
    });
    expect(forCert.status).toBe(422);
  });

  it('reads an uploaded certificate’s expiry from the certificate itself', async () => {
    expect(
      (await call('putGraphSecret', { method: 'PUT', params: { id: 'cert' }, body: { certificatePem: TEST_CERTIFICATE_PEM } })).status,
    ).toBe(204);
    const health = (await call('getGraphCredential', { method: 'GET', params: { id: 'cert' } })).body.health;
    expect(health.expiresOn).toBe(new Date(new X509Certificate(TEST_CERTIFICATE_PEM).validTo).toISOString());
    expect(health.status).toBe('ok');
  });
});

describe('the shared app', () => {
  it('builds the consent URL on the tenant’s cloud’s authority, with the registered redirect and a signed state', async () => {
    const answer = await call('getConsent', { method: 'GET', params: { id: 'shared' } });
    expect(answer.status).toBe(200);
    const url = new URL(answer.body.consentUrl);
    expect(`${url.origin}${url.pathname}`).toBe('https://login.microsoftonline.us/11111111-2222-3333-4444-555555555555/adminconsent');
    expect(url.searchParams.get('client_id')).toBe('99999999-8888-7777-6666-555555555555');
    expect(url.searchParams.get('redirect_uri')).toBe('https://connector.example/api/consent/callback');
    expect(url.searchParams.get('state')).toMatch(/^[\w-]+\.[\w-]+$/);
    expect(answer.body.consented).toBe(false);
  });

  it('says the consent URL is only for sharedApp tenants, and the shared certificate needs creating first', async () => {
    expect((await call('getConsent', { method: 'GET', params: { id: 'secret' } })).status).toBe(409);
    const missing = await call('getSharedAppCertificate', { method: 'GET' });
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toContain('POST /api/shared-app/certificate');
  });
});
