import { ClientCertificateCredential } from '@azure/identity';
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { adminCaller } from '../../support/adminCall';
import { createCredentialTenant, credentialTestServices, useCredentialSandboxes } from '../../support/credentialSandboxes';
import { describeManagedCertificate, rollManagedCertificate, tenantCertificateTarget } from '../../../shared/app/graphCredentials';
import { tenantSecretNames } from '../../../shared/platform/secrets/tenantSecretNames';
import { type CredentialStateStore } from '../../../shared/credentials/CredentialStateStore';
import { Logger } from '../../../shared/core/logging/Logger';

const sandboxes = useCredentialSandboxes();

/**
 * Key Vault dates versions to the second, and so does the stand-in: a version made in the same second as the
 * one before would have no order. Renewals are months apart in life; a test waits for the next second.
 */
const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 20));
const thumbprintsOn = (objectId: string) =>
  sandboxes.current.entra.keyCredentials(objectId).map((k) => Buffer.from(k.customKeyIdentifier, 'base64').toString('hex').toUpperCase());

async function setUp(tenantId: string, options: { withObjectId: boolean }) {
  const { entra, graph } = sandboxes.current;
  const app = entra.registerApplication({ displayName: `connector ${tenantId}`, homeDirectoryId: graph.tenantId });
  const services = await credentialTestServices(sandboxes.current);
  const tenant = await createCredentialTenant(
    services,
    sandboxes.current,
    tenantId,
    { appId: app.appId, objectId: options.withObjectId ? app.objectId : undefined },
    { kind: 'managedCertificate' },
  );
  const call = adminCaller(() => services);
  return { app, services, tenant, call };
}

/** A dry run reads Graph (and the PBX) as the tenant: it only succeeds when Entra gives the connector a token. */
async function dryRunCounts(call: ReturnType<typeof adminCaller>, tenantId: string) {
  const answer = await call('syncTenant', { method: 'POST', params: { id: tenantId }, query: 'dryRun=true&feature=users' });
  return answer;
}

