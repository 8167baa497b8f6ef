import { X509Certificate } from 'node:crypto';
import { type TenantRecord } from './TenantStore';
import { type Services } from './Services';
import { AppError, isAppError } from '../core/errors/AppError';
import { type Logger } from '../core/logging/Logger';
import { type CertificatePolicy, type CertificateVersion } from '../platform/certificates/CertificateStore';
import { SHARED_APP_CERTIFICATE_NAME, tenantSecretNames } from '../platform/secrets/tenantSecretNames';
import { readGraphSecret } from '../platform/secrets/tenantSecrets';
import { type CertificateRolloverState, SHARED_APP_OWNER } from '../credentials/CredentialStateStore';
import { type CredentialHealth, expiringCredentialHealth, managedCertificateHealth } from '../credentials/credentialHealth';
import { type RolloverReport, rollCertificate } from '../credentials/rollCertificate';
import { certificateSignInFor } from './certificateSignIn';
import { requireSharedApp } from './resolveGraphSignIn';

/** What the connector asks of its Graph certificates: Entra accepts RSA 2048+; a year, renewed at 80% of its life. */
export const GRAPH_CERTIFICATE_POLICY: Omit<CertificatePolicy, 'subject'> = { validityMonths: 12, renewAtPercentOfLife: 80, keySize: 2048 };

export type GraphCredentialDeps = Pick<Services, 'secrets' | 'certificates' | 'credentialStates' | 'sharedApp' | 'graphEndpoints'>;

/** A connector-made certificate: whose it is, its store name, the routes that act on it, and the app it signs in to. */
export interface ManagedCertificateTarget {
  owner: string;
  name: string;
  subject: string;
  /** e.g. /api/tenants/contoso/certificate */
  route: string;
  applicationObjectId?: string | undefined;
  app: { directoryId: string; clientId: string; nationalCloud: TenantRecord['config']['microsoft365']['nationalCloud'] };
}

/** The tenant's own managed certificate (auth kind managedCertificate); CONFLICT for another kind. */
export function tenantCertificateTarget(tenant: TenantRecord): ManagedCertificateTarget {
  const { microsoft365 } = tenant.config;
  if (microsoft365.auth.kind !== 'managedCertificate') {
    const hint = microsoft365.auth.kind === 'sharedApp' ? "; its certificate is the shared app's (/api/shared-app/certificate)" : '';
    throw new AppError(
      'CONFLICT',
      `tenant ${tenant.id} signs in with auth kind ${microsoft365.auth.kind}: the connector makes and rolls a certificate ` +
        `only for auth kind managedCertificate${hint}`,
    );
  }
  return {
    owner: tenant.id,
    name: tenantSecretNames(tenant.id).graphManagedCertificate,
    subject: `CN=m365-pbx-connector ${tenant.id}`,
    route: `/api/tenants/${tenant.id}/certificate`,
    applicationObjectId: microsoft365.applicationObjectId,
    app: { directoryId: microsoft365.directoryId, clientId: microsoft365.applicationId, nationalCloud: microsoft365.nationalCloud },
  };
}

/** The shared multi-tenant app's certificate; NOT_READY when the operator has not configured the app. */
export function sharedAppCertificateTarget(deps: Pick<Services, 'sharedApp'>): ManagedCertificateTarget {
  const app = deps.sharedApp;
  if (!app) {
    throw new AppError(
      'NOT_READY',
      'no shared app is configured: set SHARED_APP_CLIENT_ID, SHARED_APP_OBJECT_ID and SHARED_APP_DIRECTORY_ID',
    );
  }
  return {
    owner: SHARED_APP_OWNER,
    name: SHARED_APP_CERTIFICATE_NAME,
    subject: 'CN=m365-pbx-connector shared app',
    route: '/api/shared-app/certificate',
    applicationObjectId: app.objectId,
    app: { directoryId: app.homeDirectoryId, clientId: app.clientId, nationalCloud: app.nationalCloud },
  };
}

/** Creates the certificate when it does not exist yet; `created` says which. */
export async function ensureCertificate(deps: GraphCredentialDeps, target: ManagedCertificateTarget): Promise<{ created: boolean }> {
  try {
    await deps.certificates.listVersions(target.name);
    return { created: false };
  } catch (err) {
    if (!isAppError(err, 'NOT_FOUND')) throw err;
  }
  let version: CertificateVersion;
  try {
    version = await deps.certificates.createCertificate(target.name, { ...GRAPH_CERTIFICATE_POLICY, subject: target.subject });
  } catch (err) {
    // Two callers raced to create it: the other one won, which is what this one wanted too.
    if (isAppError(err, 'CONFLICT')) return { created: false };
    throw err;
  }
  // The version just made is the one the admin uploads, so it is the one to sign in with: chosen now, not at the
  // first rollover check, which might only run after a renewal (POST …/roll?renew=true) and pick the wrong one.
  const stored = await deps.credentialStates.get(target.owner);
  const certificate: CertificateRolloverState = {
    activeVersion: version.version,
    keys: [],
    lastCheckedAt: new Date().toISOString(),
    lastOutcome: `created ${version.thumbprint}; upload it to the app registration`,
  };
  await deps.credentialStates.put(target.owner, { ...(stored?.state ?? {}), certificate }, stored?.etag);
  return { created: true };
}

