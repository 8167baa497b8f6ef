import { type Logger } from '../core/logging/Logger';
import { ensureError } from '../core/errors/ensureError';
import { type TimerJob } from './jobs/SyncJob';
import { type Services } from './Services';
import { type FeatureContextDeps, featureContext } from './featureContext';
import { featureTimers } from './featureTimers';
import { withWriterLease } from './withWriterLease';

/** What a timer job uses. */
export type TimerJobDeps = Pick<Services, 'tenants' | 'features' | 'queue' | 'leases' | 'connectorsFor'> &
  FeatureContextDeps & {
    /** The clock (tests move it); default: the system clock. */
    clock?: (() => Date) | undefined;
  };

/**
 * A feature's timer is due: the feature's onTimer runs under its lane's writer lease with an ordinary context.
 * A tenant that is gone or disabled, or a feature turned off, drops it. A failure is retried by the queue (a
 * transition missed is a status left wrong), and the feature's own key check makes a late or repeated run
 * harmless.
 */
export async function processTimerJob(deps: TimerJobDeps, job: TimerJob, jobLog: Logger): Promise<void> {
  const log = jobLog.with({ tenant: job.tenantId, job: job.jobId, feature: job.feature });
  const tenant = await deps.tenants.get(job.tenantId);
  const feature = deps.features.has(job.feature) ? deps.features.get(job.feature) : undefined;
  const options = tenant?.config.enabled && feature ? feature.optionsFor(tenant.config) : undefined;
  if (!tenant || !feature || options === undefined || !feature.onTimer) {
    log.info('timer dropped: the tenant is gone or disabled, or the feature is off');
    return;
  }
  const lane = feature.manifest.lane;
  try {
    await withWriterLease(deps.leases, { tenantId: tenant.id, lane }, job.jobId, log, async () => {
      const connectors = await deps.connectorsFor(tenant, lane);
      const context = featureContext(deps, tenant, connectors, options, job.feature, log);
      context.timers = featureTimers(deps, tenant.id, feature.manifest, deps.clock);
      context.clock = deps.clock;
      await feature.onTimer!(context, { subject: job.subject, key: job.key, at: new Date(job.at) });
    });
  } catch (err) {
    log.warn('timer failed; the queue delivers it again', { error: ensureError(err).message });
    throw err;
  }
}
