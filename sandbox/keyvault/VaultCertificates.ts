import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { createSelfSignedCertificate } from '../../shared/platform/certificates/selfSignedCertificate';
import { VaultError } from './VaultError';
import { deletedButRecoverable, type VaultSecrets } from './VaultSecrets';

const PEM = 'application/x-pem-file';
const PKCS12 = 'application/x-pkcs12';
const RECOVERABLE_DAYS = 90;
const DAY_SECONDS = 86_400;
/** A clock moved years ahead renews at most this many times in one go (each renewal makes an RSA key). */
const MAX_RENEWALS_AT_ONCE = 50;

interface LifetimeAction {
  action: string;
  lifetimePercentage?: number | undefined;
  daysBeforeExpiry?: number | undefined;
}

/** The certificate policy as the sandbox keeps it (Key Vault's wire names are mapped in and out below). */
interface StoredPolicy {
  subject: string;
  validityMonths: number;
  keyType: string;
  keySize: number;
  exportable: boolean;
  reuseKey: boolean;
  contentType: string;
  issuerName: string;
  lifetimeActions: LifetimeAction[];
  ekus?: string[] | undefined;
  keyUsage?: string[] | undefined;
  created: number;
  updated: number;
}

interface CertificateVersionRecord {
  version: string;
  der: Buffer;
  /** SHA-1 of the DER, base64url (Key Vault's `x5t`). */
  x5t: string;
  nbf: number;
  exp: number;
  created: number;
  updated: number;
  enabled: boolean;
}

interface PendingOperation {
  requestId: string;
  status: 'inProgress' | 'completed';
  /** GETs of the operation still to answer `inProgress` before the version is published. */
  pollsLeft: number;
  /** The version made at create time, published when the operation completes. */
  made?: (() => void) | undefined;
}

interface CertificateEntry {
  name: string;
  policy: StoredPolicy;
  /** Oldest first. */
  versions: CertificateVersionRecord[];
  pending?: PendingOperation | undefined;
}

const WirePolicy = z
  .object({
    key_props: z
      .object({
        exportable: z.boolean(),
        kty: z.string(),
        key_size: z.number().int(),
        reuse_key: z.boolean(),
        crv: z.string(),
      })
      .partial(),
    secret_props: z.object({ contentType: z.string() }).partial(),
    x509_props: z
      .object({
        subject: z.string(),
        ekus: z.array(z.string()),
        key_usage: z.array(z.string()),
        validity_months: z.number().int(),
        sans: z.unknown(),
      })
      .partial(),
    lifetime_actions: z.array(
      z.object({
        trigger: z.object({ lifetime_percentage: z.number(), days_before_expiry: z.number() }).partial().optional(),
        action: z.object({ action_type: z.string() }).partial().optional(),
      }),
    ),
    issuer: z.object({ name: z.string(), cty: z.string() }).partial(),
    attributes: z.unknown(),
    id: z.unknown(),
  })
  .partial();
type WirePolicy = z.infer<typeof WirePolicy>;

const CreateBody = z.object({ policy: WirePolicy.optional(), attributes: z.unknown().optional(), tags: z.unknown().optional() }).partial();

export interface VaultCertificatesOptions {
  /** GETs of a create's pending operation that answer `inProgress` before it completes (0: complete at once). */
  pendingPolls: number;
}

/**
 * The certificates half of the vault: self-signed certificates only, each version with its backing secret
 * (same name and version) in `secrets`, and Key Vault's AutoRenew lifetime action played out on the sandbox clock.
 */
export class VaultCertificates {
  private readonly live = new Map<string, CertificateEntry>();
  private readonly deleted = new Map<string, { entry: CertificateEntry; deletedDate: number }>();
  /** Per-name queue, so a renewal and a create never interleave their versions. */
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(
    private readonly vaultUrl: () => string,
    private readonly nowSeconds: () => number,
    private readonly secrets: VaultSecrets,
    private readonly options: VaultCertificatesOptions,
  ) {}

