import { createHash } from 'node:crypto';
import { request } from 'node:https';
import { ClientCertificateCredential, ClientSecretCredential } from '@azure/identity';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EntraSandbox } from '../../../sandbox/entra';
import { type SelfSignedCertificate } from '../../../shared/platform/certificates/selfSignedCertificate';
import { HOUR, failureMessageOf, testCertificate } from '../../support/testCertificates';

const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

let entra: EntraSandbox;
let home: string;

beforeAll(async () => {
  entra = await EntraSandbox.start();
});
afterAll(() => entra.stop());
beforeEach(() => {
  home = entra.addDirectory();
  entra.counters.reset();
});

/** The real @azure/identity credential, trusting only the sandbox's certificate. */
function certificateCredential(directoryId: string, appId: string, cert: SelfSignedCertificate): ClientCertificateCredential {
  return new ClientCertificateCredential(
    directoryId,
    appId,
    { certificate: `${cert.privateKeyPem}${cert.certificatePem}` },
    { authorityHost: entra.authorityHost, disableInstanceDiscovery: true, tlsOptions: { ca: entra.caPem } },
  );
}

function secretCredential(directoryId: string, appId: string, secret: string): ClientSecretCredential {
  return new ClientSecretCredential(directoryId, appId, secret, {
    authorityHost: entra.authorityHost,
    disableInstanceDiscovery: true,
    tlsOptions: { ca: entra.caPem },
  });
}

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** node:https with the sandbox's CA (fetch cannot be given a CA per request). */
function raw(method: 'GET' | 'POST', path: string, form?: Record<string, string>): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const body = form ? new URLSearchParams(form).toString() : undefined;
    const req = request(
      `${entra.authorityHost}${path}`,
      { method, ca: entra.caPem, headers: body ? { 'content-type': 'application/x-www-form-urlencoded' } : {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('EntraSandbox token endpoint with the real @azure/identity', () => {
  it('issues a token to ClientCertificateCredential; MSAL signs the assertion PS256 with x5t#S256', async () => {
    const { objectId, appId } = entra.registerApplication({ displayName: 'Connector', homeDirectoryId: home });
    const cert = await testCertificate('CN=connector 1');
    const registered = entra.uploadCertificate(objectId, cert.der);
    expect(registered).toMatchObject({
      customKeyIdentifier: Buffer.from(cert.thumbprint, 'hex').toString('base64'),
      key: null,
      type: 'AsymmetricX509Cert',
      usage: 'Verify',
    });

    const token = await certificateCredential(home, appId, cert).getToken(GRAPH_SCOPE);

    const grant = entra.verifyAccessToken(token.token);
    expect(grant).toEqual({ appId, directoryId: home, resource: 'https://graph.microsoft.com', expiresAt: expect.any(Number) });
    expect(Math.round((grant!.expiresAt - Date.now()) / 1000)).toBeGreaterThan(3590);
    expect(entra.counters.credentials).toEqual({ 'PS256 x5t#S256': 1 });
    expect(entra.counters.openIdConfiguration).toBe(1);
    expect(entra.counters.tokensIssued).toBe(1);
    expect(entra.verifyAccessToken('not-issued')).toBeUndefined();
  });

  it('is refused by a credential that was not told to trust the sandbox CA (no global TLS switch is needed or used)', async () => {
    const { objectId, appId } = entra.registerApplication({ displayName: 'Connector', homeDirectoryId: home });
    const cert = await testCertificate('CN=connector untrusted');
    entra.uploadCertificate(objectId, cert.der);
    const untrusted = new ClientCertificateCredential(
      home,
      appId,
      { certificate: `${cert.privateKeyPem}${cert.certificatePem}` },
      { authorityHost: entra.authorityHost, disableInstanceDiscovery: true },
    );
    // MSAL swallows the TLS failure of its discovery request and reports that it could not resolve the endpoints;
    // no request reached the server, so the handshake is what failed.
    await expect(untrusted.getToken(GRAPH_SCOPE)).rejects.toThrow(/^endpoints_resolution_error/);
    expect(entra.counters.openIdConfiguration).toBe(0);
    expect(entra.counters.tokenRequests).toBe(0);
  });

  it('serves the openid-configuration MSAL reads, and AADSTS90002 for an unknown directory', async () => {
    const ok = await raw('GET', `/${home}/v2.0/.well-known/openid-configuration`);
    expect(ok.status).toBe(200);
    const doc = JSON.parse(ok.body);
    expect(doc.token_endpoint).toBe(`${entra.authorityHost}/${home}/oauth2/v2.0/token`);
    expect(doc.issuer).toBe(`${entra.authorityHost}/${home}/v2.0`);
    expect(doc.authorization_endpoint).toBe(`${entra.authorityHost}/${home}/oauth2/v2.0/authorize`);
    expect(doc.jwks_uri).toBe(`${entra.authorityHost}/${home}/discovery/v2.0/keys`);

    const unknown = '11111111-2222-4333-8444-555555555555';
    const missing = await raw('GET', `/${unknown}/v2.0/.well-known/openid-configuration`);
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.body)).toMatchObject({ error: 'invalid_request', error_codes: [90002] });
    const token = await raw('POST', `/${unknown}/oauth2/v2.0/token`, { grant_type: 'client_credentials' });
    expect(token.status).toBe(400);
    const body = JSON.parse(token.body);
    expect(body.error_codes).toEqual([90002]);
    expect(body.error_description).toMatch(new RegExp(`^AADSTS90002: Tenant '${unknown}' not found\\.`));
  });

  it('refuses a certificate that is not registered with AADSTS700027, surfaced by the credential', async () => {
    const { objectId, appId } = entra.registerApplication({ displayName: 'Connector', homeDirectoryId: home });
    entra.uploadCertificate(objectId, (await testCertificate('CN=registered')).der);
    const stranger = await testCertificate('CN=not registered');

    const message = await failureMessageOf(certificateCredential(home, appId, stranger).getToken(GRAPH_SCOPE));

    expect(message).toContain('AADSTS700027: Client assertion contains an invalid signature. [Reason - The key was not found.');
    // MSAL names the key by x5t#S256, so Entra reports its SHA-256 thumbprint.
    expect(message).toContain(
      `Thumbprint of key used by client: '${createHash('sha256').update(stranger.der).digest('hex').toUpperCase()}'`,
    );
    expect(entra.counters.tokenErrors).toEqual({ '700027': 1 });
  });

  it('refuses an expired registered certificate and a secret that is wrong or expired', async () => {
    const clocked = await EntraSandbox.start();
    try {
      const dir = clocked.addDirectory();
      const { objectId, appId } = clocked.registerApplication({ displayName: 'Connector', homeDirectoryId: dir });
      const shortLived = await testCertificate('CN=short', Date.now() - 60_000, Date.now() + HOUR);
      clocked.uploadCertificate(objectId, shortLived.der);
      const secret = clocked.addPassword(objectId, { endDateTime: new Date(Date.now() + HOUR) });
      expect(secret).toMatch(/^[A-Za-z0-9]{3}8Q~[A-Za-z0-9]{34}$/);
      const options = { authorityHost: clocked.authorityHost, disableInstanceDiscovery: true, tlsOptions: { ca: clocked.caPem } };
      const viaSecret = await new ClientSecretCredential(dir, appId, secret, options).getToken(GRAPH_SCOPE);
      expect(clocked.verifyAccessToken(viaSecret.token)).toMatchObject({ appId, directoryId: dir });

      const wrong = await failureMessageOf(new ClientSecretCredential(dir, appId, `${secret}x`, options).getToken(GRAPH_SCOPE));
      expect(wrong).toContain(`AADSTS7000215: Invalid client secret provided.`);

      clocked.advance(2 * HOUR);
      // The earlier access token has expired on the sandbox's clock as well.
      expect(clocked.verifyAccessToken(viaSecret.token)).toBeUndefined();
      const expiredSecret = await failureMessageOf(new ClientSecretCredential(dir, appId, secret, options).getToken(GRAPH_SCOPE));
      expect(expiredSecret).toContain(`AADSTS7000222: The provided client secret keys for app '${appId}' are expired.`);
      const expiredCert = await failureMessageOf(
        new ClientCertificateCredential(
          dir,
          appId,
          { certificate: `${shortLived.privateKeyPem}${shortLived.certificatePem}` },
          options,
        ).getToken(GRAPH_SCOPE),
      );
      expect(expiredCert).toContain('AADSTS700027: Client assertion contains an invalid signature. [Reason - The key used is expired.');
      expect(clocked.counters.tokenErrors).toEqual({ '7000215': 1, '7000222': 1, '700027': 1 });
      expect(clocked.counters.credentials).toEqual({ secret: 1 });
    } finally {
      await clocked.stop();
    }
  });

  it('answers bad token requests with Entra errors and keeps serving', async () => {
    const { objectId, appId } = entra.registerApplication({ displayName: 'Connector', homeDirectoryId: home });
    const secret = entra.addPassword(objectId, { endDateTime: new Date(Date.now() + HOUR) });
    const post = async (form: Record<string, string>) => {
      const res = await raw('POST', `/${home}/oauth2/v2.0/token`, form);
      const body = JSON.parse(res.body);
      return { status: res.status, error: body.error as string, code: body.error_codes?.[0] as number };
    };
    expect(await post({})).toEqual({ status: 400, error: 'invalid_request', code: 900144 });
    expect(await post({ grant_type: 'password', client_id: appId })).toEqual({ status: 400, error: 'unsupported_grant_type', code: 70003 });
    expect(await post({ grant_type: 'client_credentials', scope: GRAPH_SCOPE })).toEqual({
      status: 400,
      error: 'invalid_request',
      code: 900144,
    });
    const base = { grant_type: 'client_credentials', client_id: appId, scope: GRAPH_SCOPE };
    expect(await post(base)).toEqual({ status: 401, error: 'invalid_client', code: 7000218 });
    expect(await post({ ...base, client_id: '99999999-9999-4999-8999-999999999999', client_secret: secret })).toEqual({
      status: 400,
      error: 'unauthorized_client',
      code: 700016,
    });
    expect(await post({ ...base, scope: 'https://graph.microsoft.com/User.Read', client_secret: secret })).toEqual({
      status: 400,
      error: 'invalid_scope',
      code: 1002012,
    });
    const jwtBearer = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
    expect(await post({ ...base, client_assertion_type: jwtBearer, client_assertion: 'a.b' })).toEqual({
      status: 401,
      error: 'invalid_client',
      code: 50027,
    });
    expect(await post({ ...base, client_secret: secret })).toMatchObject({ status: 200 });
    const notFound = await raw('GET', '/nothing/here');
    expect(notFound.status).toBe(404);
  });

  it('retries through an injected 503: the pipeline under @azure/identity tries again and gets the token', async () => {
    const { objectId, appId } = entra.registerApplication({ displayName: 'Connector', homeDirectoryId: home });
    const secret = entra.addPassword(objectId, { endDateTime: new Date(Date.now() + HOUR) });
    entra.faults.failNextToken(1, 503);
    const token = await secretCredential(home, appId, secret).getToken(GRAPH_SCOPE);
    expect(entra.verifyAccessToken(token.token)).toMatchObject({ appId });
    expect(entra.counters.tokenRequests).toBe(2);
    expect(entra.counters.tokenErrors).toEqual({ '90033': 1 });
  });
});

describe('EntraSandbox multi-tenant apps and admin consent', () => {
  const redirect = 'https://connector.example/api/consent';

  it('refuses a token in a customer directory until its admin consents, then issues it there', async () => {
    const customer = entra.addDirectory();
    const { objectId, appId } = entra.registerApplication({
      displayName: 'Connector SaaS',
      homeDirectoryId: home,
      multiTenant: true,
      redirectUris: [redirect],
    });
    const cert = await testCertificate('CN=saas');
    entra.uploadCertificate(objectId, cert.der);

    const before = await failureMessageOf(certificateCredential(customer, appId, cert).getToken(GRAPH_SCOPE));
    expect(before).toContain(
      `AADSTS65001: The user or administrator has not consented to use the application with ID '${appId}' named 'Connector SaaS'.`,
    );

    const wrongRedirect = await raw(
      'GET',
      `/${customer}/adminconsent?client_id=${appId}&redirect_uri=${encodeURIComponent('https://evil.example/')}&state=s1`,
    );
    expect(wrongRedirect.status).toBe(400);
    expect(wrongRedirect.headers.location).toBeUndefined();
    expect(wrongRedirect.body).toContain('AADSTS50011');
    expect(entra.isConsented(customer, appId)).toBe(false);

    entra.denyNextConsent();
    const declined = await raw('GET', `/${customer}/adminconsent?client_id=${appId}&redirect_uri=${encodeURIComponent(redirect)}&state=s2`);
    expect(declined.status).toBe(302);
    expect(declined.headers.location).toBe(
      `${redirect}?error=access_denied&error_description=AADSTS65004%3A+User+declined+to+consent+to+access+the+app.&tenant=${customer}&state=s2`,
    );
    expect(entra.isConsented(customer, appId)).toBe(false);

    const accepted = await raw('GET', `/${customer}/adminconsent?client_id=${appId}&redirect_uri=${encodeURIComponent(redirect)}&state=s3`);
    expect(accepted.status).toBe(302);
    expect(accepted.headers.location).toBe(`${redirect}?admin_consent=True&tenant=${customer}&state=s3`);
    expect(entra.counters.adminConsent).toBe(3);

    const token = await certificateCredential(customer, appId, cert).getToken(GRAPH_SCOPE);
    expect(entra.verifyAccessToken(token.token)).toMatchObject({ appId, directoryId: customer });

    entra.revokeConsent(customer, appId);
    expect(entra.verifyAccessToken(token.token)).toBeUndefined();
    const after = await failureMessageOf(certificateCredential(customer, appId, cert).getToken(GRAPH_SCOPE));
    expect(after).toContain('AADSTS65001');
  });

  it('keeps a single-tenant app to its home directory (AADSTS700016), consent page included', async () => {
    const customer = entra.addDirectory();
    const { objectId, appId } = entra.registerApplication({ displayName: 'Internal', homeDirectoryId: home, redirectUris: [redirect] });
    const secret = entra.addPassword(objectId, { endDateTime: new Date(Date.now() + HOUR) });
    const message = await failureMessageOf(secretCredential(customer, appId, secret).getToken(GRAPH_SCOPE));
    expect(message).toContain(`AADSTS700016: Application with identifier '${appId}' was not found in the directory '${customer}'.`);
    const page = await raw('GET', `/${customer}/adminconsent?client_id=${appId}&redirect_uri=${encodeURIComponent(redirect)}`);
    expect(page.status).toBe(400);
    expect(page.body).toContain('AADSTS700016');
    const noClient = await raw('GET', `/${customer}/adminconsent`);
    expect(noClient.status).toBe(400);
    expect(noClient.body).toContain('AADSTS900144');
  });
});
