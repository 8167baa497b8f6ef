import { type TenantConfig } from '../config/TenantConfig';
import { AppError, isAppError } from '../core/errors/AppError';
import { requireTenantCredential } from './requireTenantCredential';
import { type CertificateStore, type CertificateVersion } from '../platform/certificates/CertificateStore';
import { type SecretStore } from '../platform/secrets/SecretStore';
import { readGraphSecret } from '../platform/secrets/tenantSecrets';
import { SHARED_APP_CERTIFICATE_NAME, tenantSecretNames } from '../platform/secrets/tenantSecretNames';
import { type CredentialStateStore, SHARED_APP_OWNER } from '../credentials/CredentialStateStore';
import { type SharedAppSettings } from '../credentials/SharedAppSettings';

export interface GraphSignInDeps {
  secrets: SecretStore;
  certificates: CertificateStore;
  credentialStates: CredentialStateStore;
  sharedApp?: SharedAppSettings | undefined;
}

/** What a tenant signs in to Graph with right now: its microsoft365 section as used, and the secret material. */
export interface GraphSignIn {
  /** For `sharedApp`, applicationId is the shared app's client id. */
  microsoft365: TenantConfig['microsoft365'];
  /** The client secret, the sandbox token, or a private key + certificate PEM. */
  secret: string;
  /** The certificate version in use, for the kinds the connector rolls. */
  certificateVersion?: string | undefined;
}

const isUsable = (v: CertificateVersion, now: Date) => v.enabled && v.notBefore <= now && now < v.notAfter;

/**
 * Resolves the tenant's Graph credential. For the certificates the connector rolls, that is the version the
 * rollover has made active (until one is chosen, the newest valid one: the version the admin uploads first) —
 * never simply the newest, because Key Vault renews before Entra knows the new key.
 */
export async function resolveGraphSignIn(
  deps: GraphSignInDeps,
  tenantId: string,
  config: TenantConfig,
  now = new Date(),
): Promise<GraphSignIn> {
  const { microsoft365 } = config;
  const kind = microsoft365.auth.kind;
  if (kind === 'managedCertificate') {
    const name = tenantSecretNames(tenantId).graphManagedCertificate;
    const createRoute = `POST /api/tenants/${tenantId}/certificate`;
    const { pem, version } = await activeCertificate(deps, tenantId, name, now, createRoute);
    return { microsoft365, secret: pem, certificateVersion: version };
  }
  if (kind === 'sharedApp') {
    const shared = requireSharedApp(deps.sharedApp, config);
    const { pem, version } = await activeCertificate(
      deps,
      SHARED_APP_OWNER,
      SHARED_APP_CERTIFICATE_NAME,
      now,
      'POST /api/shared-app/certificate',
    );
    return { microsoft365: { ...microsoft365, applicationId: shared.clientId }, secret: pem, certificateVersion: version };
  }
  const secretKind = kind === 'certificate' ? 'graphCertificate' : 'graph';
  const secret = await requireTenantCredential(tenantId, secretKind, () => readGraphSecret(deps.secrets, tenantId, kind));
  return { microsoft365, secret };
}

/** The shared app's settings, or NOT_READY saying what the operator must set; a tenant in another cloud cannot use it. */
export function requireSharedApp(sharedApp: SharedAppSettings | undefined, config: TenantConfig): SharedAppSettings {
  if (!sharedApp) {
    throw new AppError(
      'NOT_READY',
      "auth kind sharedApp needs the operator's multi-tenant app: set SHARED_APP_CLIENT_ID, SHARED_APP_OBJECT_ID and SHARED_APP_DIRECTORY_ID",
    );
  }
  if (sharedApp.nationalCloud !== config.microsoft365.nationalCloud) {
    throw new AppError(
      'NOT_READY',
      `the shared app lives in the ${sharedApp.nationalCloud} cloud and this tenant in ${config.microsoft365.nationalCloud}; ` +
        'an app registration serves one cloud: use a per-tenant app (auth kind managedCertificate)',
    );
  }
  return sharedApp;
}

async function activeCertificate(
  deps: GraphSignInDeps,
  owner: string,
  name: string,
  now: Date,
  createRoute: string,
): Promise<{ pem: string; version: string }> {
  const state = (await deps.credentialStates.get(owner))?.state.certificate;
  let version = state?.activeVersion;
  try {
    if (!version) {
      const newest = (await deps.certificates.listVersions(name)).find((v) => isUsable(v, now));
      if (!newest)
        throw new AppError(
          'NOT_READY',
          `certificate ${name} has no version valid now; ${createRoute.replace('certificate', 'certificate/roll')} makes one`,
        );
      version = newest.version;
    }
    return { pem: await deps.certificates.getPrivateKeyPem(name, version), version };
  } catch (err) {
    if (isAppError(err, 'NOT_FOUND')) {
      throw new AppError('NOT_READY', `the connector's Graph certificate ${name} does not exist yet; create it with ${createRoute}`, {
        cause: err,
      });
    }
    throw err;
  }
}
