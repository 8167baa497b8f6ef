import { type GraphUser } from '../graph/GraphUser';
import { type UserSyncOptions } from '../config/TenantConfig';

/**
 * Whether a user belongs to the sync scope. `groupMemberIds` is required for GROUPS scope (the union of the
 * listed groups' transitive members, read at the start of the run).
 */
export function isInScope(user: GraphUser, options: UserSyncOptions, groupMemberIds?: ReadonlySet<string>): boolean {
  if (user.userType?.toLowerCase() === 'guest' && !options.syncGuests) return false;
  const scope = options.scope;
  const refs = () => [user.id.toLowerCase(), user.userPrincipalName?.toLowerCase() ?? ''];
  switch (scope.mode) {
    case 'ALL':
      return true;
    case 'INCLUDE':
      return refs().some((r) => scope.users.includes(r));
    case 'EXCLUDE':
      return !refs().some((r) => scope.users.includes(r));
    case 'GROUPS':
      if (!groupMemberIds) throw new Error('GROUPS scope needs the group member ids');
      return groupMemberIds.has(user.id.toLowerCase());
  }
}
