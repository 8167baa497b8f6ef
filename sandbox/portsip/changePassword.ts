import { passwordProblem } from './passwordRules';
import { validationFailed } from './PbxError';
import { type PbxTenant } from './PbxTenant';
import { type UserRecord } from './UserDirectory';

/**
 * A user's new portal password, checked against the tenant policy. Every session of the user ends (⚠ whether
 * PortSIP signs a user out when the password changes is undocumented; ending them is the stricter case), and a
 * pending forced reset is satisfied (⚠ whether an admin's reset instead asks the user for a new password at the
 * next sign-in is undocumented too).
 */
export function changePassword(tenant: PbxTenant, record: UserRecord, password: string): void {
  const problem = passwordProblem(password, tenant.passwordPolicy, record.user.name);
  if (problem) throw validationFailed('password', problem);
  record.passwords = { password, extension_password: record.passwords?.extension_password ?? '' };
  record.forcePasswordReset = false;
  tenant.tokens.signOutUser(record.user.id);
}
