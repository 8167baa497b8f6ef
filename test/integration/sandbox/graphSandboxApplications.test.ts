import { createHash, randomUUID, sign, X509Certificate } from 'node:crypto';
import { ClientCertificateCredential, ClientSecretCredential } from '@azure/identity';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EntraSandbox } from '../../../sandbox/entra';
import { GraphSandbox } from '../../../sandbox/graph';
import { type SelfSignedCertificate } from '../../../shared/platform/certificates/selfSignedCertificate';
import { HOUR, failureMessageOf, testCertificate } from '../../support/testCertificates';
import { numberedGuid, numberedUser } from '../../support/numberedUser';

const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
const PROOF_AUDIENCE = '00000002-0000-0000-c000-000000000000';

let entra: EntraSandbox;
let graph: GraphSandbox;
let objectId: string;
let appId: string;
let first: SelfSignedCertificate;
let firstKeyId: string;

beforeAll(async () => {
  entra = await EntraSandbox.start();
  entra.addDirectory('00000000-0000-4000-8000-00000000c0de');
  graph = await GraphSandbox.start({ entra, tenantId: '00000000-0000-4000-8000-00000000c0de' });
  graph.seed([numberedUser(1, 'App')]);
});
afterAll(async () => {
  await graph.stop();
  await entra.stop();
});
beforeEach(async () => {
  // A fresh registration per test, with one valid certificate (what the admin uploaded at onboarding).
  ({ objectId, appId } = entra.registerApplication({ displayName: 'Connector', homeDirectoryId: graph.tenantId }));
  first = await testCertificate('CN=connector first');
  firstKeyId = entra.uploadCertificate(objectId, first.der).keyId;
  graph.stats.reset();
});

async function tokenWith(cert: SelfSignedCertificate, sandbox = entra, directoryId = graph.tenantId, clientId = appId): Promise<string> {
  const credential = new ClientCertificateCredential(
    directoryId,
    clientId,
    { certificate: `${cert.privateKeyPem}${cert.certificatePem}` },
    { authorityHost: sandbox.authorityHost, disableInstanceDiscovery: true, tlsOptions: { ca: sandbox.caPem } },
  );
  return (await credential.getToken(GRAPH_SCOPE)).token;
}

