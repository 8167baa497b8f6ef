import { type Logger } from '../core/logging/Logger';
import { type FeatureContext } from '../features/Feature';
import { type Services, type TenantConnectors } from './Services';
import { type TenantRecord } from './TenantStore';
import { type RunChangeRecorder } from '../engine/RunChangeRecorder';

/** The narrow dependencies a feature run gets, cut from the process's services. */
export function featureContext<Options>(
  services: Services,
  tenant: TenantRecord,
  connectors: TenantConnectors,
  options: Options,
  log: Logger,
  changes?: RunChangeRecorder,
): FeatureContext<Options> {
  return {
    tenantId: tenant.id,
    options,
    directoryReader: connectors.directoryReader,
    pbx: connectors.pbx,
    pbxProfile: connectors.pbxProfile,
    deltaStates: services.deltaStates,
    links: services.links,
    pendingUsers: services.pendingUsers,
    concurrency: Math.min(services.syncConcurrency, tenant.config.pbx.maxConcurrency),
    log,
    changes,
  };
}
