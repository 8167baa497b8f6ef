export interface SandboxUser {
  id: string;
  displayName?: string | null;
  givenName?: string | null;
  surname?: string | null;
  mail?: string | null;
  userPrincipalName: string;
  mobilePhone?: string | null;
  businessPhones: string[];
  department?: string | null;
  jobTitle?: string | null;
  accountEnabled: boolean;
  userType: 'Member' | 'Guest';
  employeeId?: string | null;
  onPremisesExtensionAttributes?: Record<string, string | null>;
}

/** member ids may name users or nested groups (transitive membership resolves them). */
export interface SandboxGroup {
  id: string;
  displayName: string;
  memberIds: string[];
}

/** Graph's default property set for users (and /users/delta) when no $select is given. */
export const DEFAULT_USER_PROPERTIES = ['businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName', 'id'];

/** A copy that shares no arrays or objects with the caller, so tests cannot change the tenant behind its back. */
export function copyUser(user: SandboxUser): SandboxUser {
  const copy: SandboxUser = { ...user, businessPhones: [...user.businessPhones] };
  if (user.onPremisesExtensionAttributes) copy.onPremisesExtensionAttributes = { ...user.onPremisesExtensionAttributes };
  return copy;
}