  /** POST /certificates/{name}/create: a new version (the first one makes the certificate); answers the operation. */
  create(name: string, body: unknown): Promise<object> {
    return this.locked(name, async () => {
      const parsed = CreateBody.safeParse(body ?? {});
      if (!parsed.success) throw new VaultError(400, 'BadParameter', 'The certificate policy in the request body is not valid.');
      const key = name.toLowerCase();
      if (this.deleted.has(key)) throw deletedButRecoverable('Certificate', name);
      if (this.secrets.holdsPlainSecret(name))
        throw new VaultError(409, 'Conflict', `A secret named ${name} exists; a certificate cannot use its name.`);
      const existing = this.live.get(key);
      if (existing?.pending?.status === 'inProgress')
        throw new VaultError(409, 'Conflict', `There is already a certificate operation in progress for ${name}.`);
      const now = this.nowSeconds();
      const policy = mergePolicy(existing?.policy, parsed.data.policy ?? {}, now);
      const entry: CertificateEntry = existing ?? { name, policy, versions: [] };
      entry.policy = policy;
      this.live.set(key, entry);
      const publish = await this.makeVersion(entry, now);
      const pending: PendingOperation = {
        requestId: randomUUID().replace(/-/g, ''),
        status: 'inProgress',
        pollsLeft: this.options.pendingPolls,
      };
      entry.pending = pending;
      if (pending.pollsLeft === 0) {
        publish();
        pending.status = 'completed';
      } else pending.made = publish;
      return this.operation(entry, pending);
    });
  }

  /** GET /certificates/{name}/pending */
  getOperation(name: string): object {
    const entry = this.entry(name);
    const pending = entry.pending;
    if (!pending) throw new VaultError(404, 'PendingCertificateNotFound', `Pending certificate not found: ${name}`);
    if (pending.status === 'inProgress') {
      if (pending.pollsLeft > 0) pending.pollsLeft--;
      else {
        pending.made?.();
        pending.made = undefined;
        pending.status = 'completed';
      }
    }
    return this.operation(entry, pending);
  }

  /** GET /certificates/{name}/{version?}, with the policy. */
  get(name: string, version: string | undefined): object {
    const entry = this.entry(name);
    const found = version ? entry.versions.find((v) => v.version === version) : entry.versions.at(-1);
    if (!found) throw certificateNotFound(name, version);
    return this.bundle(entry, found);
  }

  /** GET /certificates/{name}/versions; an unknown name lists nothing, as Key Vault does. */
  listVersions(name: string): object[] {
    const entry = this.live.get(name.toLowerCase());
    return entry ? entry.versions.map((version) => this.item(entry, version)) : [];
  }

  getPolicy(name: string): object {
    const entry = this.entry(name);
    return this.wirePolicy(entry);
  }

  /** PATCH /certificates/{name}/policy: the members given replace the stored ones. */
  updatePolicy(name: string, body: unknown): object {
    const entry = this.entry(name);
    const parsed = WirePolicy.safeParse(body ?? {});
    if (!parsed.success) throw new VaultError(400, 'BadParameter', 'The certificate policy in the request body is not valid.');
    entry.policy = mergePolicy(entry.policy, parsed.data, this.nowSeconds());
    return this.wirePolicy(entry);
  }

  /** DELETE /certificates/{name}: soft delete of every version, its key and its backing secret. */
  delete(name: string): object {
    const entry = this.entry(name);
    const key = name.toLowerCase();
    this.live.delete(key);
    const deleted = { entry, deletedDate: this.nowSeconds() };
    this.deleted.set(key, deleted);
    this.secrets.deleteManaged(name);
    return this.deletedBundle(deleted);
  }

  getDeleted(name: string): object {
    const deleted = this.deleted.get(name.toLowerCase());
    if (!deleted) throw new VaultError(404, 'CertificateNotFound', `Deleted Certificate not found: ${name}`);
    return this.deletedBundle(deleted);
  }

