import { type PbxPresenceChanges } from './PbxPresenceChanges';
import { type PbxPresenceState } from './PbxPresenceState';

/**
 * Port (not implemented yet): DND and status per extension, addressed by PBX user id. It writes presence
 * fields only (never a display name or any other PbxUserFields key). What an adapter may write follows
 * PbxProfile.adminCanWritePresence: with `dndOnly` (PortSIP's admin: the `enable_dnd` flag) a change of
 * `status` or `statusNote` is refused with FORBIDDEN, so a planner reads the profile before it plans.
 */
export interface PbxPresence {
  getPresence(userId: string): Promise<PbxPresenceState>;
  /** Sends only the given fields. */
  setPresence(userId: string, changes: PbxPresenceChanges): Promise<void>;
}
