import { beforeAll, describe, expect, it } from 'vitest';
import { type Services } from '../../shared/app/Services';
import { tenantSecretNames } from '../../shared/platform/secrets/tenantSecretNames';
import { createTestServices } from '../support/testServices';
import { TEST_CERTIFICATE_PEM } from '../fixtures/testCertificate';
import { adminCaller } from '../support/adminCall';

const PASSWORD = 'Pbx!Admin#Secret-7781';
const CLIENT_SECRET = 'graph~client~secret~55aa';

let services: Services;
const call = adminCaller(() => services);

const tenantWith = (auth: Record<string, unknown>, baseUrl = 'https://pbx.contoso.com:8887') => ({
  displayName: 'Contoso',
  microsoft365: {
    directoryId: '11111111-2222-3333-4444-555555555555',
    applicationId: '66666666-7777-8888-9999-000000000000',
    auth,
  },
  pbx: { kind: 'portsip', baseUrl, domain: 'contoso.pbx' },
});

beforeAll(async () => {
  services = await createTestServices();
  for (const [id, auth] of [
    ['cert', { kind: 'certificate' }],
    ['secret', { kind: 'clientSecret' }],
  ] as const) {
    expect((await call('putTenant', { method: 'PUT', params: { id }, body: tenantWith(auth) })).status).toBe(201);
  }
});

describe('PUT /api/tenants/{id}/secrets/pbx', () => {
  it('stores the credential under the tenant’s derived name, bound to its PBX origin, and answers 204 with no body', async () => {
    const res = await call('putPbxSecret', { method: 'PUT', params: { id: 'cert' }, body: { username: 'syncadmin', password: PASSWORD } });
    expect(res).toMatchObject({ status: 204, body: undefined });
    const stored = JSON.parse(await services.secrets.getSecret('tenant-cert-pbx')) as Record<string, unknown>;
    expect(stored).toMatchObject({ username: 'syncadmin', password: PASSWORD, origin: 'https://pbx.contoso.com:8887' });
    expect(typeof stored.writtenAt).toBe('string');
  });

  it('answers 404 for an unknown tenant and writes nothing', async () => {
    const res = await call('putPbxSecret', { method: 'PUT', params: { id: 'nobody' }, body: { username: 'a', password: PASSWORD } });
    expect(res.status).toBe(404);
    expect(await services.secrets.describeSecret(tenantSecretNames('nobody').pbx)).toBeUndefined();
  });

  it.each([
    ['no password', { username: 'a' }],
    ['an empty user name', { username: '', password: PASSWORD }],
    ['a number for a password', { username: 'a', password: 42 }],
    ['an extra field', { username: 'a', password: PASSWORD, secretName: 'tenant-secret-pbx' }],
    ['an array', [PASSWORD]],
  ])('answers 422 for a body with %s, quoting no value', async (_what, body) => {
    const res = await call('putPbxSecret', { method: 'PUT', params: { id: 'cert' }, body });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('UNPROCESSABLE');
    expect(JSON.stringify(res.body)).not.toContain(PASSWORD);
  });

  it('answers 415 for a non-JSON body and 400 for a bad tenant id', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    expect((await call('putPbxSecret', { method: 'PUT', params: { id: 'cert' }, body: 'a=b', headers: form })).status).toBe(415);
    expect(
      (await call('putPbxSecret', { method: 'PUT', params: { id: '../secret' }, body: { username: 'a', password: 'b' } })).status,
    ).toBe(400);
  });
});

describe('PUT /api/tenants/{id}/secrets/graph', () => {
  it('stores the field of the tenant’s auth kind: a client secret, or a certificate PEM', async () => {
    expect((await call('putGraphSecret', { method: 'PUT', params: { id: 'secret' }, body: { clientSecret: CLIENT_SECRET } })).status).toBe(
      204,
    );
    expect(await services.secrets.getSecret('tenant-secret-graph')).toBe(CLIENT_SECRET);
    expect(
      (await call('putGraphSecret', { method: 'PUT', params: { id: 'cert' }, body: { certificatePem: TEST_CERTIFICATE_PEM } })).status,
    ).toBe(204);
    expect(await services.secrets.getCertificatePem('tenant-cert-graph-cert')).toBe(TEST_CERTIFICATE_PEM);
  });

  it('answers 422 for the field of another auth kind, or both, or a PEM without its key — quoting no value', async () => {
    for (const [id, body] of [
      ['cert', { clientSecret: CLIENT_SECRET }],
      ['secret', { certificatePem: TEST_CERTIFICATE_PEM }],
      ['secret', { clientSecret: CLIENT_SECRET, token: CLIENT_SECRET }],
      ['secret', {}],
      ['cert', { certificatePem: TEST_CERTIFICATE_PEM.slice(TEST_CERTIFICATE_PEM.indexOf('-----BEGIN CERTIFICATE-----')) }],
    ] as const) {
      const res = await call('putGraphSecret', { method: 'PUT', params: { id }, body });
      expect(res.status).toBe(422);
      expect(JSON.stringify(res.body)).not.toContain(CLIENT_SECRET);
      expect(JSON.stringify(res.body)).not.toContain('MIIB');
    }
    expect((await call('putGraphSecret', { method: 'PUT', params: { id: 'nobody' }, body: { clientSecret: 'x' } })).status).toBe(404);
  });
});