  purge(name: string): void {
    if (!this.deleted.delete(name.toLowerCase()))
      throw new VaultError(404, 'CertificateNotFound', `Deleted Certificate not found: ${name}`);
    this.secrets.purgeManaged(name);
  }

  recover(name: string): object {
    const key = name.toLowerCase();
    const deleted = this.deleted.get(key);
    if (!deleted) throw new VaultError(404, 'CertificateNotFound', `Deleted Certificate not found: ${name}`);
    this.deleted.delete(key);
    this.live.set(key, deleted.entry);
    this.secrets.recoverManaged(name);
    const latest = deleted.entry.versions.at(-1);
    return latest ? this.bundle(deleted.entry, latest) : {};
  }

  /**
   * Key Vault's AutoRenew: once the newest version has lived its policy's share of life (or is within
   * daysBeforeExpiry of its end), a new version dated at that moment exists before anything reads the certificate.
   */
  renewIfDue(name: string): Promise<void> {
    if (!this.live.has(name.toLowerCase())) return Promise.resolve();
    return this.locked(name, async () => {
      for (let renewal = 0; renewal < MAX_RENEWALS_AT_ONCE; renewal++) {
        const entry = this.live.get(name.toLowerCase());
        const newest = entry?.versions.at(-1);
        if (!entry || !newest || entry.pending?.status === 'inProgress') return;
        const due = renewalTime(entry.policy, newest);
        if (due === undefined || due > this.nowSeconds()) return;
        (await this.makeVersion(entry, due))();
      }
    });
  }

  /** A new version now, with the certificate's policy (what the portal's "New version" does). */
  renewNow(name: string): Promise<string> {
    return this.locked(name, async () => {
      const entry = this.entry(name);
      (await this.makeVersion(entry, this.nowSeconds()))();
      return entry.versions.at(-1)!.version;
    });
  }

  disableVersion(name: string, version: string): void {
    const found = this.entry(name).versions.find((v) => v.version === version);
    if (!found) throw certificateNotFound(name, version);
    found.enabled = false;
    found.updated = this.nowSeconds();
    this.secrets.setManagedVersionEnabled(name, version, false);
  }

  private entry(name: string): CertificateEntry {
    const entry = this.live.get(name.toLowerCase());
    if (!entry) throw certificateNotFound(name, undefined);
    return entry;
  }

  private locked<T>(name: string, work: () => Promise<T>): Promise<T> {
    const key = name.toLowerCase();
    const previous = this.locks.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    this.locks.set(key, settled);
    void settled.then(() => {
      if (this.locks.get(key) === settled) this.locks.delete(key);
    });
    return next;
  }

  /** Makes the certificate and key dated `at`; the returned call publishes the version and its backing secret. */
  private async makeVersion(entry: CertificateEntry, at: number): Promise<() => void> {
    const { policy } = entry;
    const notAfter = addMonths(at, policy.validityMonths);
    const made = await createSelfSignedCertificate({
      subject: policy.subject,
      notBefore: new Date(at * 1000),
      notAfter: new Date(notAfter * 1000),
      keySize: policy.keySize,
    });
    const version = randomBytes(16).toString('hex');
    const record: CertificateVersionRecord = {
      version,
      der: made.der,
      x5t: createHash('sha1').update(made.der).digest('base64url'),
      nbf: at,
      exp: notAfter,
      created: at,
      updated: at,
      enabled: true,
    };
    const contentType = policy.contentType;
    // A non-exportable key never leaves Key Vault: the backing secret then holds the certificate alone.
    const value = policy.exportable ? `${made.privateKeyPem}${made.certificatePem}` : made.certificatePem;
    return () => {
      entry.versions.push(record);
      this.secrets.addManagedVersion(entry.name, {
        version,
        value,
        contentType,
        enabled: true,
        notBefore: at,
        expires: notAfter,
        created: at,
        kid: `${this.vaultUrl()}/keys/${entry.name}/${version}`,
      });
    };
  }

