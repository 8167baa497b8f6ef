import { DirectoryReader } from '../graph/DirectoryReader';
import { PbxClient } from '../pbx/PbxClient';
import { JobQueue } from '../queue/JobQueue';
import { SecretStore } from '../secrets/SecretStore';
import { DeltaStateStore } from '../store/DeltaStateStore';
import { LinkStore } from '../store/LinkStore';
import { PendingUserStore } from '../store/PendingUserStore';
import { RunStore } from '../store/RunStore';
import { ScheduleStateStore } from '../store/ScheduleStateStore';
import { TenantRecord, TenantStore } from '../store/TenantStore';

/** The Graph and PBX adapters for one tenant. */
export interface TenantConnectors {
  directoryReader: DirectoryReader;
  pbx: PbxClient;
}

/** Everything a function needs, built once per process (composition root: createServices). */
export interface Services {
  tenants: TenantStore;
  deltaStates: DeltaStateStore;
  links: LinkStore;
  runs: RunStore;
  pendingUsers: PendingUserStore;
  scheduleState: ScheduleStateStore;
  secrets: SecretStore;
  queue: JobQueue;
  connectorsFor(tenant: TenantRecord): Promise<TenantConnectors>;
  syncConcurrency: number;
}
