import { type DeltaStateStore } from '../../engine/DeltaStateStore';
import { type LinkStore } from '../../engine/LinkStore';
import { type PendingUserStore } from '../../engine/PendingUserStore';
import { type RunChangeStore } from '../../engine/RunChangeStore';
import { type RunStore } from '../../engine/RunStore';
import { type ScheduleStateStore } from '../../app/ScheduleStateStore';
import { TableDeltaStateStore } from './TableDeltaStateStore';
import { TableLinkStore } from './TableLinkStore';
import { TablePendingUserStore } from './TablePendingUserStore';
import { TableRunChangeStore } from './TableRunChangeStore';
import { TableRunStore } from './TableRunStore';
import { TableScheduleStateStore } from './TableScheduleStateStore';
import { TableSubscriptionStore } from './TableSubscriptionStore';
import { type SubscriptionStore } from '../../subscriptions/SubscriptionStore';
import { TableTenantStore } from './TableTenantStore';
import { TableWriterLeaseStore } from './TableWriterLeaseStore';
import { TableDeltaDemandStore } from './TableDeltaDemandStore';
import { type DeltaDemandStore } from '../../notifications/DeltaDemandStore';
import { TablePbxKeyStore } from './TablePbxKeyStore';
import { type PbxKeyStore } from '../../app/PbxKeyStore';
import { type WriterLeaseStore } from '../../engine/WriterLease';
import { type TenantStore } from '../../app/TenantStore';
import { type NumberQuarantineStore } from '../../engine/NumberQuarantineStore';
import { TableNumberQuarantineStore } from './TableNumberQuarantineStore';
import { type GroupLinkStore } from '../../engine/GroupLinkStore';
import { TableGroupLinkStore } from './TableGroupLinkStore';
import { type GroupMembershipStore } from '../../engine/GroupMembershipStore';
import { TableGroupMembershipStore } from './TableGroupMembershipStore';
import { type LinkEventInbox } from '../../engine/LinkEventInbox';
import { TableLinkEventInbox } from './TableLinkEventInbox';
import { type TableStorageOptions, createTableClients } from './createTableClients';
import { type CredentialStateStore } from '../../credentials/CredentialStateStore';
import { TableCredentialStateStore } from './TableCredentialStateStore';
import { type TenantDataKeyStore } from '../../credentials/portalPasswords/TenantDataKeyStore';
import { TableTenantDataKeyStore } from './TableTenantDataKeyStore';
import { type PortalPasswordStore } from '../../credentials/portalPasswords/PortalPasswordStore';
import { TenantDataKeys, type TenantDataKeysOptions } from '../../credentials/portalPasswords/TenantDataKeys';
import { TablePortalPasswordStore } from './TablePortalPasswordStore';
import { type KeyWrapper } from '../keys/KeyWrapper';
import { type ContactLinkStore } from '../../engine/ContactLinkStore';
import { TableContactLinkStore } from './TableContactLinkStore';
import { type ContactSourceStore } from '../../engine/ContactSourceStore';
import { TableContactSourceStore } from './TableContactSourceStore';
import { type PhotoStateStore } from '../../engine/PhotoStateStore';
import { TablePhotoStateStore } from './TablePhotoStateStore';
import { TablePresenceStateStore } from './TablePresenceStateStore';
import { TablePresenceHistory } from './TablePresenceHistory';
import { TablePollCycleStore } from './TablePollCycleStore';
import { type PresenceStateStore } from '../../engine/PresenceStateStore';
import { type PresenceHistory } from '../../engine/PresenceHistory';
import { type PollCycleStore } from '../../engine/PollCycleStore';
import { type AuditTrail } from '../../engine/AuditTrail';
import { TableAuditTrail } from './TableAuditTrail';

