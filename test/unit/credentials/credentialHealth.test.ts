import { describe, expect, it } from 'vitest';
import { type CertificateVersion } from '../../../shared/platform/certificates/CertificateStore';
import { expiringCredentialHealth, managedCertificateHealth } from '../../../shared/credentials/credentialHealth';

const day = 86_400_000;
const now = new Date('2027-06-01T00:00:00Z');
const version = (id: string, notBeforeDays: number, notAfterDays: number): CertificateVersion => ({
  version: id,
  thumbprint: `T-${id}`,
  notBefore: new Date(now.getTime() + notBeforeDays * day),
  notAfter: new Date(now.getTime() + notAfterDays * day),
  createdOn: new Date(now.getTime() + notBeforeDays * day),
  enabled: true,
});
const routes = { downloadRoute: 'GET /c', rollRoute: 'POST /c/roll', createRoute: 'POST /c' };

describe('managedCertificateHealth', () => {
  it('is missing before the certificate exists', () => {
    expect(managedCertificateHealth({ versions: [], state: undefined, now, canRegister: true, ...routes })).toMatchObject({
      status: 'missing',
      action: 'POST /c',
    });
  });

  it('is ok with more than 30 days left', () => {
    const h = managedCertificateHealth({
      versions: [version('a', -100, 31)],
      state: { activeVersion: 'a', keys: [] },
      now,
      canRegister: true,
      ...routes,
    });
    expect(h).toMatchObject({ status: 'ok', daysLeft: 31 });
  });

  it('warns 30 days before expiry when Key Vault made no newer version', () => {
    const h = managedCertificateHealth({
      versions: [version('a', -300, 30)],
      state: { activeVersion: 'a', keys: [] },
      now,
      canRegister: true,
      ...routes,
    });
    expect(h).toMatchObject({ status: 'warning', daysLeft: 30, action: 'POST /c/roll makes a new version now' });
  });

  it('warns when a newer version exists but rollover has not happened, with the reason and the way out', () => {
    const versions = [version('b', -10, 355), version('a', -340, 20)];
    const state = { activeVersion: 'a', keys: [], lastError: 'Graph is unavailable (503)' };
    const h = managedCertificateHealth({ versions, state, now, canRegister: false, ...routes });
    expect(h.status).toBe('warning');
    expect(h.message).toContain('rollover to T-b has not happened (Graph is unavailable (503))');
    expect(h.action).toContain('set microsoft365.applicationObjectId');
    expect(h.action).toContain('GET /c?version=b&format=cer');
  });

  it('after expiry with no newer version, says to make one and upload it', () => {
    const h = managedCertificateHealth({
      versions: [version('a', -370, -5)],
      state: { activeVersion: 'a', keys: [] },
      now,
      canRegister: true,
      ...routes,
    });
    expect(h).toMatchObject({
      status: 'expired',
      action: 'POST /c/roll makes a new version; then upload it (GET /c?format=cer) under Certificates & secrets in the app registration',
    });
  });

  it('after expiry says exactly which certificate to upload', () => {
    const versions = [version('b', -10, 355), version('a', -370, -5)];
    const h = managedCertificateHealth({ versions, state: { activeVersion: 'a', keys: [] }, now, canRegister: true, ...routes });
    expect(h).toMatchObject({ status: 'expired', daysLeft: -5 });
    expect(h.action).toBe(
      'upload the certificate with thumbprint T-b (GET /c?version=b&format=cer) under Certificates & secrets in the app registration',
    );
  });
});

describe('expiringCredentialHealth', () => {
  const renew = 'write a new one';
  it('is unknown without an expiry, ok, warning at 30 days, expired after', () => {
    expect(expiringCredentialHealth({ what: 'client secret', expiresOn: undefined, now, renew }).status).toBe('unknown');
    expect(expiringCredentialHealth({ what: 'client secret', expiresOn: new Date(now.getTime() + 31 * day), now, renew }).status).toBe(
      'ok',
    );
    expect(expiringCredentialHealth({ what: 'client secret', expiresOn: new Date(now.getTime() + 30 * day), now, renew })).toMatchObject({
      status: 'warning',
      daysLeft: 30,
      action: renew,
    });
    expect(expiringCredentialHealth({ what: 'client secret', expiresOn: new Date(now.getTime() - 1), now, renew }).status).toBe('expired');
  });
});
