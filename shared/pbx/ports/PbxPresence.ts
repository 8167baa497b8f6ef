import { type PbxAccount } from './PbxAccount';
import { type PbxPresenceChanges } from './PbxPresenceChanges';
import { type PbxPresenceReading } from './PbxPresenceState';

/**
 * Port: an extension's DND flag and status. It writes presence fields only (never a display name or any other
 * PbxUserFields key). What a write needs follows PbxProfile.adminCanWritePresence: with `dndOnly` (PortSIP)
 * the admin token sets `doNotDisturb` for anyone, while `status` and `statusNote` go through a session as the
 * user, which fails with a NoUserAccess error (see PortalPasswords.ts) for a user the adapter cannot act as —
 * the caller falls back to the DND flag and reports why.
 */
export interface PbxPresence {
  /** What the PBX shows for the extension now (admin read). */
  getPresence(account: PbxAccount): Promise<PbxPresenceReading>;
  /** Sends only the given fields; `doNotDisturb` with the admin token, `status`/`statusNote` as the user. */
  setPresence(account: PbxAccount, changes: PbxPresenceChanges): Promise<void>;
  /**
   * Whether the extension is on a call now (admin read): `onCall` while a call rings or lasts, `unknown` when
   * the PBX cannot tell (the phone is offline), else `idle`. Absent on a PBX whose adapter cannot read it (3CX).
   */
  callStatus?(account: PbxAccount): Promise<'onCall' | 'idle' | 'unknown'>;
}
