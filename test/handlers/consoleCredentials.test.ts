import { beforeEach, describe, expect, it } from 'vitest';
import { type Services } from '../../shared/app/Services';
import { tenantSecretNames } from '../../shared/platform/secrets/tenantSecretNames';
import { tenantConfig } from '../integration/platform/tables/storeTestTables';
import { adminCaller } from '../support/adminCall';
import { localConsole } from '../support/consoleCall';
import { createTestServices } from '../support/testServices';

/*
 * The console's credentials page through consoleHandler with real HttpRequests over Azurite: what is written,
 * the forms, refusals next to their fields, and that no value typed ever comes back in a page.
 */

const PASSWORD = 'Pbx#Admin-7731-secret';
const CLIENT_SECRET = 'cs~Very.Secret-Value_0123456789';
let services: Services;
const { call, signIn } = localConsole(() => services);
const csrfOf = (body: string) => /name="csrf" value="([^"]+)"/.exec(body)?.[1];

/** Signed in, with the form token of a page of the session. */
async function session() {
  const { cookie } = await signIn();
  const page = await call('consoleCredentials', { params: { id: 'acme' }, headers: { cookie } });
  return { cookie, csrf: csrfOf(page.body)!, page };
}

const withAuth = (kind: 'clientSecret' | 'certificate' | 'managedCertificate') => {
  const config = tenantConfig();
  return { ...config, microsoft365: { ...config.microsoft365, auth: { kind } } } as typeof config;
};

beforeEach(async () => {
  services = await createTestServices();
  await services.tenants.create('acme', withAuth('clientSecret'));
});

