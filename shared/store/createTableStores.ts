import { DeltaStateStore } from './DeltaStateStore';
import { LinkStore } from './LinkStore';
import { PendingUserStore } from './PendingUserStore';
import { RunStore } from './RunStore';
import { ScheduleStateStore } from './ScheduleStateStore';
import { TableDeltaStateStore } from './TableDeltaStateStore';
import { TableLinkStore } from './TableLinkStore';
import { TablePendingUserStore } from './TablePendingUserStore';
import { TableRunStore } from './TableRunStore';
import { TableScheduleStateStore } from './TableScheduleStateStore';
import { TableSubscriptionStore } from './TableSubscriptionStore';
import { SubscriptionStore } from './SubscriptionStore';
import { TableTenantStore } from './TableTenantStore';
import { TenantStore } from './TenantStore';
import { TableStorageOptions, createTableClients } from './createTableClients';

export interface TableStores {
  tenants: TenantStore;
  deltaStates: DeltaStateStore;
  links: LinkStore;
  runs: RunStore;
  pendingUsers: PendingUserStore;
  scheduleState: ScheduleStateStore;
  subscriptions: SubscriptionStore;
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
  };
}
