import { type UserSyncOptions } from './usersOptions';
import { type GraphUser } from '../../graph/GraphUser';
import { AppError } from '../../core/errors/AppError';

/** Why a user is outside the sync scope; reported per run so every directory user is accounted for. */
export type ScopeExclusion = 'guest' | 'notIncluded' | 'excluded' | 'notInGroups';

/**
 * Whether a user is outside the sync scope, and why. `groupMemberIds` is required for GROUPS scope (the union
 * of the listed groups' transitive members, read at the start of the run).
 */
export function scopeExclusionFor(
  user: GraphUser,
  options: UserSyncOptions,
  groupMemberIds?: ReadonlySet<string>,
): ScopeExclusion | undefined {
  if (user.userType?.toLowerCase() === 'guest' && !options.syncGuests) return 'guest';
  const scope = options.scope;
  const refs = () => [user.id.toLowerCase(), user.userPrincipalName?.toLowerCase() ?? ''];
  switch (scope.mode) {
    case 'ALL':
      return undefined;
    case 'INCLUDE':
      return refs().some((r) => scope.users.includes(r)) ? undefined : 'notIncluded';
    case 'EXCLUDE':
      return refs().some((r) => scope.users.includes(r)) ? 'excluded' : undefined;
    case 'GROUPS':
      if (!groupMemberIds) throw new AppError('INTERNAL', 'GROUPS scope needs the group member ids');
      return groupMemberIds.has(user.id.toLowerCase()) ? undefined : 'notInGroups';
  }
}
