import { type PbxNewUser } from '../../shared/pbx/ports/PbxNewUser';

/** A new PBX user "User <n>" (user<n>, extension 1000 + n, user<n>@contoso.com, Sales) for a PBX adapter to create. */
export function numberedPbxUser(n: number): PbxNewUser {
  return {
    userName: `user${n}`,
    extensionNumber: String(1000 + n),
    displayName: `User ${n}`,
    email: `user${n}@contoso.com`,
    mobilePhone: '',
    workPhone: '+1 425 555 0100',
    department: 'Sales',
    enabled: true,
  };
}
