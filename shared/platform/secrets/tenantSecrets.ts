import { AppError, isAppError } from '../../core/errors/AppError';
import { urlOrigin } from '../../config/isLoopbackUrl';
import { type GraphAuth } from '../../config/TenantConfig';
import { parsePbxCredentialSecret, pbxCredentialSecretValue } from './pbxCredentialSecret';
import { type SecretStore } from './SecretStore';
import { secretWriteRoute, tenantSecretNames } from './tenantSecretNames';

/** A PBX admin credential as the adapter uses it: bound to the origin it may be sent to. */
export interface BoundPbxCredential {
  username: string;
  password: string;
  /** scheme://host[:port] of the tenant's PBX URL the credential was written for. */
  origin: string;
}

/** Stores the tenant's PBX admin credential under its derived name, bound to the origin of `pbxBaseUrl`. */
export async function writePbxCredential(
  secrets: SecretStore,
  tenantId: string,
  pbxBaseUrl: string,
  credential: { username: string; password: string },
  now = new Date(),
): Promise<void> {
  await secrets.setSecret(tenantSecretNames(tenantId).pbx, pbxCredentialSecretValue(credential, pbxBaseUrl, now));
}

/**
 * The tenant's PBX credential for the PBX at `pbxBaseUrl`: NOT_FOUND when it was never written; NOT_READY when
 * it is not in the connector's format or was written for another origin (the PBX URL changed since), so a
 * configuration edit can never send the credential somewhere new.
 */
export async function readPbxCredential(secrets: SecretStore, tenantId: string, pbxBaseUrl: string): Promise<BoundPbxCredential> {
  const name = tenantSecretNames(tenantId).pbx;
  const stored = parsePbxCredentialSecret(await secrets.getSecret(name));
  const write = secretWriteRoute(tenantId, 'pbx');
  if (!stored) {
    throw new AppError(
      'NOT_READY',
      `secret ${name} does not hold a PBX credential written by the connector; write the PBX credential with ${write}`,
    );
  }
  const origin = urlOrigin(pbxBaseUrl);
  if (stored.origin !== origin) {
    throw new AppError(
      'NOT_READY',
      `the PBX URL changed (the PBX credential was written for ${stored.origin}, pbx.baseUrl is now ${origin}); ` +
        `write the PBX credential again with ${write}`,
    );
  }
  return { username: stored.username, password: stored.password, origin: stored.origin };
}

/** The Graph auth kinds that read a secret, and the body field of PUT …/secrets/graph that writes it. */
export const graphSecretFieldByKind = { clientSecret: 'clientSecret', certificate: 'certificatePem', sandbox: 'token' } as const;

/** Stores the tenant's Graph secret material for its auth kind: the client secret, the certificate PEM or the sandbox token. */
export async function writeGraphSecret(
  secrets: SecretStore,
  tenantId: string,
  kind: keyof typeof graphSecretFieldByKind,
  value: string,
  options: { expiresOn?: Date } = {},
): Promise<void> {
  const names = tenantSecretNames(tenantId);
  await secrets.setSecret(kind === 'certificate' ? names.graphCertificate : names.graph, value, options);
}

/** The tenant's Graph secret material for its auth kind (NOT_FOUND when not written). */
export async function readGraphSecret(secrets: SecretStore, tenantId: string, kind: keyof typeof graphSecretFieldByKind): Promise<string> {
  const names = tenantSecretNames(tenantId);
  return kind === 'certificate' ? secrets.getCertificatePem(names.graphCertificate) : secrets.getSecret(names.graph);
}

/** Removes every secret the tenant has (used when the tenant is deleted, so a tenant re-created with its id starts empty). */
export async function deleteTenantSecrets(secrets: SecretStore, tenantId: string): Promise<void> {
  const names = tenantSecretNames(tenantId);
  for (const name of [names.pbx, names.graph, names.graphCertificate, names.pbxEventKey]) await secrets.deleteSecret(name);
}

/** What GET /api/tenants/{id}/secrets shows of one secret: never its value. */
export interface TenantSecretView {
  kind: 'pbx' | 'graph' | 'graphCertificate';
  name: string;
  exists: boolean;
  /** Whether the tenant's current configuration uses it. */
  used: boolean;
  writtenAt?: string;
  /** PBX only: the origin it was written for, and whether that is the configured PBX URL's origin. */
  origin?: string;
  matchesPbxUrl?: boolean;
}

/** Which of the tenant's secrets exist, when they were written and (PBX) for which origin; no values. */
export async function describeTenantSecrets(
  secrets: SecretStore,
  tenantId: string,
  config: { pbxBaseUrl: string; graphAuthKind: GraphAuth['kind'] },
): Promise<TenantSecretView[]> {
  const names = tenantSecretNames(tenantId);
  const pbx: TenantSecretView = { kind: 'pbx', name: names.pbx, exists: false, used: true };
  const text = await secrets.getSecret(names.pbx).catch((err: unknown) => {
    if (isAppError(err, 'NOT_FOUND')) return undefined;
    throw err;
  });
  if (text !== undefined) {
    pbx.exists = true;
    const stored = parsePbxCredentialSecret(text);
    if (stored)
      Object.assign(pbx, {
        writtenAt: stored.writtenAt,
        origin: stored.origin,
        matchesPbxUrl: stored.origin === urlOrigin(config.pbxBaseUrl),
      });
    else pbx.matchesPbxUrl = false;
  }
  const graphViews = await Promise.all(
    (['graph', 'graphCertificate'] as const).map(async (kind): Promise<TenantSecretView> => {
      const info = await secrets.describeSecret(names[kind]);
      const used =
        kind === 'graphCertificate'
          ? config.graphAuthKind === 'certificate'
          : config.graphAuthKind === 'clientSecret' || config.graphAuthKind === 'sandbox';
      return {
        kind,
        name: names[kind],
        exists: info !== undefined,
        used,
        ...(info?.updatedOn ? { writtenAt: info.updatedOn.toISOString() } : {}),
      };
    }),
  );
  return [pbx, ...graphViews];
}
