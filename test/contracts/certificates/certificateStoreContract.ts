import { createHash, createPrivateKey, randomBytes, X509Certificate } from 'node:crypto';
import { inspect } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { refusal } from '../../support/refusal';
import {
  type CertificatePolicy,
  type CertificateStore,
  type CertificateVersion,
} from '../../../shared/platform/certificates/CertificateStore';

/**
 * The behaviour every CertificateStore implementation owes its callers, written once and run against each one
 * (localCertificateStore.contract.test.ts, keyVaultCertificateStore.contract.test.ts against the Key Vault sandbox
 * through the real SDK). Each clause uses its own certificate names, so clauses do not depend on one another; the
 * clock only ever moves forward.
 */
export interface CertificateStoreHarness {
  readonly store: CertificateStore;
  /** The store's clock now (certificates are dated by it). */
  now(): Date;
  /** Moves the store's clock ahead. */
  advance(ms: number): void;
  /** Stops whatever the harness started. */
  close(): Promise<void>;
}

const DAY_MS = 86_400_000;
/** Slack between the harness clock read and the store's own reading of it (whole seconds, time to make a key). */
const SLACK_MS = 5_000;
/** 2048 keeps key generation cheap; every clause that makes a version pays for one RSA key. */
const POLICY: CertificatePolicy = {
  subject: 'CN=m365-pbx-connector contract',
  validityMonths: 12,
  renewAtPercentOfLife: 80,
  keySize: 2048,
};

