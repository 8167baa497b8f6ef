import { isAppError } from '../core/errors/AppError';
import { type Services } from '../app/Services';

/** What forgetting a tenant's subscriptions uses: the subscription table and the clientState secrets. */
export type ForgetTenantSubscriptionsDeps = Pick<Services, 'subscriptions' | 'secrets'>;

/**
 * Drops a tenant's subscription records and clientState secrets without calling Graph (the tenant is gone
 * or Graph is unreachable). Graph expires the subscriptions on its own; until then their notifications
 * are dropped as unknown.
 */
export async function forgetTenantSubscriptions(deps: ForgetTenantSubscriptionsDeps, tenantId: string): Promise<number> {
  const records = await deps.subscriptions.listForTenant(tenantId);
  for (const record of records) {
    await deps.subscriptions.remove(record.subscriptionId);
    await deps.secrets.deleteSecret(record.clientStateSecretName).catch((err: unknown) => {
      if (!isAppError(err, 'NOT_FOUND')) throw err;
    });
  }
  return records.length;
}
