import { isAppError } from '../core/errors/AppError';
import { type Services } from '../app/Services';

/**
 * Drops a tenant's subscription records and clientState secrets without calling Graph (the tenant is gone
 * or Graph is unreachable). Graph expires the subscriptions on its own; until then their notifications
 * are dropped as unknown.
 */
export async function forgetTenantSubscriptions(services: Services, tenantId: string): Promise<number> {
  const records = await services.subscriptions.listForTenant(tenantId);
  for (const record of records) {
    await services.subscriptions.remove(record.subscriptionId);
    await services.secrets.deleteSecret(record.clientStateSecretName).catch((err: unknown) => {
      if (!isAppError(err, 'NOT_FOUND')) throw err;
    });
  }
  return records.length;
}
