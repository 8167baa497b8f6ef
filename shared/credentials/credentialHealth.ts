import { type CertificateVersion } from '../platform/certificates/CertificateStore';
import { type CertificateRolloverState } from './CredentialStateStore';

/** Days before expiry from which the status surface warns. */
export const EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 86_400_000;

export type CredentialHealthStatus = 'ok' | 'warning' | 'expired' | 'missing' | 'unknown';

export interface CredentialHealth {
  status: CredentialHealthStatus;
  /** When the credential in use stops working, when known. */
  expiresOn?: string | undefined;
  /** Whole days until then (negative once expired). */
  daysLeft?: number | undefined;
  /** What is the case, in plain words. */
  message: string;
  /** What to do about it, when anything. */
  action?: string | undefined;
}

const daysBetween = (now: Date, then: Date) => Math.floor((then.getTime() - now.getTime()) / DAY_MS);

/** Health of a credential that simply expires (a client secret, an uploaded certificate); `renew` says how to replace it. */
export function expiringCredentialHealth(input: { what: string; expiresOn: Date | undefined; now: Date; renew: string }): CredentialHealth {
  const { what, expiresOn, now } = input;
  if (!expiresOn) {
    return {
      status: 'unknown',
      message: `the ${what}'s expiry is not known, so the connector cannot warn before it stops working`,
      action: input.renew,
    };
  }
  const daysLeft = daysBetween(now, expiresOn);
  const base = { expiresOn: expiresOn.toISOString(), daysLeft };
  if (expiresOn <= now)
    return { ...base, status: 'expired', message: `the ${what} expired on ${expiresOn.toISOString()}`, action: input.renew };
  if (daysLeft <= EXPIRY_WARNING_DAYS)
    return { ...base, status: 'warning', message: `the ${what} expires in ${daysLeft} days`, action: input.renew };
  return { ...base, status: 'ok', message: `the ${what} is valid for ${daysLeft} more days` };
}

/**
 * Health of a certificate the connector makes and rolls itself. It warns 30 days before the version in use
 * expires when no newer version has taken over, and once expired says exactly which certificate to upload
 * (addKey needs a valid key to sign its proof, so after expiry only a person can register the new one).
 */
export function managedCertificateHealth(input: {
  /** Newest first; empty when the certificate does not exist. */
  versions: CertificateVersion[];
  state: CertificateRolloverState | undefined;
  now: Date;
  canRegister: boolean;
  /** e.g. GET /api/tenants/contoso/certificate */
  downloadRoute: string;
  /** e.g. POST /api/tenants/contoso/certificate/roll */
  rollRoute: string;
  /** e.g. POST /api/tenants/contoso/certificate */
  createRoute: string;
}): CredentialHealth {
  const { versions, now } = input;
  const usable = versions.filter((v) => v.enabled && v.notBefore <= now && now < v.notAfter);
  const newest = usable[0] ?? versions[0];
  if (!newest) return { status: 'missing', message: 'the connector has not made its certificate yet', action: input.createRoute };
  const active = versions.find((v) => v.version === input.state?.activeVersion) ?? newest;
  const daysLeft = daysBetween(now, active.notAfter);
  const base = { expiresOn: active.notAfter.toISOString(), daysLeft };
  const upload = (v: CertificateVersion) =>
    `upload the certificate with thumbprint ${v.thumbprint} (${input.downloadRoute}?version=${v.version}&format=cer) ` +
    'under Certificates & secrets in the app registration';
  const newer = usable[0] && usable[0].version !== active.version ? usable[0] : undefined;
  if (active.notAfter <= now || !active.enabled) {
    if (newer) {
      return {
        ...base,
        status: 'expired',
        message: `the certificate in use (${active.thumbprint}) expired on ${active.notAfter.toISOString()} before its successor was registered`,
        action: upload(newer),
      };
    }
    return {
      ...base,
      status: 'expired',
      message: `the certificate (${active.thumbprint}) expired on ${active.notAfter.toISOString()} and no newer version exists`,
      action: `${input.rollRoute} makes a new version; then upload it (${input.downloadRoute}?format=cer) under Certificates & secrets in the app registration`,
    };
  }
  if (daysLeft > EXPIRY_WARNING_DAYS) {
    const problem = input.state?.keys.find((k) => k.removalProblem)?.removalProblem;
    return { ...base, status: 'ok', message: `signs in with ${active.thumbprint}, valid for ${daysLeft} more days`, action: problem };
  }
  if (!newer) {
    return {
      ...base,
      status: 'warning',
      message: `the certificate expires in ${daysLeft} days and no newer version exists (Key Vault has not renewed it)`,
      action: `${input.rollRoute} makes a new version now`,
    };
  }
  const why = input.state?.lastError ?? input.state?.lastOutcome;
  return {
    ...base,
    status: 'warning',
    message: `the certificate expires in ${daysLeft} days and rollover to ${newer.thumbprint} has not happened` + (why ? ` (${why})` : ''),
    action: input.canRegister
      ? `${input.rollRoute} retries now; or ${upload(newer)}`
      : `set microsoft365.applicationObjectId so the connector registers it itself, or ${upload(newer)}`,
  };
}
