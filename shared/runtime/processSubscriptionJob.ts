import { ensureError } from '../errors/ensureError';
import { isRetryable } from '../errors/isRetryable';
import { type SubscriptionJob } from '../queue/SyncJob';
import { type SubscriptionChanges, TenantSubscriptions } from '../subscriptions/TenantSubscriptions';
import { forgetTenantSubscriptions } from '../subscriptions/forgetTenantSubscriptions';
import { type JobLogger } from './processSyncJob';
import { type Services } from './Services';

/**
 * Runs a subscription job in the tenant's session. Retryable failures (Graph or storage unavailable) are
 * rethrown for redelivery; final ones (permission missing, endpoint validation failed) are logged, and the
 * next maintenance run tries again.
 */
export async function processSubscriptionJob(
  services: Services,
  job: SubscriptionJob,
  logger: JobLogger,
): Promise<SubscriptionChanges | undefined> {
  const tenant = await services.tenants.get(job.tenantId);
  if (!tenant) {
    // Deleted tenant: without its configuration Graph cannot be called; its subscriptions expire there.
    await forgetTenantSubscriptions(services, job.tenantId);
    logger.log(`tenant ${job.tenantId} no longer exists; its subscription records were removed`);
    return undefined;
  }
  try {
    const connectors = await services.connectorsFor(tenant);
    const subscriptions = new TenantSubscriptions(services, tenant, connectors.subscriptions, logger.log);
    const changes =
      job.action === 'maintain'
        ? await subscriptions.maintain()
        : job.action === 'reauthorize'
          ? await subscriptions.reauthorize(job.subscriptionId!)
          : await subscriptions.recreate(job.subscriptionId!);
    const summary = Object.entries(changes)
      .filter(([, ids]) => ids.length > 0)
      .map(([what, ids]) => `${what} ${ids.length}`)
      .join(', ');
    logger.log(`subscriptions of ${tenant.id} (${job.action}): ${summary || 'nothing to do'}`);
    for (const error of changes.errors) logger.error(`subscriptions of ${tenant.id}: ${error}`);
    return changes;
  } catch (err) {
    logger.error(`subscription job ${job.jobId} of ${tenant.id} failed: ${ensureError(err).message}`);
    if (isRetryable(err)) throw err;
    return undefined;
  }
}
