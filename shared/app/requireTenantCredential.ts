import { AppError, isAppError } from '../core/errors/AppError';
import { secretWriteRoute, tenantSecretNames } from '../platform/secrets/tenantSecretNames';

/** Which of the tenant's credentials is read: its PBX admin, or its Graph app (secret, certificate or sandbox token). */
export type TenantCredentialKind = 'pbx' | 'graph' | 'graphCertificate';

const described: Record<TenantCredentialKind, string> = {
  pbx: 'PBX credential',
  graph: 'Graph credential',
  graphCertificate: 'Graph certificate',
};

/**
 * Reads one of the tenant's own credentials (named by the connector after the tenant id: tenantSecretNames).
 * A missing or unusable one is the tenant's problem, not a missing API resource: it becomes NOT_READY (409)
 * naming the secret and the admin route that writes it, instead of a 404 that reads as "no such tenant".
 */
export async function requireTenantCredential<T>(tenantId: string, kind: TenantCredentialKind, read: () => Promise<T>): Promise<T> {
  const secret = tenantSecretNames(tenantId)[kind];
  const write = secretWriteRoute(tenantId, kind);
  const details = { secret, write };
  try {
    return await read();
  } catch (err) {
    if (isAppError(err, 'NOT_FOUND')) {
      throw new AppError(
        'NOT_READY',
        `tenant ${tenantId} cannot connect: its ${described[kind]} (secret ${secret}) is not written yet; ` +
          `write the ${described[kind]} with ${write}`,
        { cause: err, details },
      );
    }
    if (isAppError(err, 'NOT_READY')) {
      throw new AppError('NOT_READY', `tenant ${tenantId} cannot connect: ${err.message}`, { cause: err, details });
    }
    throw err;
  }
}