/** One rollover check for the target (see rollCertificate). */
export async function rollManagedCertificate(
  deps: GraphCredentialDeps,
  target: ManagedCertificateTarget,
  log: Logger,
  now: () => Date = () => new Date(),
): Promise<RolloverReport> {
  return rollCertificate(
    {
      certificates: deps.certificates,
      states: deps.credentialStates,
      signIn: certificateSignInFor(deps.graphEndpoints, target.app),
      now,
      log,
    },
    { owner: target.owner, certificateName: target.name, applicationObjectId: target.applicationObjectId },
  );
}

/** The tenant's upkeep step (its subscription maintenance job): a rollover check when the connector rolls its certificate. */
export async function rollTenantCertificateIfManaged(deps: GraphCredentialDeps, tenant: TenantRecord, log: Logger): Promise<void> {
  if (tenant.config.microsoft365.auth.kind !== 'managedCertificate') return;
  const target = tenantCertificateTarget(tenant);
  try {
    const report = await rollManagedCertificate(deps, target, log);
    if (report.actions.length > 0) log.info('certificate rollover', { actions: report.actions.join('; '), outcome: report.outcome });
  } catch (err) {
    // Not the subscriptions' problem: the state keeps the error for the status surface and the next check retries.
    if (isAppError(err, 'NOT_FOUND')) log.warn('the tenant has no managed certificate yet', { create: `POST ${target.route}` });
    else log.warn('certificate rollover check failed', { error: (err as Error).message });
  }
}

/** What the status surface shows of a managed certificate: every version, the one in use, the rollover and its health. */
export interface ManagedCertificateView {
  name: string;
  /** The version to upload if the app does not have it: the newest valid one. */
  uploadVersion?: string | undefined;
  activeVersion?: string | undefined;
  versions: {
    version: string;
    thumbprint: string;
    notBefore: string;
    notAfter: string;
    enabled: boolean;
    active: boolean;
    registeredBy?: 'connector' | 'admin' | undefined;
    retiring?: boolean | undefined;
  }[];
  rollover: Pick<CertificateRolloverState, 'lastCheckedAt' | 'lastOutcome' | 'lastError'> & { canRegister: boolean };
  health: CredentialHealth;
}

export async function describeManagedCertificate(
  deps: GraphCredentialDeps,
  target: ManagedCertificateTarget,
  now = new Date(),
): Promise<ManagedCertificateView> {
  const versions = await deps.certificates.listVersions(target.name).catch((err: unknown) => {
    if (isAppError(err, 'NOT_FOUND')) return [] as CertificateVersion[];
    throw err;
  });
  const state = (await deps.credentialStates.get(target.owner))?.state.certificate;
  const usable = versions.filter((v) => v.enabled && v.notBefore <= now && now < v.notAfter);
  const activeVersion = state?.activeVersion ?? usable[0]?.version;
  const canRegister = target.applicationObjectId !== undefined;
  return {
    name: target.name,
    uploadVersion: usable[0]?.version,
    activeVersion,
    versions: versions.map((v) => {
      const key = state?.keys.find((k) => k.version === v.version);
      return {
        version: v.version,
        thumbprint: v.thumbprint,
        notBefore: v.notBefore.toISOString(),
        notAfter: v.notAfter.toISOString(),
        enabled: v.enabled,
        active: v.version === activeVersion,
        registeredBy: key?.registeredBy,
        retiring: key?.retiring,
      };
    }),
    rollover: { lastCheckedAt: state?.lastCheckedAt, lastOutcome: state?.lastOutcome, lastError: state?.lastError, canRegister },
    health: managedCertificateHealth({
      versions,
      state,
      now,
      canRegister,
      downloadRoute: `GET ${target.route}`,
      rollRoute: `POST ${target.route}/roll`,
      createRoute: `POST ${target.route}`,
    }),
  };
}

