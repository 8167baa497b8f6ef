import { type SandboxUser } from '../../sandbox/graph/SandboxUser';

/** A stable, valid object id for test user `n`. */
export const numberedGuid = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** A plain, syncable member "<Name> User <n>" (<name><n>@contoso.com, Sales) for the sandbox Graph tenant. */
export function numberedUser(n: number, name: string, extra: Partial<SandboxUser> = {}): SandboxUser {
  return {
    id: numberedGuid(n),
    givenName: name,
    surname: `User ${n}`,
    displayName: `${name} User ${n}`,
    userPrincipalName: `${name.toLowerCase()}${n}@contoso.com`,
    mail: `${name.toLowerCase()}${n}@contoso.com`,
    businessPhones: [],
    accountEnabled: true,
    userType: 'Member',
    department: 'Sales',
    ...extra,
  };
}