  private operation(entry: CertificateEntry, pending: PendingOperation): object {
    return {
      id: `${this.vaultUrl()}/certificates/${entry.name}/pending`,
      issuer: { name: entry.policy.issuerName },
      cancellation_requested: false,
      status: pending.status,
      status_details: pending.status === 'completed' ? '' : 'Pending certificate created. Certificate request is in progress.',
      target: `${this.vaultUrl()}/certificates/${entry.name}`,
      request_id: pending.requestId,
    };
  }

  private attributes(version: CertificateVersionRecord) {
    return {
      enabled: version.enabled,
      nbf: version.nbf,
      exp: version.exp,
      created: version.created,
      updated: version.updated,
      recoveryLevel: 'Recoverable+Purgeable',
      recoverableDays: RECOVERABLE_DAYS,
    };
  }

  private item(entry: CertificateEntry, version: CertificateVersionRecord): object {
    return {
      id: `${this.vaultUrl()}/certificates/${entry.name}/${version.version}`,
      x5t: version.x5t,
      attributes: this.attributes(version),
    };
  }

  private bundle(entry: CertificateEntry, version: CertificateVersionRecord): object {
    const base = this.vaultUrl();
    return {
      ...this.item(entry, version),
      kid: `${base}/keys/${entry.name}/${version.version}`,
      sid: `${base}/secrets/${entry.name}/${version.version}`,
      cer: version.der.toString('base64'),
      contentType: entry.policy.contentType,
      policy: this.wirePolicy(entry),
    };
  }

  private deletedBundle(deleted: { entry: CertificateEntry; deletedDate: number }): object {
    const latest = deleted.entry.versions.at(-1);
    return {
      ...(latest ? this.bundle(deleted.entry, latest) : { id: `${this.vaultUrl()}/certificates/${deleted.entry.name}` }),
      recoveryId: `${this.vaultUrl()}/deletedcertificates/${deleted.entry.name}`,
      deletedDate: deleted.deletedDate,
      scheduledPurgeDate: deleted.deletedDate + RECOVERABLE_DAYS * DAY_SECONDS,
    };
  }

  private wirePolicy(entry: CertificateEntry): object {
    const policy = entry.policy;
    return {
      id: `${this.vaultUrl()}/certificates/${entry.name}/policy`,
      key_props: { exportable: policy.exportable, kty: policy.keyType, key_size: policy.keySize, reuse_key: policy.reuseKey },
      secret_props: { contentType: policy.contentType },
      x509_props: {
        subject: policy.subject,
        ...(policy.ekus ? { ekus: policy.ekus } : {}),
        ...(policy.keyUsage ? { key_usage: policy.keyUsage } : {}),
        validity_months: policy.validityMonths,
      },
      lifetime_actions: policy.lifetimeActions.map((action) => ({
        trigger: {
          ...(action.lifetimePercentage !== undefined ? { lifetime_percentage: action.lifetimePercentage } : {}),
          ...(action.daysBeforeExpiry !== undefined ? { days_before_expiry: action.daysBeforeExpiry } : {}),
        },
        action: { action_type: action.action },
      })),
      issuer: { name: policy.issuerName },
      attributes: { enabled: true, created: policy.created, updated: policy.updated },
    };
  }
}

