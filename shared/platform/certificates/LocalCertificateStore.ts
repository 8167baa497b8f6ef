import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../core/errors/AppError';
import { type CertificatePolicy, type CertificateStore, type CertificateVersion } from './CertificateStore';
import { createSelfSignedCertificate } from './selfSignedCertificate';
import { OwnerOnlyJsonFile } from '../ownerOnlyJsonFile';

const VersionSchema = z
  .object({
    version: z.string().regex(/^[0-9a-f]{32}$/),
    certificatePem: z.string(),
    privateKeyPem: z.string(),
    notBefore: z.iso.datetime(),
    notAfter: z.iso.datetime(),
    createdOn: z.iso.datetime(),
    enabled: z.boolean(),
  })
  .strict();
const PolicySchema = z
  .object({
    subject: z.string(),
    validityMonths: z.number().int(),
    renewAtPercentOfLife: z.number(),
    keySize: z.number().int(),
  })
  .strict();
const FileSchema = z
  .object({
    certificates: z.record(z.string(), z.object({ policy: PolicySchema, versions: z.array(VersionSchema) }).strict()),
  })
  .strict();
type CertificateFile = z.infer<typeof FileSchema>;
type StoredVersion = z.infer<typeof VersionSchema>;
type StoredCertificate = CertificateFile['certificates'][string];

/** Key Vault's object names; anything else is a 400 there, CONFIG through keyVaultErrorFor, so CONFIG here too. */
const KEY_VAULT_NAME = /^[0-9A-Za-z-]{1,127}$/;
/** A clock moved years ahead renews at most this many times in one go (each renewal makes an RSA key). */
const MAX_RENEWALS_AT_ONCE = 50;

export interface LocalCertificateStoreOptions {
  /** The store's clock (default: the system clock); tests move it to reach the renewal point. */
  now?: () => Date;
}

/**
 * Certificates for local runs without Key Vault: one JSON file (0600, written whole through a temp file and a
 * rename, kept out of git under .local/) holding each certificate's policy and versions with their keys. It
 * behaves as KeyVaultCertificateStore does against Key Vault (test/contracts/certificates checks both against one
 * contract): names held to Key Vault's rules, dates in whole seconds, and Key Vault's AutoRenew played out on
 * `now` — the first call that touches a certificate after its newest version has passed `renewAtPercentOfLife`
 * makes the next version first, dated at the renewal point. Deleting removes at once (there is no soft delete).
 * Calls on one store run one at a time (key generation is asynchronous); two stores on one file are not coordinated.
 */
export class LocalCertificateStore implements CertificateStore {
  private readonly now: () => Date;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly file: OwnerOnlyJsonFile<CertificateFile>;

  constructor(filePath: string, options: LocalCertificateStoreOptions = {}) {
    this.file = new OwnerOnlyJsonFile(
      filePath,
      'local certificate file',
      FileSchema,
      'a certificate file ({ certificates: { name: { policy, versions } } }); fix or delete it',
      () => ({ certificates: {} }),
    );
    this.now = options.now ?? (() => new Date());
  }

  createCertificate(name: string, policy: CertificatePolicy): Promise<CertificateVersion> {
    return this.serial(async () => {
      checkName(name);
      checkPolicy(name, policy);
      if (this.file.read().certificates[name])
        throw new AppError('CONFLICT', `certificate ${name} already exists in the local certificate file; renew it to make a new version`);
      const version = await makeVersion(policy, wholeSeconds(this.now()));
      const file = this.file.read();
      if (file.certificates[name]) throw new AppError('CONFLICT', `certificate ${name} already exists in the local certificate file`);
      file.certificates[name] = { policy: { ...policy }, versions: [version] };
      this.file.write(file);
      return publicVersion(version);
    });
  }

  renewCertificate(name: string): Promise<CertificateVersion> {
    return this.serial(async () => {
      const certificate = await this.touch(name);
      const version = await makeVersion(certificate.policy, wholeSeconds(this.now()));
      this.append(name, version);
      return publicVersion(version);
    });
  }

  listVersions(name: string): Promise<CertificateVersion[]> {
    return this.serial(async () => {
      const certificate = await this.touch(name);
      return certificate.versions
        .map(publicVersion)
        .sort((a, b) => b.createdOn.getTime() - a.createdOn.getTime() || b.notBefore.getTime() - a.notBefore.getTime());
    });
  }

  getCertificateDer(name: string, version: string): Promise<Buffer> {
    return this.serial(async () => new X509Certificate(this.version(await this.touch(name), name, version).certificatePem).raw);
  }

  /** The key (PKCS#8) followed by the certificate, as Key Vault's PEM backing secret holds them. */
  getPrivateKeyPem(name: string, version: string): Promise<string> {
    return this.serial(async () => {
      const found = this.version(await this.touch(name), name, version);
      return `${found.privateKeyPem}${found.certificatePem}`;
    });
  }

