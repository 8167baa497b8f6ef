import { request } from 'node:https';
import { CertificateClient, type CertificatePolicy } from '@azure/keyvault-certificates';
import { SecretClient } from '@azure/keyvault-secrets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyVaultSandbox } from '../../../sandbox/keyvault/KeyVaultSandbox';

const POLICY: CertificatePolicy = {
  issuerName: 'Self',
  subject: 'CN=sandbox test',
  validityInMonths: 12,
  keyType: 'RSA',
  keySize: 2048,
  exportable: true,
  contentType: 'application/x-pem-file',
  lifetimeActions: [{ action: 'AutoRenew', lifetimePercentage: 80 }],
};

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: { error?: { code?: string; message?: string; innererror?: { code?: string } } } & Record<string, unknown>;
}

/** A plain HTTPS request (no SDK), trusting the sandbox's certificate and nothing else. */
function raw(sandbox: KeyVaultSandbox, method: string, path: string, token?: string, body?: unknown): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, sandbox.vaultUrl);
    const text = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      url,
      {
        method,
        ca: sandbox.caPem,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(text ? { 'content-type': 'application/json' } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const answer = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: answer ? JSON.parse(answer) : {} });
        });
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

async function statusOf(call: Promise<unknown>): Promise<{ statusCode?: number; code?: string; message: string }> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Error);
  return err as { statusCode?: number; code?: string; message: string };
}

