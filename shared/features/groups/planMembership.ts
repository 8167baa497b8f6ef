import { createHash } from 'node:crypto';
import { type GroupMembership } from '../../engine/GroupMembershipStore';

/** The members a synced group should have: user id → extension number ('' when the user is not synced). */
export type DesiredMembers = ReadonlyMap<string, string>;

/** What to change on one PBX group and in its stored memberships. Adds and removes only, never a rebuild. */
export interface MembershipPlan {
  /** Extension numbers to add to the PBX group. */
  add: string[];
  /** Extension numbers to remove from it. */
  remove: string[];
  /** Memberships to store (new, or placed under another number). */
  put: GroupMembership[];
  /** Users who are members no longer. */
  drop: string[];
}

/**
 * Compares what a group should hold with what the connector stored for it and, when read, what the PBX
 * group holds. Without `pbxMembers` the stored placements are taken as the PBX's state (a change applied
 * from a delta round). With them, missing members are added again and connector-managed extensions that do
 * not belong are removed; an extension the connector does not manage (`managed` says which) is never touched,
 * whoever put it there.
 */
export function planMembership(input: {
  groupId: string;
  desired: DesiredMembers;
  stored: readonly GroupMembership[];
  pbxMembers?: ReadonlySet<string> | undefined;
  managed?: ((extension: string) => boolean) | undefined;
}): MembershipPlan {
  const { groupId, desired, stored, pbxMembers } = input;
  const storedByUser = new Map(stored.map((m) => [m.userId, m.extension]));
  const wanted = new Set([...desired.values()].filter((ext) => ext !== ''));
  const placed = new Set(stored.map((m) => m.extension).filter((ext) => ext !== ''));
  const present = pbxMembers ?? placed;

  const add = [...wanted].filter((ext) => !present.has(ext));
  const removable = (ext: string) => placed.has(ext) || (input.managed?.(ext) ?? false);
  const remove = [...present].filter((ext) => !wanted.has(ext) && removable(ext));
  const put: GroupMembership[] = [];
  for (const [userId, extension] of desired) {
    if (storedByUser.get(userId) !== extension) put.push({ groupId, userId, extension });
  }
  const drop = [...storedByUser.keys()].filter((userId) => !desired.has(userId));
  return { add: add.sort(), remove: remove.sort(), put, drop };
}

/** A fingerprint of a group's desired members: equal ⇒ the PBX group and the stored memberships need no look. */
export function membersHash(desired: DesiredMembers): string {
  const lines = [...desired].map(([userId, ext]) => `${userId}=${ext}`).sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 24);
}
