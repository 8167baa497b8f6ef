export interface SandboxUser {
  id: string;
  displayName?: string | null | undefined;
  givenName?: string | null | undefined;
  surname?: string | null | undefined;
  mail?: string | null | undefined;
  userPrincipalName: string;
  mobilePhone?: string | null | undefined;
  businessPhones: string[];
  department?: string | null | undefined;
  jobTitle?: string | null | undefined;
  accountEnabled: boolean;
  userType: 'Member' | 'Guest';
  employeeId?: string | null | undefined;
  onPremisesExtensionAttributes?: Record<string, string | null> | undefined;
}

/** member ids may name users or nested groups (transitive membership resolves them). */
export interface SandboxGroup {
  id: string;
  displayName: string;
  memberIds: string[];
}

/** Graph's default property set for users (and /users/delta) when no $select is given. */
export const DEFAULT_USER_PROPERTIES = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
];

/** A copy that shares no arrays or objects with the caller, so tests cannot change the tenant behind its back. */
export function copyUser(user: SandboxUser): SandboxUser {
  const copy: SandboxUser = { ...user, businessPhones: [...user.businessPhones] };
  if (user.onPremisesExtensionAttributes) copy.onPremisesExtensionAttributes = { ...user.onPremisesExtensionAttributes };
  return copy;
}