  deleteCertificate(name: string): Promise<void> {
    return this.serial(async () => {
      checkName(name);
      const file = this.file.read();
      if (!file.certificates[name]) return;
      delete file.certificates[name];
      this.file.write(file);
    });
  }

  /** The certificate after any renewal that is due (NOT_FOUND when absent). */
  private async touch(name: string): Promise<StoredCertificate> {
    checkName(name);
    for (let renewal = 0; renewal < MAX_RENEWALS_AT_ONCE; renewal++) {
      const certificate = this.file.read().certificates[name];
      if (!certificate) throw new AppError('NOT_FOUND', `certificate ${name} does not exist in the local certificate file`);
      const due = renewalTime(certificate);
      if (due === undefined || due.getTime() > this.now().getTime()) return certificate;
      this.append(name, await makeVersion(certificate.policy, due));
    }
    return this.file.read().certificates[name]!;
  }

  private version(certificate: StoredCertificate, name: string, version: string): StoredVersion {
    const found = certificate.versions.find((v) => v.version === version);
    if (!found) throw new AppError('NOT_FOUND', `certificate ${name} version ${version} does not exist in the local certificate file`);
    return found;
  }

  private append(name: string, version: StoredVersion): void {
    const file = this.file.read();
    const certificate = file.certificates[name];
    if (!certificate) throw new AppError('NOT_FOUND', `certificate ${name} does not exist in the local certificate file`);
    certificate.versions.push(version);
    this.file.write(file);
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work, work);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

async function makeVersion(policy: CertificatePolicy, notBefore: Date): Promise<StoredVersion> {
  const notAfter = new Date(notBefore);
  notAfter.setUTCMonth(notAfter.getUTCMonth() + policy.validityMonths);
  const made = await createSelfSignedCertificate({ subject: policy.subject, notBefore, notAfter, keySize: policy.keySize });
  return {
    version: randomBytes(16).toString('hex'),
    certificatePem: made.certificatePem,
    privateKeyPem: made.privateKeyPem,
    notBefore: notBefore.toISOString(),
    notAfter: notAfter.toISOString(),
    createdOn: notBefore.toISOString(),
    enabled: true,
  };
}

function publicVersion(stored: StoredVersion): CertificateVersion {
  const der = new X509Certificate(stored.certificatePem).raw;
  return {
    version: stored.version,
    thumbprint: createHash('sha1').update(der).digest('hex').toUpperCase(),
    notBefore: new Date(stored.notBefore),
    notAfter: new Date(stored.notAfter),
    createdOn: new Date(stored.createdOn),
    enabled: stored.enabled,
  };
}

/** When the newest version reaches the policy's share of its life, as Key Vault's AutoRenew trigger counts it. */
function renewalTime(certificate: StoredCertificate): Date | undefined {
  const newest = certificate.versions.reduce<StoredVersion | undefined>(
    (latest, v) => (!latest || Date.parse(v.createdOn) >= Date.parse(latest.createdOn) ? v : latest),
    undefined,
  );
  if (!newest) return undefined;
  const start = Date.parse(newest.notBefore);
  const life = Date.parse(newest.notAfter) - start;
  return wholeSeconds(new Date(start + Math.floor((life * certificate.policy.renewAtPercentOfLife) / 100)));
}

/** Key Vault keeps whole seconds; so does a certificate's validity. */
function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

function checkName(name: string): void {
  if (!KEY_VAULT_NAME.test(name))
    throw new AppError('CONFIG', `certificate name ${JSON.stringify(name)} is not a Key Vault name (1–127 letters, digits and dashes)`);
}

/** The limits Key Vault applies to a self-signed RSA policy, refused the way Key Vault's 400 maps (CONFIG). */
function checkPolicy(name: string, policy: CertificatePolicy): void {
  const problem = !/^\s*[A-Za-z][A-Za-z0-9.]*\s*=/.test(policy.subject)
    ? 'subject must be an X.500 name such as CN=example'
    : ![2048, 3072, 4096].includes(policy.keySize)
      ? `RSA key size ${policy.keySize} is not supported (2048, 3072 or 4096)`
      : !Number.isInteger(policy.validityMonths) || policy.validityMonths < 1 || policy.validityMonths > 1200
        ? 'validityMonths must be a whole number from 1 to 1200'
        : !(policy.renewAtPercentOfLife >= 1 && policy.renewAtPercentOfLife <= 99)
          ? 'renewAtPercentOfLife must be from 1 to 99'
          : undefined;
  if (problem) throw new AppError('CONFIG', `certificate ${name}: ${problem}`);
}
