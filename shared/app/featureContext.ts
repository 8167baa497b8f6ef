import { type Logger } from '../core/logging/Logger';
import { type FeatureContext } from '../features/Feature';
import { type Services, type TenantConnectors, type TenantStateStoreName } from './Services';
import { type TenantRecord } from './TenantStore';
import { type RunChangeRecorder } from '../engine/RunChangeRecorder';
import { type LinkEventLog } from '../engine/LinkEventLog';
import { LinkEventingLinkStore } from '../engine/LinkEventingLinkStore';
import { linkedUsersOf } from '../engine/LinkedUsers';

/** What a feature run is cut from: the stores and settings of the process (not the whole bag). */
export type FeatureContextDeps = Pick<Services, TenantStateStoreName | 'pendingUsers' | 'syncConcurrency'>;

/**
 * The narrow dependencies a feature run gets. With a LinkEventLog, every link write the run makes is
 * reported to it (see LinkEventingLinkStore); dry runs write nothing and pass none.
 */
export function featureContext<Options>(
  deps: FeatureContextDeps,
  tenant: TenantRecord,
  connectors: TenantConnectors,
  options: Options,
  feature: string,
  log: Logger,
  changes?: RunChangeRecorder,
  linkEvents?: LinkEventLog,
): FeatureContext<Options> {
  return {
    tenantId: tenant.id,
    options,
    directoryReader: connectors.directoryReader,
    pbx: connectors.pbx,
    pbxProfile: connectors.pbxProfile,
    deltaStates: deps.deltaStates,
    links: linkEvents ? new LinkEventingLinkStore(deps.links, linkEvents) : deps.links,
    linkedUsers: linkedUsersOf(deps.links, tenant.id),
    pendingUsers: deps.pendingUsers,
    pbxGroups: connectors.pbxGroups,
    groupLinks: deps.groupLinks,
    groupMembers: deps.groupMembers,
    linkEventInbox: {
      list: (limit) => deps.linkEventInbox.list(tenant.id, feature, limit),
      remove: (ids) => deps.linkEventInbox.remove(tenant.id, feature, ids),
    },
    numberQuarantine: deps.numberQuarantine,
    mailboxReader: connectors.mailboxReader,
    pbxContacts: { company: connectors.pbxCompanyContacts, personal: connectors.pbxPersonalContacts },
    pbxAvatars: connectors.pbxAvatars,
    pbxPortalAccess: connectors.pbxPortalAccess,
    contactLinks: deps.contactLinks,
    contactSources: deps.contactSources,
    photoStates: deps.photoStates,
    presenceReader: connectors.presenceReader,
    pbxPresence: connectors.pbxPresence,
    teamsPresence: connectors.teamsPresence,
    graphApplicationId: connectors.graphApplicationId,
    presenceStates: deps.presenceStates,
    presenceHistory: deps.presenceHistory,
    manageUserPasswords: tenant.config.users.manageUserPasswords,
    concurrency: Math.min(deps.syncConcurrency, tenant.config.pbx.maxConcurrency),
    log,
    changes,
  };
}