describe('the managed Graph certificate, from creation to a rollover without a human', () => {
  it('creates the certificate in Key Vault, hands out its public part, signs in, rolls, and removes the old key', async () => {
    const { entra, vault } = sandboxes.current;
    const { app, services, call } = await setUp('contoso', { withObjectId: true });

    // Before the certificate exists the tenant says what to do, and a sync is NOT_READY naming the route.
    expect((await call('getGraphCredential', { method: 'GET', params: { id: 'contoso' } })).body.health).toMatchObject({
      status: 'missing',
      action: 'POST /api/tenants/contoso/certificate',
    });
    const early = await dryRunCounts(call, 'contoso');
    expect(early.status).toBe(409);
    expect(early.body.error.message).toContain('POST /api/tenants/contoso/certificate');

    const created = await call('createTenantCertificate', { method: 'POST', params: { id: 'contoso' } });
    expect(created.status).toBe(201);
    expect(created.body.versions).toHaveLength(1);
    const first = created.body.versions[0];
    expect(created.body.health).toMatchObject({ status: 'ok' });
    expect(created.body.health.daysLeft).toBeGreaterThanOrEqual(364);
    expect((await call('createTenantCertificate', { method: 'POST', params: { id: 'contoso' } })).status).toBe(200);
    // Key Vault holds it as a certificate of the policy the connector asked for.
    expect(
      vault.requests.some(
        (r) => r.method === 'POST' && r.path === `/certificates/${tenantSecretNames('contoso').graphManagedCertificate}/create`,
      ),
    ).toBe(true);

    // The admin downloads the public part (DER and PEM agree, no private key) and uploads it once.
    const cer = await call('getTenantCertificate', { method: 'GET', params: { id: 'contoso' }, query: 'format=cer' });
    expect(cer.headers?.['Content-Type']).toBe('application/pkix-cert');
    const der = Buffer.from(cer.body as Uint8Array);
    expect(new X509Certificate(der).fingerprint.replace(/:/g, '')).toBe(first.thumbprint);
    const pem = await call('getTenantCertificate', { method: 'GET', params: { id: 'contoso' }, query: 'format=pem' });
    expect(String(pem.body)).toContain('BEGIN CERTIFICATE');
    expect(String(pem.body)).not.toContain('PRIVATE KEY');
    expect(new X509Certificate(String(pem.body)).raw.equals(der)).toBe(true);
    entra.uploadCertificate(app.objectId, der);

    // Signs in with it: the dry run reads the directory through a token from Entra.
    const tokensBefore = entra.counters.tokensIssued;
    const run = await dryRunCounts(call, 'contoso');
    expect(run.status).toBe(200);
    expect(run.body.itemsRead).toBe(5);
    expect(run.body.counts.created).toBe(3);
    expect(entra.counters.tokensIssued).toBe(tokensBefore + 1);

    // Key Vault renews (what its AutoRenew does at 80%); the check registers, switches and removes the old key.
    await nextSecond();
    const rolled = await call('rollTenantCertificate', { method: 'POST', params: { id: 'contoso' }, query: 'renew=true' });
    expect(rolled.status).toBe(200);
    const second = rolled.body.certificate.versions.find((v: { active: boolean }) => v.active);
    expect(second.thumbprint).not.toBe(first.thumbprint);
    expect(rolled.body.actions).toEqual([
      `registered version ${second.thumbprint} on the app`,
      `switched to version ${second.thumbprint}`,
      `removed the old certificate ${first.thumbprint} from the app`,
    ]);
    expect(thumbprintsOn(app.objectId)).toEqual([second.thumbprint]);

    // The connector now signs in with the new version (a new token), and the old certificate no longer works.
    const after = await dryRunCounts(call, 'contoso');
    expect(after.status).toBe(200);
    expect(entra.counters.credentials).toBeDefined();
    const oldKey = await services.certificates.getPrivateKeyPem(tenantSecretNames('contoso').graphManagedCertificate, first.version);
    const oldCredential = new ClientCertificateCredential(
      sandboxes.current.graph.tenantId,
      app.appId,
      { certificate: oldKey },
      {
        authorityHost: entra.authorityHost,
        disableInstanceDiscovery: true,
        tlsOptions: { ca: entra.caPem },
      },
    );
    await expect(oldCredential.getToken(`${sandboxes.current.graph.baseUrl}/.default`)).rejects.toThrow(/AADSTS700027/);

    // Nothing to do on the next check.
    const again = await call('rollTenantCertificate', { method: 'POST', params: { id: 'contoso' } });
    expect(again.body.actions).toEqual([]);
    expect(again.body.outcome).toBe('the newest version is in use');
  });

  it('survives a crash between addKey and saving the state: the next check finds the key on the app and goes on', async () => {
    const { entra } = sandboxes.current;
    const { app, services, call } = await setUp('fabrikam', { withObjectId: true });
    await call('createTenantCertificate', { method: 'POST', params: { id: 'fabrikam' } });
    entra.uploadCertificate(
      app.objectId,
      Buffer.from(
        (await call('getTenantCertificate', { method: 'GET', params: { id: 'fabrikam' }, query: 'format=cer' })).body as Uint8Array,
      ),
    );
    await nextSecond();
    await services.certificates.renewCertificate(tenantSecretNames('fabrikam').graphManagedCertificate);

    // The write that records the registration fails: the process "dies" right after addKey.
    const states = services.credentialStates;
    const tenant = (await services.tenants.get('fabrikam'))!;
    const crashing: CredentialStateStore = {
      get: (owner) => states.get(owner),
      delete: (owner) => states.delete(owner),
      put: async (owner, state, etag) => {
        if (state.certificate?.keys.some((k) => k.registeredBy === 'connector')) throw new Error('the process died');
        return states.put(owner, state, etag);
      },
    };
    await expect(
      rollManagedCertificate({ ...services, credentialStates: crashing }, tenantCertificateTarget(tenant), Logger.silent()),
    ).rejects.toThrow(/the process died/);
    expect(thumbprintsOn(app.objectId)).toHaveLength(2); // addKey happened, the state does not know

    const report = await rollManagedCertificate(services, tenantCertificateTarget(tenant), Logger.silent());
    const versions = (await describeManagedCertificate(services, tenantCertificateTarget(tenant))).versions;
    const [newest, oldest] = versions;
    expect(report.actions).toEqual([
      `version ${newest!.thumbprint} was on the app already`,
      `switched to version ${newest!.thumbprint}`,
      `removed the old certificate ${oldest!.thumbprint} from the app`,
    ]);
    expect(thumbprintsOn(app.objectId)).toEqual([newest!.thumbprint]);
  });

  it('without the app object id it waits for the admin to upload the new version, then switches', async () => {
    const { entra } = sandboxes.current;
    const { app, call } = await setUp('northwind', { withObjectId: false });
    await call('createTenantCertificate', { method: 'POST', params: { id: 'northwind' } });
    const firstCer = (await call('getTenantCertificate', { method: 'GET', params: { id: 'northwind' }, query: 'format=cer' }))
      .body as Uint8Array;
    entra.uploadCertificate(app.objectId, Buffer.from(firstCer));
    await nextSecond();
    const first = await call('rollTenantCertificate', { method: 'POST', params: { id: 'northwind' }, query: 'renew=true' });
    const newest = first.body.certificate.versions[0];
    expect(first.body.actions.at(-1)).toBe(`Entra does not accept version ${newest.thumbprint} yet`);
    expect(first.body.activeThumbprint).not.toBe(newest.thumbprint);
    expect(first.body.certificate.uploadVersion).toBe(newest.version);

    // The default download is the version to upload next.
    const nextCer = (await call('getTenantCertificate', { method: 'GET', params: { id: 'northwind' }, query: 'format=cer' }))
      .body as Uint8Array;
    expect(new X509Certificate(Buffer.from(nextCer)).fingerprint.replace(/:/g, '')).toBe(newest.thumbprint);
    entra.uploadCertificate(app.objectId, Buffer.from(nextCer));
    const second = await call('rollTenantCertificate', { method: 'POST', params: { id: 'northwind' } });
    expect(second.body.actions).toEqual([`switched to version ${newest.thumbprint}`]);
    expect(second.body.activeThumbprint).toBe(newest.thumbprint);
    expect((await dryRunCounts(call, 'northwind')).status).toBe(200);
  });

  it('warns 30 days before expiry, and once expired names the certificate to upload', async () => {
    const { app, services, call } = await setUp('tailspin', { withObjectId: true });
    void app;
    await call('createTenantCertificate', { method: 'POST', params: { id: 'tailspin' } });
    const tenant = (await services.tenants.get('tailspin'))!;
    const target = tenantCertificateTarget(tenant);
    const [only] = (await describeManagedCertificate(services, target)).versions;
    const notAfter = new Date(only!.notAfter).getTime();
    const soon = await describeManagedCertificate(services, target, new Date(notAfter - 20 * 86_400_000));
    expect(soon.health).toMatchObject({ status: 'warning', daysLeft: 20 });
    expect(soon.health.message).toContain('no newer version exists');
    await nextSecond();
    await services.certificates.renewCertificate(target.name);
    const stuck = await describeManagedCertificate(services, target, new Date(notAfter - 10 * 86_400_000));
    expect(stuck.health.status).toBe('warning');
    expect(stuck.health.message).toContain('has not happened');
    const expired = await describeManagedCertificate(services, target, new Date(notAfter + 500));
    const newest = expired.versions[0]!;
    expect(expired.health).toMatchObject({ status: 'expired' });
    expect(expired.health.action).toBe(
      `upload the certificate with thumbprint ${newest.thumbprint} (GET /api/tenants/tailspin/certificate?version=${newest.version}&format=cer) ` +
        'under Certificates & secrets in the app registration',
    );
  });
});
