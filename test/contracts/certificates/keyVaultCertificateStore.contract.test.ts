import { inspect } from 'node:util';
import { CertificateClient } from '@azure/keyvault-certificates';
import { SecretClient } from '@azure/keyvault-secrets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyVaultSandbox } from '../../../sandbox/keyvault/KeyVaultSandbox';
import { AppError } from '../../../shared/core/errors/AppError';
import { KeyVaultCertificateStore } from '../../../shared/platform/certificates/KeyVaultCertificateStore';
import { certificateStoreContract } from './certificateStoreContract';

const POLICY = { subject: 'CN=m365-pbx-connector sandbox', validityMonths: 12, renewAtPercentOfLife: 80, keySize: 2048 };

// The real CertificateClient and SecretClient against the local Key Vault stand-in: their challenge handshake,
// create polling (one `inProgress` answer first), paging and error shapes are the SDK's own.
describe('CertificateStore contract: KeyVaultCertificateStore (real SDK, Key Vault sandbox)', () => {
  certificateStoreContract(async () => {
    const sandbox = await KeyVaultSandbox.start({ pendingPolls: 1, pageSize: 1 });
    return {
      store: new KeyVaultCertificateStore(sandbox.vaultUrl, sandbox.credential, sandbox.clientOptions, { pollIntervalMs: 5 }),
      now: () => sandbox.now(),
      advance: (ms) => sandbox.advance(ms),
      close: () => sandbox.stop(),
    };
  });
});

describe('KeyVaultCertificateStore against the Key Vault sandbox: what only Key Vault does', () => {
  let sandbox: KeyVaultSandbox;
  let store: KeyVaultCertificateStore;
  let certificates: CertificateClient;

  beforeAll(async () => {
    sandbox = await KeyVaultSandbox.start();
    store = new KeyVaultCertificateStore(sandbox.vaultUrl, sandbox.credential, sandbox.clientOptions, { pollIntervalMs: 5 });
    certificates = new CertificateClient(sandbox.vaultUrl, sandbox.credential, sandbox.clientOptions);
  });
  afterAll(() => sandbox?.stop());

  it('asks Key Vault for a self-signed, exportable PEM certificate that renews itself at the given share of life', async () => {
    await store.createCertificate('policy-checked', { ...POLICY, renewAtPercentOfLife: 70 });
    const policy = await certificates.getCertificatePolicy('policy-checked');
    expect(policy).toMatchObject({
      issuerName: 'Self',
      subject: 'CN=m365-pbx-connector sandbox',
      validityInMonths: 12,
      keyType: 'RSA',
      keySize: 2048,
      exportable: true,
      contentType: 'application/x-pem-file',
    });
    expect(policy.lifetimeActions).toEqual([{ action: 'AutoRenew', lifetimePercentage: 70, daysBeforeExpiry: undefined }]);
  });

  it('renews with the policy Key Vault keeps for the certificate', async () => {
    await store.createCertificate('renewed-with-policy', { ...POLICY, validityMonths: 6 });
    sandbox.advance(60_000);
    const renewed = await store.renewCertificate('renewed-with-policy');
    const months =
      (renewed.notAfter.getUTCFullYear() - renewed.notBefore.getUTCFullYear()) * 12 +
      renewed.notAfter.getUTCMonth() -
      renewed.notBefore.getUTCMonth();
    expect(months).toBe(6);
  });

  it('a name held by a soft-deleted certificate is CONFLICT that says how to recover or purge it', async () => {
    await store.createCertificate('soft-deleted', POLICY);
    // Deleted without the purge the store does: what another tool, or an identity without purge rights, leaves.
    await (await certificates.beginDeleteCertificate('soft-deleted', { intervalInMs: 5 })).pollUntilDone();
    const err = await refusal(store.createCertificate('soft-deleted', POLICY));
    expect(err.code).toBe('CONFLICT');
    expect(err.message).toContain('deleted but recoverable');
    expect(err.message).toContain('az keyvault certificate recover');
    expect(err.message).toContain('az keyvault certificate purge');
    // The store's own delete purges the leftover, and the name is free again.
    await store.deleteCertificate('soft-deleted');
    await expect(store.createCertificate('soft-deleted', POLICY)).resolves.toMatchObject({ enabled: true });
  });

  it('lists a disabled version as disabled, and reading its key is refused (Key Vault answers 403)', async () => {
    const created = await store.createCertificate('disabled-version', POLICY);
    sandbox.disableVersion('disabled-version', created.version);
    expect((await store.listVersions('disabled-version'))[0]).toMatchObject({ version: created.version, enabled: false });
    const err = await refusal(store.getPrivateKeyPem('disabled-version', created.version));
    expect(err.code).toBe('CONFIG');
    expect(err.upstreamStatus).toBe(403);
  });

  it('refuses a backing secret that is not PEM with CONFIG naming the content type, never the value', async () => {
    const created = await store.createCertificate('pkcs12-secret', POLICY);
    const realSecrets = new SecretClient(sandbox.vaultUrl, sandbox.credential, sandbox.clientOptions);
    // The sandbox makes PEM only; a PKCS#12 backing secret is what a certificate made elsewhere with the default policy has.
    const pkcs12 = new KeyVaultCertificateStore({
      certificates,
      secrets: {
        getSecret: async (name, options) => {
          const secret = await realSecrets.getSecret(name, options);
          return {
            ...secret,
            value: 'MIIKPAIBAzCCCfYGCSqGSIb3DQEHAaCCCecEggnjMIIJ3zCCBggGCSqG',
            properties: { ...secret.properties, contentType: 'application/x-pkcs12' },
          };
        },
      },
    });
    const err = await refusal(pkcs12.getPrivateKeyPem('pkcs12-secret', created.version));
    expect(err.code).toBe('CONFIG');
    expect(err.message).toContain('application/x-pkcs12');
    expect(inspect(err, { depth: 10, showHidden: true })).not.toContain('MIIKPAIBAzCC');
  });

  it('maps Key Vault being unavailable past the SDK retries to TRANSIENT', async () => {
    await store.createCertificate('unavailable', POLICY);
    sandbox.faults.failNext(10, 503);
    const err = await refusal(store.listVersions('unavailable'));
    sandbox.faults.clear();
    expect(err.code).toBe('TRANSIENT');
    expect(err.upstreamStatus).toBe(503);
  });
});

async function refusal(call: Promise<unknown>): Promise<AppError> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}