/** Health of whatever the tenant signs in with (GET …/graph-credential; the console shows it). */
export async function describeGraphCredential(
  deps: GraphCredentialDeps,
  tenant: TenantRecord,
  now = new Date(),
): Promise<{
  kind: string;
  health: CredentialHealth;
  certificate?: ManagedCertificateView;
  consent?: { directoryId: string; consentedAt: string };
}> {
  const { auth } = tenant.config.microsoft365;
  const names = tenantSecretNames(tenant.id);
  const writeRoute = `PUT /api/tenants/${tenant.id}/secrets/graph`;
  switch (auth.kind) {
    case 'sandbox':
      return { kind: auth.kind, health: { status: 'ok', message: 'the sandbox token does not expire' } };
    case 'clientSecret': {
      const info = await deps.secrets.describeSecret(names.graph);
      if (!info) return { kind: auth.kind, health: { status: 'missing', message: 'no client secret is written', action: writeRoute } };
      return {
        kind: auth.kind,
        health: expiringCredentialHealth({
          what: 'client secret',
          expiresOn: info.expiresOn,
          now,
          renew: `make a new client secret in the app registration and write it with ${writeRoute} (with its expiresOn)`,
        }),
      };
    }
    case 'certificate': {
      let notAfter: Date | undefined;
      try {
        notAfter = new Date(new X509Certificate(await readGraphSecret(deps.secrets, tenant.id, 'certificate')).validTo);
      } catch (err) {
        if (isAppError(err, 'NOT_FOUND'))
          return { kind: auth.kind, health: { status: 'missing', message: 'no certificate is written', action: writeRoute } };
        return { kind: auth.kind, health: { status: 'unknown', message: `the certificate cannot be read: ${(err as Error).message}` } };
      }
      return {
        kind: auth.kind,
        health: expiringCredentialHealth({
          what: 'certificate',
          expiresOn: notAfter,
          now,
          renew: `upload a new certificate to the app and write it with ${writeRoute}, or switch to auth kind managedCertificate so the connector rolls it`,
        }),
      };
    }
    case 'managedCertificate': {
      const certificate = await describeManagedCertificate(deps, tenantCertificateTarget(tenant), now);
      return { kind: auth.kind, health: certificate.health, certificate };
    }
    case 'sharedApp': {
      requireSharedApp(deps.sharedApp, tenant.config);
      const certificate = await describeManagedCertificate(deps, sharedAppCertificateTarget(deps), now);
      const consent = (await deps.credentialStates.get(tenant.id))?.state.consent;
      if (!consent || consent.directoryId !== tenant.config.microsoft365.directoryId) {
        return {
          kind: auth.kind,
          health: {
            status: 'missing',
            message: "the tenant's admin has not consented to the shared app (as far as the connector knows)",
            action: `send the tenant's admin the URL from GET /api/tenants/${tenant.id}/consent`,
          },
          certificate,
        };
      }
      return { kind: auth.kind, health: certificate.health, certificate, consent };
    }
  }
}

/** The shared app's rollover check, from the maintenance timer (one per process tick, not per tenant). */
export async function rollSharedAppCertificateIfConfigured(deps: GraphCredentialDeps, log: Logger): Promise<void> {
  if (!deps.sharedApp) return;
  const target = sharedAppCertificateTarget(deps);
  try {
    const report = await rollManagedCertificate(deps, target, log);
    if (report.actions.length > 0)
      log.info('shared app certificate rollover', { actions: report.actions.join('; '), outcome: report.outcome });
  } catch (err) {
    if (isAppError(err, 'NOT_FOUND')) log.warn('the shared app has no certificate yet', { create: `POST ${target.route}` });
    else log.warn('shared app certificate rollover check failed', { error: (err as Error).message });
  }
}

/**
 * Forgets a tenant's connector-made Graph credential: its managed certificate (Key Vault keeps a soft-deleted
 * copy for its retention period) and its rollover and consent record. Used when a tenant is deleted, and before
 * one is created, so a tenant created again with the id never inherits either.
 */
export async function forgetTenantGraphCredential(
  deps: Pick<Services, 'certificates' | 'credentialStates'>,
  tenantId: string,
): Promise<void> {
  await deps.certificates.deleteCertificate(tenantSecretNames(tenantId).graphManagedCertificate);
  await deps.credentialStates.delete(tenantId);
}

/**
 * Logs a warning every maintenance run while the tenant's Graph credential is about to expire, has expired, or is
 * missing (an alert on warnings reaches the operator before sign-in fails); a check that cannot run is logged too.
 */
export async function warnIfGraphCredentialUnhealthy(deps: GraphCredentialDeps, tenant: TenantRecord, log: Logger): Promise<void> {
  try {
    const { kind, health } = await describeGraphCredential(deps, tenant);
    if (health.status === 'ok' || health.status === 'unknown') return;
    log.warn(`the Graph credential needs attention: ${health.message}`, {
      kind,
      status: health.status,
      daysLeft: health.daysLeft,
      action: health.action,
    });
  } catch (err) {
    log.warn('the Graph credential could not be checked', { error: (err as Error).message });
  }
}
