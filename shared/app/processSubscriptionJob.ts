import { ensureError } from '../core/errors/ensureError';
import { isRetryable } from '../core/errors/isRetryable';
import { type SubscriptionJob } from './jobs/SyncJob';
import { type SubscriptionChanges, type SubscriptionUpkeepDeps, TenantSubscriptions } from '../subscriptions/TenantSubscriptions';
import { type ForgetTenantSubscriptionsDeps, forgetTenantSubscriptions } from '../subscriptions/forgetTenantSubscriptions';
import { type Services } from './Services';
import { type PbxEventRegistrationDeps, ensurePbxEventTarget, releasePbxEventTarget } from './pbxEventRegistration';
import { type PbxEventTarget } from '../pbx/ports/PbxEventTarget';
import { type TenantRecord } from './TenantStore';
import { usersToSubscribe } from '../subscriptions/wantedSubscriptions';
import { linkedUsersOf } from '../engine/LinkedUsers';
import { type Logger } from '../core/logging/Logger';
import { type GraphCredentialDeps, rollTenantCertificateIfManaged, warnIfGraphCredentialUnhealthy } from './graphCredentials';

/** What a subscription job uses: the tenant and its adapters, then the upkeep's (or forgetting's) dependencies. */
export type SubscriptionJobDeps = Pick<Services, 'tenants' | 'connectorsFor' | 'links'> &
  PbxEventRegistrationDeps &
  SubscriptionUpkeepDeps &
  ForgetTenantSubscriptionsDeps &
  GraphCredentialDeps;

/**
 * Runs a subscription job in the tenant's session. Retryable failures (Graph or storage unavailable) are
 * rethrown for redelivery; final ones (permission missing, endpoint validation failed) are logged, and the
 * next maintenance run tries again.
 */
export async function processSubscriptionJob(
  deps: SubscriptionJobDeps,
  job: SubscriptionJob,
  jobLog: Logger,
): Promise<SubscriptionChanges | undefined> {
  const logger = jobLog.with({ tenant: job.tenantId, job: job.jobId, feature: 'subscriptions' });
  const tenant = await deps.tenants.get(job.tenantId);
  if (!tenant) {
    // Deleted tenant: without its configuration Graph cannot be called; its subscriptions expire there.
    await forgetTenantSubscriptions(deps, job.tenantId);
    logger.info('the tenant no longer exists; its subscription records were removed');
    return undefined;
  }
  // The tenant's upkeep also checks its certificate's rollover first, so the maintenance that follows signs in
  // with the version the check settled on.
  if (job.action === 'maintain') {
    const credentialLog = logger.with({ feature: 'credentials' });
    await rollTenantCertificateIfManaged(deps, tenant, credentialLog);
    await warnIfGraphCredentialUnhealthy(deps, tenant, credentialLog);
  }
  try {
    const connectors = await deps.connectorsFor(tenant);
    const usersByFeature = await usersToSubscribe(
      tenant.config,
      deps.features,
      () => linkedUsersOf(deps.links, tenant.id).list(),
      connectors.directoryReader,
    );
    const subscriptions = new TenantSubscriptions(deps, tenant, connectors.subscriptions, logger, undefined, usersByFeature);
    const changes =
      job.action === 'maintain'
        ? await subscriptions.maintain()
        : job.action === 'reauthorize'
          ? await subscriptions.reauthorize(job.subscriptionId!)
          : await subscriptions.recreate(job.subscriptionId!);
    if (job.action === 'maintain') await keepPbxEventTarget(deps, tenant, connectors.pbxEventTarget, logger);
    const counts = Object.fromEntries(Object.entries(changes).map(([what, ids]) => [what, ids.length]));
    logger.info(`subscription ${job.action} done`, counts);
    for (const error of changes.errors) logger.error('subscription upkeep failed for good', { error });
    return changes;
  } catch (err) {
    logger.error('subscription job failed', { error: ensureError(err).message, willRetry: isRetryable(err) });
    if (isRetryable(err)) throw err;
    return undefined;
  }
}

/**
 * The PBX's event URL follows the call-state feature: pointed here while it is on (a URL that is someone else's
 * is reported, never overwritten), released when it is off and the connector had registered it. A failure is
 * logged; the next upkeep (every 30 minutes) tries again.
 */
async function keepPbxEventTarget(deps: SubscriptionJobDeps, tenant: TenantRecord, target: PbxEventTarget | undefined, log: Logger) {
  try {
    if (tenant.config.enabled && tenant.config.callState.enabled) {
      const registration = await ensurePbxEventTarget(deps, tenant, target, log);
      if (registration.state === 'conflict')
        log.warn('the PBX event URL is taken; call events will not arrive until it is freed or set by hand', {
          foreignUrl: registration.foreignUrl,
        });
    } else if ((await deps.pbxKeys.listForTenant(tenant.id)).some((k) => k.purpose === 'events')) {
      await releasePbxEventTarget(deps, tenant.id, target, log);
    }
  } catch (err) {
    log.warn('could not check the PBX event URL; the next upkeep tries again', { error: ensureError(err).message });
  }
}
