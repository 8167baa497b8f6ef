/** The built-in roles the spec lists (GET /roles); the portal's "User" is StandardUser. */
export const BUILT_IN_ROLES: ReadonlyArray<{ name: string; description: string }> = [
  { name: 'SystemAdmin', description: 'The system administrator has almost all permissions.' },
  { name: 'Replicator', description: 'The application permissions collection.' },
  { name: 'Dealer', description: 'The sales manager has all sold tenant resource permissions.' },
  { name: 'Admin', description: 'The admin has all tenant-wide resource permissions.' },
  { name: 'StandardUser', description: 'The user has all user-wide resource permissions.' },
  {
    name: 'StandardInternationalUser',
    description: 'The user has all user-wide resource permissions with international call permissions.',
  },
  { name: 'QueueManager', description: 'The call queue manager.' },
];
