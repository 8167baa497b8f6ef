import { type PbxAccount } from '../ports/PbxAccount';
import { type PbxPortalAccess } from '../ports/PbxPortalAccess';
import { type NoUserAccessReason, type PortalPasswords } from '../ports/PortalPasswords';
import { generatePassword } from './generateCredentials';
import { type PortSipApi } from './PortSipApi';
import { type PortSipPasswordPolicy } from './PortSipPasswordPolicy';
import { PortSipUserSchema } from './portSipSchemas';
import { type PortSipUserSessions } from './PortSipUserSessions';

const id = (value: string) => encodeURIComponent(value);

/**
 * The PortSIP v22 adapter of the PbxPortalAccess port: whether a session as the user works, and the admin's
 * reset of a user's portal password (`POST /api/users/{id}/password`) to one the connector generates and keeps.
 */
export class PortSipPortalAccess implements PbxPortalAccess {
  constructor(
    private readonly admin: PortSipApi,
    private readonly policy: PortSipPasswordPolicy,
    private readonly passwords: PortalPasswords,
    private readonly sessions: PortSipUserSessions,
  ) {}

  check(account: PbxAccount): Promise<NoUserAccessReason | null> {
    return this.sessions.check(account);
  }

  /**
   * The new password is kept before PortSIP gets it (write-ahead: a crash between the two leaves the kept one
   * new and a later reset repairs it, never a password nobody knows), then set, then the cached session dropped.
   */
  async resetPassword(account: PbxAccount): Promise<void> {
    const what = `resetting the portal password of user ${account.id}`;
    // The policy may forbid the account's details inside the password: its name, extension number and e-mail.
    const user = await this.admin.read(PortSipUserSchema, 'GET', `/users/${id(account.id)}`, { what });
    const password = generatePassword(await this.policy.read(), [user.name, user.extension_number, user.email.split('@')[0] ?? '']);
    await this.passwords.replace(account.userName, password);
    await this.admin.call('POST', `/users/${id(account.id)}/password`, {
      what,
      subject: account.userName,
      body: { password },
      secrets: [password],
    });
    this.sessions.forget(account.userName);
  }
}
