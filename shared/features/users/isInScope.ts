import { type GraphUser } from '../../graph/GraphUser';
import { type UserSyncOptions } from './usersOptions';
import { scopeExclusionFor } from './scopeExclusionFor';

/** Whether a user belongs to the sync scope (see scopeExclusionFor for why one does not). */
export function isInScope(user: GraphUser, options: UserSyncOptions, groupMemberIds?: ReadonlySet<string>): boolean {
  return scopeExclusionFor(user, options, groupMemberIds) === undefined;
}
