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
}

/** Every Table Storage repository, over tables that exist once this resolves. */
export async function createTableStores(options: TableStorageOptions): Promise<TableStores> {
  const tables = await createTableClients(options);
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
  };
}
