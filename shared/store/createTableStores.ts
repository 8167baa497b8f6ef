import { type DeltaStateStore } from './DeltaStateStore';
import { type LinkStore } from './LinkStore';
import { type PendingUserStore } from './PendingUserStore';
import { type RunStore } from './RunStore';
import { type ScheduleStateStore } from './ScheduleStateStore';
import { TableDeltaStateStore } from './TableDeltaStateStore';
import { TableLinkStore } from './TableLinkStore';
import { TablePendingUserStore } from './TablePendingUserStore';
import { TableRunStore } from './TableRunStore';
import { TableScheduleStateStore } from './TableScheduleStateStore';
import { TableSubscriptionStore } from './TableSubscriptionStore';
import { type SubscriptionStore } from './SubscriptionStore';
import { TableTenantStore } from './TableTenantStore';
import { type TenantStore } from './TenantStore';
import { type TableStorageOptions, createTableClients } from './createTableClients';

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