/** An addKey/removeKey proof written by hand with node:crypto: RS256 over base64url(header).base64url(claims). */
function proof(signer: SelfSignedCertificate, claims: Record<string, unknown>, withX5t = true): string {
  const header = { alg: 'RS256', typ: 'JWT', ...(withX5t ? { x5t: createHash('sha1').update(signer.der).digest('base64url') } : {}) };
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode(header)}.${encode(claims)}`;
  return `${input}.${sign('sha256', Buffer.from(input), signer.privateKeyPem).toString('base64url')}`;
}

/** Claims that pass: aud, iss = object id, nbf now, exp 10 minutes later. */
function claims(overrides: Record<string, unknown> = {}, sandbox = entra): Record<string, unknown> {
  const nbf = Math.floor(sandbox.now() / 1000);
  return { aud: PROOF_AUDIENCE, iss: objectId, nbf, exp: nbf + 600, ...overrides };
}

async function call(token: string, path: string, body?: unknown, base = graph): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base.baseUrl}/v1.0${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const addKeyBody = (cert: SelfSignedCertificate, proofJwt: string, displayName?: string) => ({
  keyCredential: { type: 'AsymmetricX509Cert', usage: 'Verify', key: cert.der.toString('base64'), ...(displayName ? { displayName } : {}) },
  passwordCredential: null,
  proof: proofJwt,
});

describe('GraphSandbox accepts Entra sandbox tokens', () => {
  it('serves a Graph route to a token from ClientCertificateCredential, and refuses tokens for other directories', async () => {
    const token = await tokenWith(first);
    const user = await call(token, `/users/${numberedGuid(1)}?$select=id,displayName`);
    expect(user.status).toBe(200);
    expect(user.body).toMatchObject({ id: numberedGuid(1), displayName: 'App User 1' });
    // The fixed sandbox token keeps working beside Entra's.
    expect((await call(graph.token, `/users/${numberedGuid(1)}`)).status).toBe(200);

    // A token issued in another directory is valid at Entra but not for this tenant's Graph.
    const customer = entra.addDirectory();
    const saas = entra.registerApplication({ displayName: 'SaaS', homeDirectoryId: customer });
    entra.uploadCertificate(saas.objectId, first.der);
    const foreign = await tokenWith(first, entra, customer, saas.appId);
    expect(entra.verifyAccessToken(foreign)).toMatchObject({ directoryId: customer });
    const refused = await call(foreign, `/users/${numberedGuid(1)}`);
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('InvalidAuthenticationToken');
    expect((await call('made-up', `/users/${numberedGuid(1)}`)).status).toBe(401);
  });
});

describe('GraphSandbox /applications', () => {
  it('lets the app read itself by object id or appId, with $select and keyCredentials whose key is null', async () => {
    const token = await tokenWith(first);
    const byId = await call(token, `/applications/${objectId}`);
    expect(byId.status).toBe(200);
    expect(byId.body).toEqual({
      '@odata.context': `${graph.baseUrl}/v1.0/$metadata#applications/$entity`,
      id: objectId,
      appId,
      displayName: 'Connector',
      signInAudience: 'AzureADMyOrg',
      keyCredentials: [
        {
          customKeyIdentifier: Buffer.from(first.thumbprint, 'hex').toString('base64'),
          displayName: 'CN=connector first',
          endDateTime: expect.any(String),
          key: null,
          keyId: firstKeyId,
          startDateTime: expect.any(String),
          type: 'AsymmetricX509Cert',
          usage: 'Verify',
        },
      ],
      passwordCredentials: [],
      web: { redirectUris: [] },
    });
    const byAppId = await call(token, `/applications(appId='${appId}')?$select=id,keyCredentials`);
    expect(byAppId.status).toBe(200);
    expect(Object.keys(byAppId.body)).toEqual(['@odata.context', 'id', 'keyCredentials']);
    expect(byAppId.body.keyCredentials.map((k: { keyId: string }) => k.keyId)).toEqual([firstKeyId]);
    expect((await call(token, `/applications(appId=%27${appId}%27)?$select=appId`)).body.appId).toBe(appId);

    const badSelect = await call(token, `/applications/${objectId}?$select=secretText`);
    expect(badSelect.status).toBe(400);
    expect(badSelect.body.error.message).toBe("Could not find a property named 'secretText' on type 'microsoft.graph.application'.");

    const other = entra.registerApplication({ displayName: 'Other', homeDirectoryId: graph.tenantId });
    expect((await call(token, `/applications/${other.objectId}`)).status).toBe(403);
    expect((await call(token, `/applications/${randomUUID()}`)).status).toBe(404);
    expect(graph.stats.byRoute).toMatchObject({ 'GET /applications/{id}': 4, "GET /applications(appId='{appId}')": 2 });
  });

  it('addKey with a valid proof registers the new certificate, and a token with it then works', async () => {
    const token = await tokenWith(first);
    const next = await testCertificate('CN=connector next');
    const res = await call(token, `/applications/${objectId}/addKey`, addKeyBody(next, proof(first, claims()), 'connector 2027'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      '@odata.context': `${graph.baseUrl}/v1.0/$metadata#microsoft.graph.keyCredential`,
      customKeyIdentifier: Buffer.from(next.thumbprint, 'hex').toString('base64'),
      displayName: 'connector 2027',
      endDateTime: new Date(new X509Certificate(next.der).validTo).toISOString(),
      key: null,
      keyId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      startDateTime: new Date(new X509Certificate(next.der).validFrom).toISOString(),
      type: 'AsymmetricX509Cert',
      usage: 'Verify',
    });
    expect(entra.keyCredentials(objectId).map((k) => Buffer.from(k.customKeyIdentifier, 'base64').toString('hex').toUpperCase())).toEqual([
      first.thumbprint,
      next.thumbprint,
    ]);

    const withNext = await tokenWith(next);
    expect(entra.verifyAccessToken(withNext)).toMatchObject({ appId, directoryId: graph.tenantId });
    expect((await call(withNext, `/users/${numberedGuid(1)}`)).status).toBe(200);

    // Without x5t every valid certificate is tried; the same certificate twice is refused.
    const again = await call(withNext, `/applications/${objectId}/addKey`, addKeyBody(next, proof(next, claims(), false)));
    expect(again.status).toBe(400);
    expect(again.body.error.message).toBe(`certificate ${next.thumbprint} is already registered on the application`);
    expect(graph.stats.byRoute['POST /applications/{id}/addKey']).toBe(2);
  });

  it('startDateTime and endDateTime of the added key are the certificate validity', async () => {
    const token = await tokenWith(first);
    const notBefore = Date.parse('2026-01-01T00:00:00Z');
    const notAfter = Date.parse('2099-01-01T00:00:00Z');
    const next = await testCertificate('CN=dated', notBefore, notAfter);
    const res = await call(token, `/applications(appId='${appId}')/addKey`, addKeyBody(next, proof(first, claims())));
    expect(res.status).toBe(200);
    expect(res.body.startDateTime).toBe('2026-01-01T00:00:00.000Z');
    expect(res.body.endDateTime).toBe('2099-01-01T00:00:00.000Z');
    expect(res.body.displayName).toBe('CN=dated');
  });

  it('refuses proofs that are wrong in any way, and adds nothing', async () => {
    const token = await tokenWith(first);
    const next = await testCertificate('CN=connector next');
    const stranger = await testCertificate('CN=stranger');
    const now = Math.floor(Date.now() / 1000);
    const cases: Array<[string, string]> = [
      [proof(first, claims({ aud: 'https://graph.microsoft.com' })), `aud must be ${PROOF_AUDIENCE}`],
      [proof(first, claims({ iss: appId })), "iss must be the application's object id"],
      [proof(first, claims({ exp: now + 601, nbf: now })), 'exp may be at most 10 minutes after nbf'],
      [proof(first, claims({ nbf: now - 700, exp: now - 100 })), 'the proof is not within its valid time range'],
      [proof(first, claims({ nbf: now + 120, exp: now + 600 })), 'the proof is not within its valid time range'],
      [proof(stranger, claims()), 'the signing certificate is not registered on the application'],
      [proof(stranger, claims(), false), 'no valid certificate of the application verifies the signature'],
      ['not-a-jwt', 'the proof is not a compact JWT'],
    ];
    for (const [jwt, reason] of cases) {
      const res = await call(token, `/applications/${objectId}/addKey`, addKeyBody(next, jwt));
      expect({ status: res.status, code: res.body.error?.code, message: res.body.error?.message }).toEqual({
        status: 400,
        code: 'Request_BadRequest',
        message: `Proof of possession validation failed: ${reason}.`,
      });
    }
    // A proof signed with a different key under the first certificate's x5t fails the signature check.
    const forged = proof(stranger, claims()).split('.');
    const firstHeader = Buffer.from(
      JSON.stringify({ alg: 'RS256', x5t: createHash('sha1').update(first.der).digest('base64url') }),
    ).toString('base64url');
    const res = await call(token, `/applications/${objectId}/addKey`, addKeyBody(next, `${firstHeader}.${forged[1]}.${forged[2]}`));
    expect(res.body.error.message).toBe('Proof of possession validation failed: the signature is invalid.');
    expect(entra.keyCredentials(objectId).map((k) => k.keyId)).toEqual([firstKeyId]);
  });

  it('refuses a proof signed by a registered certificate that has expired, and an app with no valid certificate at all', async () => {
    const clocked = await EntraSandbox.start();
    clocked.addDirectory(graph.tenantId);
    const graph2 = await GraphSandbox.start({ entra: clocked, tenantId: graph.tenantId });
    try {
      const app = clocked.registerApplication({ displayName: 'Clocked', homeDirectoryId: graph.tenantId });
      const shortLived = await testCertificate('CN=short', Date.now() - 60_000, Date.now() + HOUR);
      const longLived = await testCertificate('CN=long');
      clocked.uploadCertificate(app.objectId, shortLived.der);
      clocked.uploadCertificate(app.objectId, longLived.der);
      clocked.advance(2 * HOUR);
      const token = await tokenWith(longLived, clocked, graph.tenantId, app.appId);
      const next = await testCertificate('CN=next');
      const iss = { iss: app.objectId };
      const expired = await call(
        token,
        `/applications/${app.objectId}/addKey`,
        addKeyBody(next, proof(shortLived, claims(iss, clocked))),
        graph2,
      );
      expect(expired.status).toBe(400);
      expect(expired.body.error.message).toBe(
        'Proof of possession validation failed: the signing certificate is expired or not yet valid.',
      );
      const noX5t = await call(
        token,
        `/applications/${app.objectId}/addKey`,
        addKeyBody(next, proof(shortLived, claims(iss, clocked), false)),
        graph2,
      );
      expect(noX5t.body.error.message).toBe(
        'Proof of possession validation failed: no valid certificate of the application verifies the signature.',
      );

      // An app that signs in with a secret only has nothing to prove possession with.
      const secretOnly = clocked.registerApplication({ displayName: 'Secret only', homeDirectoryId: graph.tenantId });
      const secret = clocked.addPassword(secretOnly.objectId, { endDateTime: new Date(clocked.now() + HOUR) });
      const secretToken = (
        await new ClientSecretCredential(graph.tenantId, secretOnly.appId, secret, {
          authorityHost: clocked.authorityHost,
          disableInstanceDiscovery: true,
          tlsOptions: { ca: clocked.caPem },
        }).getToken(GRAPH_SCOPE)
      ).token;
      const none = await call(
        secretToken,
        `/applications/${secretOnly.objectId}/addKey`,
        addKeyBody(next, proof(next, claims({ iss: secretOnly.objectId }, clocked), false)),
        graph2,
      );
      expect(none.body.error.message).toBe(
        'Proof of possession validation failed: the application has no valid certificate to prove possession with.',
      );
      expect(clocked.keyCredentials(secretOnly.objectId)).toEqual([]);
    } finally {
      await graph2.stop();
      await clocked.stop();
    }
  });

  it("only the application's own token may roll its keys (403 for another app and for the fixed sandbox token)", async () => {
    const next = await testCertificate('CN=next');
    const other = entra.registerApplication({ displayName: 'Other', homeDirectoryId: graph.tenantId });
    const otherCert = await testCertificate('CN=other');
    entra.uploadCertificate(other.objectId, otherCert.der);
    const otherToken = await tokenWith(otherCert, entra, graph.tenantId, other.appId);
    const body = addKeyBody(next, proof(first, claims()));
    const byOther = await call(otherToken, `/applications/${objectId}/addKey`, body);
    expect(byOther.status).toBe(403);
    expect(byOther.body.error.code).toBe('Authorization_RequestDenied');
    expect((await call(graph.token, `/applications/${objectId}/addKey`, body)).status).toBe(403);
    expect(entra.keyCredentials(objectId)).toHaveLength(1);
  });

  it('validates bodies: a wrong key type or a non-certificate key is a 400, not a crash', async () => {
    const token = await tokenWith(first);
    const next = await testCertificate('CN=next');
    const good = addKeyBody(next, proof(first, claims()));
    const wrongType = await call(token, `/applications/${objectId}/addKey`, {
      ...good,
      keyCredential: { ...good.keyCredential, type: 'Symmetric' },
    });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error.message).toMatch(/^keyCredential\.type: /);
    const notCert = await call(token, `/applications/${objectId}/addKey`, {
      ...good,
      keyCredential: { ...good.keyCredential, key: 'AAAA' },
    });
    expect(notCert.status).toBe(400);
    expect(notCert.body.error.message).toMatch(/^keyCredential\.key: not an X\.509 certificate/);
    const noProof = await call(token, `/applications/${objectId}/removeKey`, { keyId: firstKeyId });
    expect(noProof.status).toBe(400);
    expect(noProof.body.error.message).toMatch(/^proof: /);
    expect((await call(token, `/applications/${objectId}/addKey`)).status).toBe(405);
  });

  it('removeKey with a proof from the new certificate removes the old one; tokens with the old one then fail', async () => {
    const token = await tokenWith(first);
    const next = await testCertificate('CN=connector next');
    expect((await call(token, `/applications/${objectId}/addKey`, addKeyBody(next, proof(first, claims())))).status).toBe(200);
    const nextToken = await tokenWith(next);

    const unknown = await call(nextToken, `/applications/${objectId}/removeKey`, { keyId: randomUUID(), proof: proof(next, claims()) });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('Request_ResourceNotFound');

    const removed = await fetch(`${graph.baseUrl}/v1.0/applications/${objectId}/removeKey`, {
      method: 'POST',
      headers: { authorization: `Bearer ${nextToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ keyId: firstKeyId, proof: proof(next, claims()) }),
    });
    expect(removed.status).toBe(204);
    expect(await removed.text()).toBe('');
    expect(entra.keyCredentials(objectId).map((k) => Buffer.from(k.customKeyIdentifier, 'base64').toString('hex').toUpperCase())).toEqual([
      next.thumbprint,
    ]);

    const message = await failureMessageOf(tokenWith(first));
    expect(message).toContain('AADSTS700027: Client assertion contains an invalid signature. [Reason - The key was not found.');
    // A proof signed with the removed certificate no longer proves anything.
    const stale = await call(nextToken, `/applications/${objectId}/removeKey`, { keyId: firstKeyId, proof: proof(first, claims()) });
    expect(stale.body.error.message).toBe(
      'Proof of possession validation failed: the signing certificate is not registered on the application.',
    );
    expect(graph.stats.byRoute['POST /applications/{id}/removeKey']).toBe(3);
  });
});
