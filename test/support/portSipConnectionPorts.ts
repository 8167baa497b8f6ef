/**
 * The ports a PortSIP connection offers, sorted: `plain` without kept portal passwords, `withPortalPasswords`
 * when the connector keeps them (the per-user ports need them to sign in as each user).
 */
export const portSipConnectionPorts = {
  plain: ['companyContacts', 'eventTarget', 'groups', 'presence', 'profile', 'users'],
  withPortalPasswords: [
    'avatars',
    'companyContacts',
    'eventTarget',
    'groups',
    'personalContacts',
    'portalAccess',
    'presence',
    'profile',
    'users',
  ],
} as const;
