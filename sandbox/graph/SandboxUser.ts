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

/**
 * member ids may name users or nested groups (transitive membership resolves them). Without the type
 * properties a group is a security group: groupTypes [], securityEnabled true, mailEnabled false.
 */
export interface SandboxGroup {
  id: string;
  displayName: string;
  memberIds: string[];
  /** `Unified` makes a Microsoft 365 group (the only kind that can be soft-deleted and restored). */
  groupTypes?: string[] | undefined;
  securityEnabled?: boolean | undefined;
  mailEnabled?: boolean | undefined;
}

/** The group properties Graph reports (and delta tracks); `memberIds` are the sandbox's own. */
export interface SandboxGroupProperties {
  displayName: string;
  groupTypes: string[];
  securityEnabled: boolean;
  mailEnabled: boolean;
}

export const GROUP_PROPERTY_NAMES = ['displayName', 'groupTypes', 'securityEnabled', 'mailEnabled'] as const;

/** Graph's property set for groups when no $select is given (the sandbox keeps it to what it models). */
export const DEFAULT_GROUP_PROPERTIES = ['id', ...GROUP_PROPERTY_NAMES];

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