export interface TableStores {
  tenants: TenantStore;
  deltaStates: DeltaStateStore;
  links: LinkStore;
  runs: RunStore;
  pendingUsers: PendingUserStore;
  scheduleState: ScheduleStateStore;
  subscriptions: SubscriptionStore;
  /** Runs' per-item change lists (personal data: purged after RUN_CHANGES_RETENTION_DAYS). */
  runChanges: RunChangeStore;
  leases: WriterLeaseStore;
  /** Whether each tenant's feature has a delta job pending (DeltaDemand), shared by every instance. */
  deltaDemand: DeltaDemandStore;
  /** Tenant-scoped API keys of the PBX routes (hashes only). */
  pbxKeys: PbxKeyStore;
  /** Numbers freed by a delete, kept from reuse until their release date (users.numbering.quarantineDays). */
  numberQuarantine: NumberQuarantineStore;
  /** Entra group ↔ PBX group links (only the groups feature writes them). */
  groupLinks: GroupLinkStore;
  /** Group memberships as the groups feature last applied them, listed by group or by user. */
  groupMembers: GroupMembershipStore;
  /** Link events kept for a feature that handles them one by one (groups), oldest first. */
  linkEventInbox: LinkEventInbox;
  /** Which certificate version each tenant (and the shared app) signs in with, its rollover, and admin consent. */
  credentialStates: CredentialStateStore;
  /** Each tenant's data keys, wrapped by the portal password key (rewrapTenantDataKeys reads them after a key rotation). */
  tenantDataKeys: TenantDataKeyStore;
  /** Outlook contact ↔ PBX contact links, per source folder (only the contact features write them). */
  contactLinks: ContactLinkStore;
  /** The contact folders the contact features copy, so a folder or owner that is gone is cleaned up. */
  contactSources: ContactSourceStore;
  /** What the photos feature last set as each user's PBX picture. */
  photoStates: PhotoStateStore;
  /** Each synced user's presence record: what Teams said, what the connector set on the PBX and can set. */
  presenceStates: PresenceStateStore;
  /** Every status decision per user, newest first (the admin API shows it). */
  presenceHistory: PresenceHistory;
  /** Each tenant's polling per polling feature (presence): the chain's last slot and the last cycle's result. */
  pollCycles: PollCycleStore;
  /** Who did what to each tenant, newest first; kept when the tenant is disconnected (the record of who did it). */
  audit: AuditTrail;
  /** Portal passwords of the users the connector created (envelope encryption); only with a key wrapper. */
  portalPasswords?: PortalPasswordStore | undefined;
}

/** What the portal password store needs besides its tables: the key that wraps each tenant's data key. */
export interface PortalPasswordKeys {
  keyWrapper: KeyWrapper;
  /** The in-memory cache of unwrapped data keys (default: 1,000 tenants, 1 hour). */
  dataKeyCache?: TenantDataKeysOptions;
}

/** Every Table Storage repository, over tables that exist once this resolves; portal passwords only with `keys`. */
export async function createTableStores(options: TableStorageOptions, keys?: PortalPasswordKeys): Promise<TableStores> {
  const tables = await createTableClients(options);
  const tenantDataKeys = new TableTenantDataKeyStore(tables.tenantDataKeys);
  return {
    tenants: new TableTenantStore(tables.tenants),
    deltaStates: new TableDeltaStateStore(tables.deltaStates),
    links: new TableLinkStore(tables.links),
    runs: new TableRunStore(tables.runs),
    pendingUsers: new TablePendingUserStore(tables.pendingUsers),
    scheduleState: new TableScheduleStateStore(tables.scheduleState),
    subscriptions: new TableSubscriptionStore(tables.subscriptions),
    runChanges: new TableRunChangeStore(tables.runChanges),
    leases: new TableWriterLeaseStore(tables.leases),
    deltaDemand: new TableDeltaDemandStore(tables.deltaDemand),
    pbxKeys: new TablePbxKeyStore(tables.pbxKeys),
    numberQuarantine: new TableNumberQuarantineStore(tables.numberQuarantine),
    groupLinks: new TableGroupLinkStore(tables.groupLinks),
    groupMembers: new TableGroupMembershipStore(tables.groupMembers),
    linkEventInbox: new TableLinkEventInbox(tables.linkEventInbox),
    credentialStates: new TableCredentialStateStore(tables.credentialStates),
    tenantDataKeys,
    contactLinks: new TableContactLinkStore(tables.contactLinks),
    contactSources: new TableContactSourceStore(tables.contactSources),
    photoStates: new TablePhotoStateStore(tables.photoStates),
    presenceStates: new TablePresenceStateStore(tables.presenceStates),
    presenceHistory: new TablePresenceHistory(tables.presenceHistory),
    pollCycles: new TablePollCycleStore(tables.pollCycles),
    audit: new TableAuditTrail(tables.audit),
    ...(keys
      ? {
          portalPasswords: new TablePortalPasswordStore(
            tables.portalPasswords,
            new TenantDataKeys(tenantDataKeys, keys.keyWrapper, keys.dataKeyCache),
          ),
        }
      : {}),
  };
}
