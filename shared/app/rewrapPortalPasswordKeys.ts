import { rewrapTenantDataKeys } from '../credentials/portalPasswords/rewrapTenantDataKeys';
import { ensureError } from '../core/errors/ensureError';
import { type Logger } from '../core/logging/Logger';
import { type Services } from './Services';

/** Data keys re-wrapped per timer run at most (100 each): the next run goes on. */
const MAX_PAGES = 20;

/**
 * Called by the maintenance timer: once the portal password key has a new version (Key Vault's yearly rotation
 * policy, or a rotation by hand), re-wraps the tenants' data keys with it, so the old version can be disabled
 * later. Only data keys under an older version are read, so a run with nothing to do costs one key read and one
 * table query. Never throws: a failure is logged and the next run tries again (older versions still unwrap).
 */
export async function rewrapPortalPasswordKeys(deps: Pick<Services, 'tenantDataKeys' | 'portalPasswordKey'>, log: Logger): Promise<void> {
  if (!deps.portalPasswordKey) return;
  try {
    const report = await rewrapTenantDataKeys(
      { dataKeys: deps.tenantDataKeys, keyWrapper: deps.portalPasswordKey },
      { maxPages: MAX_PAGES },
    );
    if (report.rewrapped > 0 || report.failed.length > 0)
      log.info('re-wrapped tenant data keys with the current portal password key version', {
        keyId: report.keyId,
        rewrapped: report.rewrapped,
        failed: report.failed.length,
        done: report.done,
      });
    for (const failure of report.failed.slice(0, 10))
      log.warn('a tenant data key could not be re-wrapped', {
        tenant: failure.tenantId,
        version: failure.version,
        code: failure.code,
        error: failure.message,
      });
  } catch (err) {
    log.warn('re-wrapping the tenant data keys failed; the next run tries again', { error: ensureError(err).message });
  }
}