/** Key Vault's defaults for what a create leaves out, then the sandbox's limits (only what it can really make). */
function mergePolicy(current: StoredPolicy | undefined, wire: WirePolicy, now: number): StoredPolicy {
  const actions = wire.lifetime_actions?.map((action) => ({
    action: action.action?.action_type ?? '',
    lifetimePercentage: action.trigger?.lifetime_percentage,
    daysBeforeExpiry: action.trigger?.days_before_expiry,
  }));
  const policy: StoredPolicy = {
    subject: wire.x509_props?.subject ?? current?.subject ?? '',
    validityMonths: wire.x509_props?.validity_months ?? current?.validityMonths ?? 12,
    keyType: wire.key_props?.kty ?? current?.keyType ?? 'RSA',
    keySize: wire.key_props?.key_size ?? current?.keySize ?? 2048,
    exportable: wire.key_props?.exportable ?? current?.exportable ?? true,
    reuseKey: wire.key_props?.reuse_key ?? current?.reuseKey ?? false,
    contentType: wire.secret_props?.contentType ?? current?.contentType ?? PKCS12,
    issuerName: wire.issuer?.name ?? current?.issuerName ?? 'Unknown',
    lifetimeActions: actions ?? current?.lifetimeActions ?? [{ action: 'AutoRenew', lifetimePercentage: 80 }],
    ekus: wire.x509_props?.ekus ?? current?.ekus,
    keyUsage: wire.x509_props?.key_usage ?? current?.keyUsage,
    created: current?.created ?? now,
    updated: now,
  };
  const refuse = (message: string) => new VaultError(400, 'BadParameter', message);
  if (policy.issuerName.toLowerCase() !== 'self')
    throw refuse(`The sandbox issues only self-signed certificates (issuer Self), not ${policy.issuerName}.`);
  policy.issuerName = 'Self';
  if (!/^\s*[A-Za-z][A-Za-z0-9.]*\s*=/.test(policy.subject))
    throw refuse('Property policy.x509_props.subject must be an X.500 name such as CN=example.');
  if (policy.keyType !== 'RSA' && policy.keyType !== 'RSA-HSM') throw refuse(`The sandbox makes RSA keys only, not ${policy.keyType}.`);
  if (![2048, 3072, 4096].includes(policy.keySize)) throw refuse(`RSA key size ${policy.keySize} is not supported (2048, 3072 or 4096).`);
  if (!Number.isInteger(policy.validityMonths) || policy.validityMonths < 1 || policy.validityMonths > 1200)
    throw refuse('Property policy.x509_props.validity_months must be between 1 and 1200.');
  // Producing PKCS#12 would need a PFX encoder (ASN.1 SafeBags, MAC) that neither node:crypto nor @peculiar/x509
  // offers; the connector asks for PEM, so the sandbox refuses PKCS#12 plainly instead of answering something wrong.
  if (policy.contentType === PKCS12)
    throw refuse(`The sandbox makes ${PEM} certificates only; set policy.secret_props.contentType to ${PEM}.`);
  if (policy.contentType !== PEM) throw refuse(`Unknown secret content type ${policy.contentType}.`);
  for (const action of policy.lifetimeActions) {
    if (action.action !== 'AutoRenew' && action.action !== 'EmailContacts') throw refuse(`Unknown lifetime action ${action.action}.`);
    const percentage = action.lifetimePercentage;
    if (percentage !== undefined && (percentage < 1 || percentage > 99))
      throw refuse('Lifetime action trigger lifetime_percentage must be between 1 and 99.');
    if ((percentage === undefined) === (action.daysBeforeExpiry === undefined))
      throw refuse('A lifetime action trigger needs exactly one of lifetime_percentage and days_before_expiry.');
  }
  return policy;
}

function renewalTime(policy: StoredPolicy, newest: CertificateVersionRecord): number | undefined {
  const times = policy.lifetimeActions
    .filter((action) => action.action === 'AutoRenew')
    .map((action) =>
      action.lifetimePercentage !== undefined
        ? newest.nbf + Math.floor(((newest.exp - newest.nbf) * action.lifetimePercentage) / 100)
        : newest.exp - (action.daysBeforeExpiry ?? 0) * DAY_SECONDS,
    );
  return times.length > 0 ? Math.min(...times) : undefined;
}

function addMonths(seconds: number, months: number): number {
  const date = new Date(seconds * 1000);
  date.setUTCMonth(date.getUTCMonth() + months);
  return Math.floor(date.getTime() / 1000);
}

function certificateNotFound(name: string, version: string | undefined): VaultError {
  return new VaultError(
    404,
    'CertificateNotFound',
    `A certificate with (name/id) ${name}${version ? `/${version}` : ''} was not found in this key vault.`,
  );
}