describe('KeyVaultSandbox with the real Key Vault SDK clients', () => {
  let sandbox: KeyVaultSandbox;
  let certificates: CertificateClient;
  let secrets: SecretClient;

  beforeAll(async () => {
    sandbox = await KeyVaultSandbox.start({ pageSize: 2, pendingPolls: 1 });
    certificates = new CertificateClient(sandbox.vaultUrl, sandbox.credential, sandbox.clientOptions);
    secrets = new SecretClient(sandbox.vaultUrl, sandbox.credential, sandbox.clientOptions);
  });
  afterAll(() => sandbox?.stop());

  it('serves HTTPS on 127.0.0.1 with a certificate the client must be told to trust', async () => {
    expect(sandbox.vaultUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(sandbox.caPem).toContain('-----BEGIN CERTIFICATE-----');
    const untrusted = new SecretClient(sandbox.vaultUrl, sandbox.credential, { disableChallengeResourceVerification: true });
    const err = await statusOf(untrusted.getSecret('anything'));
    expect(err.statusCode).toBeUndefined();
    expect(err.message).toMatch(/self[- ]signed certificate/i);
  });

  it('answers a request without the token with the challenge, and the SDK signs in from it and retries', async () => {
    const anonymous = await raw(sandbox, 'GET', '/secrets/challenged/?api-version=2025-07-01');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe(
      `Bearer authorization="https://login.microsoftonline.com/${sandbox.tenantId}", resource="https://vault.azure.net"`,
    );
    expect((await raw(sandbox, 'GET', '/secrets/challenged/?api-version=2025-07-01', 'not-the-token')).status).toBe(401);

    const fresh = new SecretClient(sandbox.vaultUrl, sandbox.credential, sandbox.clientOptions);
    const from = sandbox.requests.length;
    const tokensBefore = sandbox.tokenRequests.length;
    await fresh.setSecret('challenged', 'value');
    expect(sandbox.requests.slice(from).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'PUT /secrets/challenged 401',
      'PUT /secrets/challenged 200',
    ]);
    expect(sandbox.tokenRequests.slice(tokensBefore)).toEqual([
      { scopes: ['https://vault.azure.net/.default'], tenantId: sandbox.tenantId },
    ]);
    // The body held back during the handshake was sent with the retry.
    expect((await fresh.getSecret('challenged')).value).toBe('value');
  });

  it('needs disableChallengeResourceVerification: 127.0.0.1 is no subdomain of vault.azure.net', async () => {
    const strict = new SecretClient(sandbox.vaultUrl, sandbox.credential, { tlsOptions: { ca: sandbox.caPem } });
    const err = await statusOf(strict.getSecret('challenged'));
    expect(err.message).toContain('does not match the requested domain');
  });

  it('creates a certificate through the pending operation, with the backing secret of the same name and version', async () => {
    const from = sandbox.requests.length;
    const created = await (await certificates.beginCreateCertificate('created', POLICY, { intervalInMs: 5 })).pollUntilDone();
    const calls = sandbox.requests.slice(from).map((r) => `${r.method} ${r.path} ${r.status}`);
    // pendingPolls 1: the operation answers inProgress once, so the SDK polls again before reading the certificate.
    expect(calls).toEqual([
      'POST /certificates/created/create 401',
      'POST /certificates/created/create 202',
      'GET /certificates/created/pending 200',
      'GET /certificates/created/pending 200',
      'GET /certificates/created/ 200',
    ]);
    expect(created.properties.version).toMatch(/^[0-9a-f]{32}$/);
    expect(created.secretId).toBe(`${sandbox.vaultUrl}/secrets/created/${created.properties.version}`);
    expect(created.keyId).toBe(`${sandbox.vaultUrl}/keys/created/${created.properties.version}`);
    const backing = await secrets.getSecret('created', { version: created.properties.version! });
    expect(backing.properties.contentType).toBe('application/x-pem-file');
    expect(backing.properties.managed).toBe(true);
    expect(backing.value).toMatch(/^-----BEGIN PRIVATE KEY-----[\s\S]+-----BEGIN CERTIFICATE-----/);
    expect(backing.properties.expiresOn?.getTime()).toBe(created.properties.expiresOn?.getTime());
  });

  it('refuses what the sandbox cannot make with a clear 400: PKCS#12, another issuer, a small key', async () => {
    const pkcs12 = await statusOf(certificates.beginCreateCertificate('pfx', { ...POLICY, contentType: 'application/x-pkcs12' }));
    expect(pkcs12.statusCode).toBe(400);
    expect(pkcs12.message).toContain('application/x-pem-file');
    expect((await statusOf(certificates.beginCreateCertificate('digicert', { ...POLICY, issuerName: 'DigiCert' }))).statusCode).toBe(400);
    expect((await statusOf(certificates.beginCreateCertificate('small', { ...POLICY, keySize: 1024 }))).statusCode).toBe(400);
  });

  it('pages versions with nextLink, which the SDK follows', async () => {
    await (await certificates.beginCreateCertificate('paged', POLICY, { intervalInMs: 5 })).pollUntilDone();
    for (let n = 0; n < 4; n++) await sandbox.renewNow('paged');
    const from = sandbox.requests.length;
    const versions: string[] = [];
    for await (const properties of certificates.listPropertiesOfCertificateVersions('paged')) versions.push(properties.version!);
    expect(new Set(versions).size).toBe(5);
    expect(sandbox.requests.slice(from).filter((r) => r.path === '/certificates/paged/versions')).toHaveLength(3);
    const secretVersions: string[] = [];
    for await (const properties of secrets.listPropertiesOfSecretVersions('paged')) secretVersions.push(properties.version!);
    expect(secretVersions.sort()).toEqual([...versions].sort());
  });

  it('soft-deletes: a deleted name answers 409 ObjectIsDeletedButRecoverable until recovered or purged', async () => {
    await (await certificates.beginCreateCertificate('soft', POLICY, { intervalInMs: 5 })).pollUntilDone();
    await (await certificates.beginDeleteCertificate('soft', { intervalInMs: 5 })).pollUntilDone();
    expect((await statusOf(certificates.getCertificate('soft'))).statusCode).toBe(404);
    expect((await statusOf(secrets.getSecret('soft'))).statusCode).toBe(404);
    const conflict = await raw(sandbox, 'POST', '/certificates/soft/create?api-version=7.6', sandbox.token, {
      policy: { issuer: { name: 'Self' }, x509_props: { subject: 'CN=soft' }, secret_props: { contentType: 'application/x-pem-file' } },
    });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error?.innererror?.code).toBe('ObjectIsDeletedButRecoverable');
    expect((await statusOf(certificates.beginCreateCertificate('soft', POLICY))).statusCode).toBe(409);
    await (await certificates.beginRecoverDeletedCertificate('soft', { intervalInMs: 5 })).pollUntilDone();
    expect((await secrets.getSecret('soft')).value).toContain('PRIVATE KEY');

    await secrets.setSecret('plain', 'one');
    await (await secrets.beginDeleteSecret('plain')).pollUntilDone();
    expect((await statusOf(secrets.setSecret('plain', 'two'))).statusCode).toBe(409);
    expect((await secrets.getDeletedSecret('plain')).recoveryId).toBe(`${sandbox.vaultUrl}/deletedsecrets/plain`);
    await secrets.purgeDeletedSecret('plain');
    expect((await statusOf(secrets.getDeletedSecret('plain'))).statusCode).toBe(404);
    await secrets.setSecret('plain', 'two');
    expect((await secrets.getSecret('plain')).value).toBe('two');
  });

  it('answers Key Vault errors in its envelope: 404 not found, 400 for a bad name', async () => {
    const missing = await raw(sandbox, 'GET', '/certificates/missing/?api-version=7.6', sandbox.token);
    expect(missing.status).toBe(404);
    expect(missing.body.error?.code).toBe('CertificateNotFound');
    const bad = await raw(sandbox, 'GET', '/secrets/has_underscore/?api-version=2025-07-01', sandbox.token);
    expect(bad.status).toBe(400);
    expect(bad.body.error?.code).toBe('BadParameter');
    const noVersion = await raw(sandbox, 'GET', '/secrets/plain/', sandbox.token);
    expect(noVersion.status).toBe(400);
    expect((await statusOf(secrets.getSecret('missing'))).code).toBe('SecretNotFound');
  });

  it('injected 503 and 429 faults are retried by the SDK, honouring Retry-After', async () => {
    await secrets.setSecret('flaky', 'steady');
    const before = sandbox.requestCount;
    sandbox.faults.failNext(2, 503);
    sandbox.faults.failNext(1, 429);
    expect((await secrets.getSecret('flaky')).value).toBe('steady');
    expect(sandbox.requestCount - before).toBe(4);
    expect(sandbox.requests.slice(before).map((r) => r.status)).toEqual([503, 503, 429, 200]);
    expect(sandbox.faults.pending).toBe(0);
  });

  it('keeps secret expiry (exp) as given, in whole seconds', async () => {
    const expiresOn = new Date('2027-03-01T10:20:30.999Z');
    await secrets.setSecret('expiring', 'value', { expiresOn });
    expect((await secrets.getSecret('expiring')).properties.expiresOn?.toISOString()).toBe('2027-03-01T10:20:30.000Z');
  });

  it('auto-renews on the sandbox clock: the next touch after 80% of life makes a version dated at that point', async () => {
    const first = await (await certificates.beginCreateCertificate('auto', POLICY, { intervalInMs: 5 })).pollUntilDone();
    const start = first.properties.notBefore!.getTime();
    const life = first.properties.expiresOn!.getTime() - start;
    sandbox.advance(start + 0.8 * life - sandbox.now().getTime() + 1000);
    // Reading the backing secret is a touch too: its latest version is the renewed one.
    const latestSecret = await secrets.getSecret('auto');
    expect(latestSecret.properties.version).not.toBe(first.properties.version);
    const latest = await certificates.getCertificate('auto');
    expect(latest.properties.version).toBe(latestSecret.properties.version);
    expect(Math.abs(latest.properties.notBefore!.getTime() - (start + 0.8 * life))).toBeLessThanOrEqual(1000);
    const disabled = latest.properties.version!;
    sandbox.disableVersion('auto', disabled);
    expect((await statusOf(secrets.getSecret('auto', { version: disabled }))).statusCode).toBe(403);
    expect((await certificates.getCertificateVersion('auto', disabled)).properties.enabled).toBe(false);
  });
});