describe('the console’s credentials page', () => {
  it('says what is written and offers the forms of the tenant’s PBX and sign-in kind, with empty secret fields', async () => {
    const { page } = await session();
    expect(page.status).toBe(200);
    expect(page.body).toContain('<th scope="row">PBX credential</th><td>not written</td>');
    expect(page.body).toContain('action="/api/console/tenants/acme/credentials/pbx"');
    expect(page.body).toContain('<label for="pbx-username">PortSIP tenant admin user name</label>');
    expect(page.body).toMatch(/id="pbx-password" name="password" type="password"[^>]*autocomplete="new-password" value=""/);
    expect(page.body).toContain('<label for="graph-clientSecret">Client secret value</label>');
    expect(page.body).toContain('<label for="graph-expiresOn">Expires on (optional)</label>');
  });

  it('refuses an empty password next to its field, keeps the user name, never echoes what was typed', async () => {
    const { cookie, csrf } = await session();
    const refused = await call('consolePbxCredential', {
      params: { id: 'acme' },
      form: { csrf, username: 'admin@acme', password: '' },
      headers: { cookie },
    });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatch(/id="pbx-password"[^>]*aria-invalid="true"/);
    expect(refused.body).toContain('<p class="error" id="pbx-password-error">must not be empty</p>');
    expect(refused.body).toMatch(/id="pbx-username"[^>]*value="admin@acme"/);
    await expect(services.secrets.getSecret(tenantSecretNames('acme').pbx)).rejects.toThrow();
  });

  it('writes the PBX credential and the client secret with its expiry, records who, and shows them written — never their values', async () => {
    const { cookie, csrf } = await session();
    const pbx = await call('consolePbxCredential', {
      params: { id: 'acme' },
      form: { csrf, username: 'admin@acme', password: PASSWORD },
      headers: { cookie },
    });
    expect(pbx.status).toBe(303);
    expect(pbx.headers.location).toBe('/api/console/tenants/acme/credentials?notice=pbx');
    expect(await services.secrets.getSecret(tenantSecretNames('acme').pbx)).toContain(PASSWORD);

    const badExpiry = await call('consoleGraphSecret', {
      params: { id: 'acme' },
      form: { csrf, clientSecret: CLIENT_SECRET, expiresOn: 'next year' },
      headers: { cookie },
    });
    expect(badExpiry.status).toBe(422);
    expect(badExpiry.body).toContain('id="graph-expiresOn-error"');
    expect(badExpiry.body).not.toContain(CLIENT_SECRET);
    const graph = await call('consoleGraphSecret', {
      params: { id: 'acme' },
      form: { csrf, clientSecret: CLIENT_SECRET, expiresOn: '2027-06-30' },
      headers: { cookie },
    });
    expect(graph.status).toBe(303);

    const page = await call('consoleCredentials', { params: { id: 'acme' }, query: 'notice=graph', headers: { cookie } });
    expect(page.body).toContain('Microsoft 365 secret saved.');
    expect(page.body).toMatch(/<th scope="row">PBX credential<\/th><td>written \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC<\/td>/);
    expect(page.body).toMatch(/Microsoft 365 secret \(client secret or sandbox token\)<\/th><td>written/);
    for (const secret of [PASSWORD, CLIENT_SECRET]) expect(page.body).not.toContain(secret);
    const actions = (await services.audit.list('acme', 5)).map((e) => [e.action, e.detail.credential, e.detail.via, e.actor.kind]);
    expect(actions).toEqual([
      ['secret.write', 'graph', 'console', 'console'],
      ['secret.write', 'pbx', 'console', 'console'],
    ]);
    expect(JSON.stringify(await services.audit.list('acme', 5))).not.toContain(PASSWORD);
  });

  it('refuses a certificate it cannot sign in with, and explains a certificate the connector makes itself (409)', async () => {
    let tenant = (await services.tenants.get('acme'))!;
    await services.tenants.replace('acme', withAuth('certificate'), tenant.etag);
    const { cookie, csrf, page } = await session();
    expect(page.body).toContain('<textarea id="graph-certificatePem" name="certificatePem"');
    const notPem = '-----BEGIN NOTHING-----\nsecret-material\n-----END NOTHING-----';
    const refused = await call('consoleGraphSecret', {
      params: { id: 'acme' },
      form: { csrf, certificatePem: notPem },
      headers: { cookie },
    });
    expect(refused.status).toBe(422);
    expect(refused.body).toContain('must be PEM text holding both the private key and the certificate');
    expect(refused.body).not.toContain('secret-material');

    tenant = (await services.tenants.get('acme'))!;
    await services.tenants.replace('acme', withAuth('managedCertificate'), tenant.etag);
    const managed = await call('consoleCredentials', { params: { id: 'acme' }, headers: { cookie } });
    expect(managed.body).toContain('the connector makes and renews that certificate itself');
    expect(managed.body).not.toContain('action="/api/console/tenants/acme/credentials/graph"');
    const conflict = await call('consoleGraphSecret', { params: { id: 'acme' }, form: { csrf, token: 'x' }, headers: { cookie } });
    expect(conflict.status).toBe(409);
  });

  it('refuses a write without the form token (403) and answers 404 for an unknown tenant', async () => {
    const { cookie, csrf } = await session();
    const refused = await call('consolePbxCredential', {
      params: { id: 'acme' },
      form: { username: 'admin@acme', password: PASSWORD },
      headers: { cookie },
    });
    expect(refused.status).toBe(403);
    await expect(services.secrets.getSecret(tenantSecretNames('acme').pbx)).rejects.toThrow();
    expect((await call('consoleCredentials', { params: { id: 'nobody' }, headers: { cookie } })).status).toBe(404);
    expect((await call('consolePbxCredential', { params: { id: 'nobody' }, form: { csrf }, headers: { cookie } })).status).toBe(404);
  });

  it('records a secret written through the admin API too, without its value', async () => {
    const admin = adminCaller(() => services);
    const put = await admin('putPbxSecret', {
      method: 'PUT',
      params: { id: 'acme' },
      body: { username: 'admin@acme', password: PASSWORD },
    });
    expect(put.status).toBe(204);
    const [entry] = await services.audit.list('acme', 1);
    expect(entry).toMatchObject({ action: 'secret.write', detail: { credential: 'pbx' }, actor: { kind: 'adminKey' } });
    expect(JSON.stringify(entry)).not.toContain(PASSWORD);
  });
});
