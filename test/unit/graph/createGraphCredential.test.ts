import { ClientCertificateCredential, ClientSecretCredential } from '@azure/identity';
import { describe, expect, it } from 'vitest';
import { TenantConfigSchema } from '../../../shared/config/TenantConfig';
import { createGraphCredential } from '../../../shared/graph/createGraphCredential';

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
    const credential = await createGraphCredential(microsoft365({ kind: 'certificate' }, 'USGOV'), PEM);
    expect(credential).toBeInstanceOf(ClientCertificateCredential);
  });

  it('builds a client secret credential from the secret the caller read', async () => {
    expect(await createGraphCredential(microsoft365({ kind: 'clientSecret' }), 'value')).toBeInstanceOf(ClientSecretCredential);
  });

  it('rejects a certificate without its private key as NOT_READY, without echoing it', async () => {
    const certificateOnly = PEM.slice(PEM.indexOf('-----BEGIN CERTIFICATE-----'));
    const error = await createGraphCredential(microsoft365({ kind: 'certificate' }), certificateOnly).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NOT_READY' });
    expect((error as Error).message).not.toContain('BEGIN');
  });

  it('takes no secret name from the configuration: the auth kinds carry none', () => {
    expect(() => microsoft365({ kind: 'clientSecret', secretName: 'another-tenants-secret' })).toThrow();
    expect(() => microsoft365({ kind: 'certificate', certificateName: 'another-tenants-cert' })).toThrow();
  });
});
