import { type UserLink } from '../../engine/LinkStore';
import { type GraphUser, type RemovedUser } from '../../graph/GraphUser';
import { type UserAction } from './UserPlan';
import { type UserSyncRun } from './UserSyncRun';
import { removalAction } from './planUserChanges';

/**
 * Changes that a users delta round cannot show: group membership (GROUPS scope; a membership change does
 * not touch the user object: ScopeMembership knows who joined or left) and users whose last write failed for good (re-read by id every run until
 * they succeed). Users the round already read are left out: they are settled.
 */
export async function reconcileOutsideTheRound(run: UserSyncRun): Promise<void> {
  const { deps, request, seen, pendingIds, scope } = run;
  const toRead = new Set([...pendingIds].filter((id) => !seen.has(id)));
  if (scope?.complete) {
    const links = await run.links();
    for (const id of scope.members) if (!links.has(id) && !seen.has(id)) toRead.add(id);
    await run.execute(groupLeavers(run, scope.members, links.values()));
  } else if (scope) {
    // Only the users whose membership changed: members are read (a rejoining user may be re-enabled), the
    // others, if synced, leave.
    const candidates = [...scope.candidates].filter((id) => !seen.has(id));
    await scope.check(candidates);
    const links = await run.linksOf(candidates);
    for (const id of candidates) if (scope.members.has(id)) toRead.add(id);
    const candidateLinks = candidates.flatMap((id) => links.get(id) ?? []);
    await run.execute(groupLeavers(run, scope.members, candidateLinks));
  }
  if (toRead.size === 0) return;
  const users: GraphUser[] = [];
  const removed: RemovedUser[] = [];
  for (const id of toRead) {
    const user = await deps.directoryReader.getUser(id);
    if (user) users.push(user);
    // Gone from /users: restorable while in the deleted items (as delta's `changed`), else purged (`deleted`).
    else if ((await run.linksOf([id])).has(id))
      removed.push({ id, reason: (await deps.directoryReader.isDeletedUser(id)) ? 'changed' : 'deleted' });
    else if (pendingIds.delete(id) && !request.dryRun) await deps.pendingUsers.remove(deps.tenantId, id); // gone, nothing of ours to undo
  }
  await run.planAndApply(users, removed);
}

/** Linked users no longer in the synced groups (and not read this run): the out-of-scope policy applies. */
function groupLeavers(run: UserSyncRun, members: Set<string>, links: Iterable<UserLink>): UserAction[] {
  const leavers: UserAction[] = [];
  for (const link of links) {
    if (members.has(link.objectId.toLowerCase()) || run.seen.has(link.objectId)) continue;
    const action = removalAction(link, run.deps.options.onOutOfScope, 'user is no longer a member of the synced groups');
    if (action) leavers.push(action);
    run.seen.add(link.objectId);
  }
  return leavers;
}
