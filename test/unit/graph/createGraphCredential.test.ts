import { ClientCertificateCredential, ClientSecretCredential } from '@azure/identity';
import { describe, expect, it } from 'vitest';
import { TenantConfigSchema } from '../../../shared/config/TenantConfig';
import { AppError } from '../../../shared/core/errors/AppError';
import { createGraphCredential } from '../../../shared/graph/createGraphCredential';
import { type SecretStore } from '../../../shared/platform/secrets/SecretStore';

// A throwaway self-signed test certificate with its key (not used anywhere else).
const PEM = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg3P2MjTkSFE0NWhtN
NiVUmQr87V4jD5+bbP/tboOsb8ehRANCAAROVcZx8vN5xbR8CsZ5hOAJO0iKMN/c
NZTEqO5f10JHOz/kOGeBy5/cwb3A/GDTT8S45gnYSOw7p3I2Sn93Fu7u
-----END PRIVATE KEY-----
-----BEGIN CERTIFICATE-----
MIIBhzCCAS2gAwIBAgIUI/mRbpjIEkRbYaG72b9t1nGqXQIwCgYIKoZIzj0EAwIw
GTEXMBUGA1UEAwwOY29ubmVjdG9yLXRlc3QwHhcNMjYxMTIzMDAwNjQ3WhcNMzYx
MTIwMDAwNjQ3WjAZMRcwFQYDVQQDDA5jb25uZWN0b3ItdGVzdDBZMBMGByqGSM49
AgEGCCqGSM49AwEHA0IABE5VxnHy83nFtHwKxnmE4Ak7SIow39w1lMSo7l/XQkc7
P+Q4Z4HLn9zBvcD8YNNPxLjmCdhI7DuncjZKf3cW7u6jUzBRMB0GA1UdDgQWBBQ8
ec9Wvnh8sjOvCq2SeOn3W4C+lzAfBgNVHSMEGDAWgBQ8ec9Wvnh8sjOvCq2SeOn3
W4C+lzAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIQD8XcOxbNx1
K0UbTuxHs4P5RYh6s0xN6N9GkPPAh+6ewwIgBnAcxrdxGf12lXne0f5JDHfxQk+z
QsQl2C52xDRinwc=
-----END CERTIFICATE-----
`;

function secretsWith(values: Record<string, string>): SecretStore & { asked: string[] } {
  const asked: string[] = [];
  const read = async (name: string) => {
    asked.push(name);
    const value = values[name];
    if (value === undefined) throw new AppError('NOT_FOUND', `no secret ${name}`);
    return value;
  };
  return { asked, getSecret: read, getCertificatePem: read, setSecret: async () => {}, deleteSecret: async () => {} };
}

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
  it('builds a certificate credential from the PEM in Key Vault', async () => {
    const secrets = secretsWith({ 'graph-cert': PEM });
    const credential = await createGraphCredential(microsoft365({ kind: 'certificate', certificateName: 'graph-cert' }, 'USGOV'), secrets);
    expect(credential).toBeInstanceOf(ClientCertificateCredential);
    expect(secrets.asked).toEqual(['graph-cert']);
  });

  it('builds a client secret credential from the secret in Key Vault', async () => {
    const secrets = secretsWith({ 'graph-secret': 'value' });
    expect(await createGraphCredential(microsoft365({ kind: 'clientSecret', secretName: 'graph-secret' }), secrets)).toBeInstanceOf(
      ClientSecretCredential,
    );
    expect(secrets.asked).toEqual(['graph-secret']);
  });

  it('rejects a certificate without its private key as NOT_READY, without echoing it', async () => {
    const certificateOnly = PEM.slice(PEM.indexOf('-----BEGIN CERTIFICATE-----'));
    const error = await createGraphCredential(
      microsoft365({ kind: 'certificate', certificateName: 'graph-cert' }),
      secretsWith({ 'graph-cert': certificateOnly }),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NOT_READY' });
    expect((error as Error).message).not.toContain('BEGIN');
  });

  it('passes NOT_FOUND through when the secret is missing', async () => {
    await expect(
      createGraphCredential(microsoft365({ kind: 'clientSecret', secretName: 'missing' }), secretsWith({})),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
