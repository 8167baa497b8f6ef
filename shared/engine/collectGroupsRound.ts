import { type GraphGroup, type GroupsDeltaPage, type RemovedGroup } from '../graph/GraphGroup';

/** One group as a whole round showed it: its latest properties and its member changes, merged by member id. */
export interface CollectedGroup {
  id: string;
  /** The latest properties the round carried; undefined when no page carried them. */
  properties?: GraphGroup | undefined;
  /** User id → true (member) or false (removed since the token). */
  users: Map<string, boolean>;
  /** Nested group id → true (member) or false (removed). Members of another kind (devices…) are dropped. */
  groups: Map<string, boolean>;
}

/** Everything one groups round said, ids in lower case; a group both changed and removed ends up removed. */
export interface CollectedRound {
  groups: Map<string, CollectedGroup>;
  removed: Map<string, RemovedGroup['reason']>;
  pages: number;
}

export function emptyRound(): CollectedRound {
  return { groups: new Map(), removed: new Map(), pages: 0 };
}

/**
 * Adds one page to a round. Graph repeats a large group on several pages with another slice of its members
 * each time, and may replay entries: later entries win, so the merged round says what holds at its end.
 */
export function collectGroupsPage(round: CollectedRound, page: GroupsDeltaPage): void {
  round.pages += 1;
  for (const change of page.groups) {
    const id = change.id.toLowerCase();
    round.removed.delete(id);
    let group = round.groups.get(id);
    if (!group) {
      group = { id, users: new Map(), groups: new Map() };
      round.groups.set(id, group);
    }
    if (change.displayName !== undefined) {
      const { memberChanges: _memberChanges, ...properties } = change;
      group.properties = { ...properties, id };
    }
    for (const member of change.memberChanges) {
      const memberId = member.id.toLowerCase();
      if (member.kind === 'user') group.users.set(memberId, !member.removed);
      else if (member.kind === 'group') group.groups.set(memberId, !member.removed);
      else if (member.kind === 'unknown' && member.removed) {
        // A removed entry without a type: a user or a group, Graph did not say. Removing an id of the
        // other kind changes nothing.
        group.users.set(memberId, false);
        group.groups.set(memberId, false);
      }
    }
  }
  for (const removed of page.removed) {
    const id = removed.id.toLowerCase();
    round.groups.delete(id);
    round.removed.set(id, removed.reason);
  }
}

/**
 * The users of each group, nested groups expanded (TRANSITIVE membership), from a full round's member
 * lists. Cycles are followed once. Only groups the round listed count as nested (a deleted one does not).
 */
export function transitiveUsers(round: CollectedRound, groupId: string): Set<string> {
  const users = new Set<string>();
  const visited = new Set<string>([groupId]);
  const pending = [groupId];
  while (pending.length > 0) {
    const group = round.groups.get(pending.pop()!);
    if (!group) continue;
    for (const [userId, member] of group.users) if (member) users.add(userId);
    for (const [nestedId, member] of group.groups) {
      if (member && !visited.has(nestedId)) {
        visited.add(nestedId);
        pending.push(nestedId);
      }
    }
  }
  return users;
}
