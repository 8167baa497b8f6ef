import { type Logger } from '../../core/logging/Logger';
import { type DeltaStateStore } from '../../engine/DeltaStateStore';
import { type LinkStore } from '../../engine/LinkStore';
import { type NumberQuarantineStore } from '../../engine/NumberQuarantineStore';
import { type PendingUserStore } from '../../engine/PendingUserStore';
import { type RunChangeRecorder } from '../../engine/RunChangeRecorder';
import { type RunProgress } from '../../engine/RunProgress';
import { type DirectoryReader } from '../../graph/DirectoryReader';
import { type PbxClient } from '../../pbx/ports/PbxClient';
import { type PbxProfile } from '../../pbx/ports/PbxProfile';
import { type UserSyncOptions } from './usersOptions';

export interface UserSyncDeps {
  tenantId: string;
  options: UserSyncOptions;
  directoryReader: DirectoryReader;
  pbx: PbxClient;
  /** The PBX product's rules the planner applies. */
  pbxProfile: PbxProfile;
  deltaStates: DeltaStateStore;
  links: LinkStore;
  pendingUsers: PendingUserStore;
  /**
   * Numbers freed by a delete, kept from reuse for `numbering.quarantineDays`. Absent: nothing is quarantined
   * or honoured (callers that keep none, e.g. some tests); every feature context has it.
   */
  numberQuarantine?: NumberQuarantineStore | undefined;
  /** PBX writes in flight (the PBX client rate-limits on top). */
  concurrency: number;
  log?: Logger | undefined;
  now?: () => Date;
  /** The run's per-item change list (absent for dry runs and callers that keep none). */
  changes?: RunChangeRecorder | undefined;
  /** The run's progress, told a full round's expected size (absent for dry runs and callers that report none). */
  progress?: RunProgress | undefined;
}

export interface UserSyncRequest {
  mode: 'full' | 'delta';
  dryRun: boolean;
}
