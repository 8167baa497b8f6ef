import { type PbxAccount } from './PbxAccount';
import { type NoUserAccessReason } from './PortalPasswords';

/**
 * Port: the connector's own access to users' portal accounts, for products where per-user features need a
 * session as the user (PortSIP). Absent for products whose admin API does those writes itself.
 */
export interface PbxPortalAccess {
  /** Whether a session as the user works now: null when it does, else why not (sessions are cached). */
  check(account: PbxAccount): Promise<NoUserAccessReason | null>;
  /**
   * Sets a new generated portal password with the admin token and keeps it (users.manageUserPasswords; only
   * for users the connector created — the caller checks the link's origin). The user then signs in to the
   * portal with Microsoft, or asks their admin.
   */
  resetPassword(account: PbxAccount): Promise<void>;
}
