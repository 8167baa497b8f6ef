import { ClientCertificateCredential, ClientSecretCredential } from '@azure/identity';
import { describe, expect, it } from 'vitest';
import { TenantConfigSchema } from '../../../shared/config/TenantConfig';
import { TEST_CERTIFICATE_PEM } from '../../fixtures/testCertificate';
import { createGraphCredential } from '../../../shared/graph/createGraphCredential';

function microsoft365(auth: unknown, nationalCloud = 'GLOBAL') {
  const parsed = TenantConfigSchema.shape.microsoft365.parse({
    directoryId: '00000000-0000-4000-8000-000000000001',
    applicationId: '00000000-0000-4000-8000-000000000002',
    nationalCloud,
    auth,
  });
  if (parsed.auth.kind === 'sandbox') throw new Error('not for the sandbox');
  return { ...parsed, auth: parsed.auth };
}

describe('createGraphCredential', () => {
  it('builds a certificate credential from the PEM the caller read', async () => {
    const credential = await createGraphCredential(microsoft365({ kind: 'certificate' }, 'USGOV'), TEST_CERTIFICATE_PEM);
    expect(credential).toBeInstanceOf(ClientCertificateCredential);
  });

  it('builds a client secret credential from the secret the caller read', async () => {
    expect(await createGraphCredential(microsoft365({ kind: 'clientSecret' }), 'value')).toBeInstanceOf(ClientSecretCredential);
  });

  it('rejects a certificate without its private key as NOT_READY, without echoing it', async () => {
    const certificateOnly = TEST_CERTIFICATE_PEM.slice(TEST_CERTIFICATE_PEM.indexOf('-----BEGIN CERTIFICATE-----'));
    const error = await createGraphCredential(microsoft365({ kind: 'certificate' }), certificateOnly).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NOT_READY' });
    expect((error as Error).message).not.toContain('BEGIN');
  });

  it('takes no secret name from the configuration: the auth kinds carry none', () => {
    expect(() => microsoft365({ kind: 'clientSecret', secretName: 'another-tenants-secret' })).toThrow();
    expect(() => microsoft365({ kind: 'certificate', certificateName: 'another-tenants-cert' })).toThrow();
  });
});