describe('GET /api/tenants/{id}/secrets', () => {
  it('lists which secrets exist, when written and for which PBX origin — never a value', async () => {
    const res = await call('listSecrets', { method: 'GET', params: { id: 'cert' } });
    expect(res.status).toBe(200);
    expect(res.body.value).toEqual([
      expect.objectContaining({
        kind: 'pbx',
        name: 'tenant-cert-pbx',
        exists: true,
        used: true,
        origin: 'https://pbx.contoso.com:8887',
        matchesPbxUrl: true,
        writtenAt: expect.any(String),
      }),
      { kind: 'graph', name: 'tenant-cert-graph', exists: false, used: false },
      { kind: 'graphCertificate', name: 'tenant-cert-graph-cert', exists: true, used: true },
    ]);
    const text = JSON.stringify(res.body);
    for (const value of [PASSWORD, 'syncadmin', 'MIIB', CLIENT_SECRET]) expect(text).not.toContain(value);
    expect((await call('listSecrets', { method: 'GET', params: { id: 'nobody' } })).status).toBe(404);
  });

  it('no route answers with a secret value', async () => {
    const answers = [
      await call('listTenants', { method: 'GET' }),
      await call('getTenant', { method: 'GET', params: { id: 'cert' } }),
      await call('getTenant', { method: 'GET', params: { id: 'secret' } }),
      await call('listSecrets', { method: 'GET', params: { id: 'secret' } }),
    ];
    for (const answer of answers) {
      for (const value of [PASSWORD, CLIENT_SECRET, 'MIIB']) expect(JSON.stringify(answer.body)).not.toContain(value);
    }
  });
});

describe('deleting and re-creating a tenant', () => {
  it('deletes its secrets, so the tenant created again with the same id starts with none', async () => {
    await call('putTenant', { method: 'PUT', params: { id: 'again' }, body: tenantWith({ kind: 'clientSecret' }) });
    await call('putPbxSecret', { method: 'PUT', params: { id: 'again' }, body: { username: 'a', password: PASSWORD } });
    await call('putGraphSecret', { method: 'PUT', params: { id: 'again' }, body: { clientSecret: CLIENT_SECRET } });
    expect((await call('deleteTenant', { method: 'DELETE', params: { id: 'again' } })).status).toBe(204);
    for (const name of Object.values(tenantSecretNames('again'))) expect(await services.secrets.describeSecret(name)).toBeUndefined();

    await call('putTenant', { method: 'PUT', params: { id: 'again' }, body: tenantWith({ kind: 'clientSecret' }) });
    const dryRun = await call('syncTenant', { method: 'POST', params: { id: 'again' }, query: 'dryRun=true' });
    expect(dryRun.status).toBe(409);
    expect(dryRun.body.error).toMatchObject({
      code: 'NOT_READY',
      details: { secret: 'tenant-again-graph', write: 'PUT /api/tenants/again/secrets/graph' },
    });
    // …and its secrets can be written again at once (no soft-delete conflict).
    expect((await call('putPbxSecret', { method: 'PUT', params: { id: 'again' }, body: { username: 'a', password: 'new' } })).status).toBe(
      204,
    );
  });

  it('a tenant created over secrets left under its names (an earlier failed delete) does not inherit them', async () => {
    await services.secrets.setSecret(
      'tenant-orphan-pbx',
      JSON.stringify({ username: 'x', password: PASSWORD, origin: 'https://pbx.contoso.com:8887', writtenAt: 'x' }),
    );
    await call('putTenant', { method: 'PUT', params: { id: 'orphan' }, body: tenantWith({ kind: 'clientSecret' }) });
    expect(await services.secrets.describeSecret('tenant-orphan-pbx')).toBeUndefined();
  });
});
