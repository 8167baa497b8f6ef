import { AppError, isAppError } from '../core/errors/AppError';

/**
 * Reads a credential a tenant's configuration names. A missing one is the tenant's problem, not a missing
 * API resource: it becomes NOT_READY (409) saying which setting names it and what to do, instead of a 404
 * that reads as "no such tenant".
 */
export async function requireTenantCredential<T>(tenantId: string, setting: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (isAppError(err, 'NOT_FOUND')) {
      throw new AppError(
        'NOT_READY',
        `tenant ${tenantId} cannot connect: ${err.message}. Store it, or change ${setting} in the tenant configuration to one that exists`,
        { cause: err, details: { setting } },
      );
    }
    if (isAppError(err, 'NOT_READY')) {
      throw new AppError('NOT_READY', `tenant ${tenantId} cannot connect: ${err.message} (${setting})`, {
        cause: err,
        details: { setting },
      });
    }
    throw err;
  }
}