/** Registers the clauses in the enclosing describe block; `setUp` runs once before them (it may start servers). */
export function certificateStoreContract(setUp: () => Promise<CertificateStoreHarness>): void {
  let harness: CertificateStoreHarness;
  const run = `c-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const names = new Set<string>();
  const nameFor = (label: string) => {
    const name = `${run}-${label}`;
    names.add(name);
    return name;
  };

  beforeAll(async () => {
    harness = await setUp();
  });
  afterAll(async () => {
    if (!harness) return;
    try {
      for (const name of names) await harness.store.deleteCertificate(name);
    } finally {
      await harness.close();
    }
  }, 120_000);

  it('creates a first version dated now, valid for validityMonths, enabled, with an upper-case SHA-1 thumbprint', async () => {
    const name = nameFor('created');
    const before = harness.now().getTime();
    const created = await harness.store.createCertificate(name, POLICY);
    expect(created.version).toMatch(/^[0-9a-f]{32}$/);
    expect(created.thumbprint).toMatch(/^[0-9A-F]{40}$/);
    expect(created.enabled).toBe(true);
    expect(created.notBefore.getTime()).toBeGreaterThanOrEqual(before - SLACK_MS);
    expect(created.notBefore.getTime()).toBeLessThanOrEqual(harness.now().getTime() + SLACK_MS);
    expect(created.notAfter.toISOString()).toBe(addMonths(created.notBefore, 12).toISOString());
    expect(Math.abs(created.createdOn.getTime() - created.notBefore.getTime())).toBeLessThanOrEqual(SLACK_MS);
    expect(await harness.store.listVersions(name)).toEqual([created]);
  });

  it('refuses a second create of the same name with CONFLICT and keeps the first version alone', async () => {
    const name = nameFor('taken');
    const first = await harness.store.createCertificate(name, POLICY);
    await refusal(harness.store.createCertificate(name, { ...POLICY, subject: 'CN=other' }), 'CONFLICT');
    expect((await harness.store.listVersions(name)).map((v) => v.version)).toEqual([first.version]);
  });

  it('gives the DER of a version: it parses, has the policy subject, key size and dates, and its SHA-1 is the thumbprint', async () => {
    const name = nameFor('der');
    const created = await harness.store.createCertificate(name, POLICY);
    const der = await harness.store.getCertificateDer(name, created.version);
    const certificate = new X509Certificate(der);
    expect(certificate.subject).toBe('CN=m365-pbx-connector contract');
    expect(certificate.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(createHash('sha1').update(der).digest('hex').toUpperCase()).toBe(created.thumbprint);
    expect(certificate.fingerprint.replace(/:/g, '')).toBe(created.thumbprint);
    expect(new Date(certificate.validFrom).getTime()).toBe(created.notBefore.getTime());
    expect(new Date(certificate.validTo).getTime()).toBe(created.notAfter.getTime());
    const [listed] = await harness.store.listVersions(name);
    expect(listed?.thumbprint).toBe(created.thumbprint);
  });

  it('gives the private key PEM of a version, with its certificate, and the key matches the certificate', async () => {
    const name = nameFor('key');
    const created = await harness.store.createCertificate(name, POLICY);
    const pem = await harness.store.getPrivateKeyPem(name, created.version);
    expect(pem).toMatch(/-----BEGIN (?:RSA )?PRIVATE KEY-----/);
    expect(pem).toContain('-----BEGIN CERTIFICATE-----');
    const certificate = new X509Certificate(await harness.store.getCertificateDer(name, created.version));
    expect(certificate.checkPrivateKey(createPrivateKey(pem))).toBe(true);
    expect(new X509Certificate(pem).fingerprint256).toBe(certificate.fingerprint256);
  });

  it('renews: a second version, listed first, with a new key; the old version stays listed and readable', async () => {
    const name = nameFor('renewed');
    const first = await harness.store.createCertificate(name, POLICY);
    // A day later, so the two versions' creation times (whole seconds) order them.
    harness.advance(DAY_MS);
    const second = await harness.store.renewCertificate(name);
    expect(second.version).not.toBe(first.version);
    expect(second.thumbprint).not.toBe(first.thumbprint);
    expect(second.notBefore.getTime()).toBeGreaterThan(first.notBefore.getTime());
    expect((await harness.store.listVersions(name)).map((v) => v.version)).toEqual([second.version, first.version]);
    const oldKey = createPrivateKey(await harness.store.getPrivateKeyPem(name, first.version));
    const newKey = createPrivateKey(await harness.store.getPrivateKeyPem(name, second.version));
    expect(new X509Certificate(await harness.store.getCertificateDer(name, first.version)).checkPrivateKey(oldKey)).toBe(true);
    expect(new X509Certificate(await harness.store.getCertificateDer(name, second.version)).checkPrivateKey(newKey)).toBe(true);
    expect(new X509Certificate(await harness.store.getCertificateDer(name, second.version)).checkPrivateKey(oldKey)).toBe(false);
  });

  it('renews on its own once renewAtPercentOfLife of the newest version has passed, dated at that point', async () => {
    const name = nameFor('auto-renewed');
    const first = await harness.store.createCertificate(name, POLICY);
    const life = first.notAfter.getTime() - first.notBefore.getTime();
    const renewalPoint = first.notBefore.getTime() + 0.8 * life;
    harness.advance(renewalPoint - harness.now().getTime() - DAY_MS);
    expect((await harness.store.listVersions(name)).map((v) => v.version)).toEqual([first.version]);
    harness.advance(2 * DAY_MS);
    const versions = await harness.store.listVersions(name);
    expect(versions).toHaveLength(2);
    const [renewed, old] = versions as [CertificateVersion, CertificateVersion];
    expect(old).toEqual(first);
    expect(Math.abs(renewed.notBefore.getTime() - renewalPoint)).toBeLessThanOrEqual(SLACK_MS);
    expect(renewed.notAfter.toISOString()).toBe(addMonths(renewed.notBefore, 12).toISOString());
    expect(renewed.enabled).toBe(true);
    const key = createPrivateKey(await harness.store.getPrivateKeyPem(name, renewed.version));
    expect(new X509Certificate(await harness.store.getCertificateDer(name, renewed.version)).checkPrivateKey(key)).toBe(true);
    // Nothing more is due: the renewed version has most of its life ahead.
    expect(await harness.store.listVersions(name)).toHaveLength(2);
  });

  it('answers NOT_FOUND for a certificate or version that does not exist', async () => {
    const missing = nameFor('never-created');
    await refusal(harness.store.listVersions(missing), 'NOT_FOUND');
    await refusal(harness.store.renewCertificate(missing), 'NOT_FOUND');
    await refusal(harness.store.getCertificateDer(missing, randomBytes(16).toString('hex')), 'NOT_FOUND');
    await refusal(harness.store.getPrivateKeyPem(missing, randomBytes(16).toString('hex')), 'NOT_FOUND');
    const name = nameFor('versions-checked');
    await harness.store.createCertificate(name, POLICY);
    await refusal(harness.store.getCertificateDer(name, randomBytes(16).toString('hex')), 'NOT_FOUND');
    await refusal(harness.store.getPrivateKeyPem(name, randomBytes(16).toString('hex')), 'NOT_FOUND');
    await refusal(harness.store.getCertificateDer(name, 'policy'), 'NOT_FOUND');
  });

  it('deletes every version (a missing name is no error), and the name can be created again at once', async () => {
    await expect(harness.store.deleteCertificate(nameFor('never-created-delete'))).resolves.toBeUndefined();
    const name = nameFor('recreated');
    const old = await harness.store.createCertificate(name, POLICY);
    await harness.store.deleteCertificate(name);
    await refusal(harness.store.listVersions(name), 'NOT_FOUND');
    await refusal(harness.store.getPrivateKeyPem(name, old.version), 'NOT_FOUND');
    const again = await harness.store.createCertificate(name, POLICY);
    expect((await harness.store.listVersions(name)).map((v) => v.version)).toEqual([again.version]);
    await harness.store.deleteCertificate(name);
    await expect(harness.store.deleteCertificate(name)).resolves.toBeUndefined();
  });

  it('refuses names Key Vault refuses with CONFIG, naming no private key', async () => {
    for (const name of ['has_underscore', 'dotted.name', 'n'.repeat(128)]) {
      const err = await refusal(harness.store.createCertificate(name, POLICY), 'CONFIG');
      expect(inspect(err)).not.toContain('PRIVATE KEY');
      await refusal(harness.store.listVersions(name), 'CONFIG');
    }
  });
}

function addMonths(date: Date, months: number): Date {
  const result = new Date(date);
  result.setUTCMonth(result.getUTCMonth() + months);
  return result;
}
