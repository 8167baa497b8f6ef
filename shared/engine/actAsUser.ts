import { type LinkedUser } from './LinkedUsers';
import { type PbxPortalAccess } from '../pbx/ports/PbxPortalAccess';
import { type NoUserAccessReason, noUserAccessReasonOf } from '../pbx/ports/PortalPasswords';

export type UserAccessOutcome<T> = { ok: true; value: T } | { ok: false; reason: NoUserAccessReason };

/** Reasons a new password mends (two-factor sign-in is the user's choice, and adopted users are never touched). */
const MENDABLE: ReadonlySet<NoUserAccessReason> = new Set(['noPasswordKept', 'passwordRejected', 'passwordResetRequired']);

/**
 * Runs work that writes as `owner` on the PBX (personal contacts, the picture). A user the connector adopted
 * is never acted as. When the PBX refuses the session, the reason comes back instead of an error; with
 * manageUserPasswords a user the connector created gets a new portal password and the work runs once more.
 */
export async function actAsUser<T>(
  deps: { portalAccess?: PbxPortalAccess | undefined; manageUserPasswords: boolean },
  owner: LinkedUser,
  work: () => Promise<T>,
): Promise<UserAccessOutcome<T>> {
  if (owner.origin === 'adopted') return { ok: false, reason: 'adopted' };
  const attempt = async (): Promise<UserAccessOutcome<T>> => {
    try {
      return { ok: true, value: await work() };
    } catch (err) {
      const reason = noUserAccessReasonOf(err);
      if (!reason) throw err;
      return { ok: false, reason };
    }
  };
  const first = await attempt();
  if (first.ok || !deps.manageUserPasswords || !deps.portalAccess || !MENDABLE.has(first.reason)) return first;
  await deps.portalAccess.resetPassword({ id: owner.pbxUserId, userName: owner.pbxUserName });
  return attempt();
}

/** A person's words for a reason (run issues and the status API). */
export function describeNoUserAccess(reason: NoUserAccessReason): string {
  switch (reason) {
    case 'adopted':
      return 'the connector adopted this extension and never sets the password of an extension it did not create';
    case 'noPasswordKept':
      return 'the connector keeps no portal password for this user (created before it kept them); turn on users.manageUserPasswords to give them a new one';
    case 'passwordRejected':
      return 'the PBX refused the portal password the connector kept (the user changed it); turn on users.manageUserPasswords to give them a new one';
    case 'passwordResetRequired':
      return 'the PBX asks the user to choose a new portal password first; turn on users.manageUserPasswords to set one';
    case 'twoFactorRequired':
      return 'the user signs in to the PBX with two-factor authentication, so the connector cannot act as them';
  }
}
