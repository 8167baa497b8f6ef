import { type GraphGroup, type GroupsDeltaPage } from './GraphGroup';
import { type GraphUser, type UsersDeltaPage } from './GraphUser';

/** Where a users delta round starts: a fresh full round, or a saved nextLink/deltaLink. */
export type DeltaStart = { kind: 'initial' } | { kind: 'link'; url: string };

/** Groups rounds may also start from now (`$deltatoken=latest`): a deltaLink and no data. */
export type GroupsDeltaStart = DeltaStart | { kind: 'latest' };

/**
 * Port: what the sync engine reads from Microsoft Graph for one tenant.
 * Adapters retry 429/503 (honouring Retry-After) themselves; what they throw is final for the call.
 * An expired or unknown delta link surfaces as AppError code DELTA_TOKEN_EXPIRED.
 */
export interface DirectoryReader {
  /** Yields each page of the round; the last page carries the deltaLink. */
  usersDelta(start: DeltaStart): AsyncIterable<UsersDeltaPage>;
  /**
   * Yields each page of a groups round (`/groups/delta`, the GROUP_SELECT properties and `members@delta`);
   * the last page carries the deltaLink.
   */
  groupsDelta(start: GroupsDeltaStart): AsyncIterable<GroupsDeltaPage>;
  /** One group with the GROUP_SELECT properties, or null when it does not exist (any more). */
  getGroup(id: string): Promise<GraphGroup | null>;
  /**
   * Object ids of the users that are members of a group: `transitive` (the default) counts members of
   * nested groups too, `direct` only the group's own. NOT_FOUND if the group is gone.
   */
  listGroupMemberUserIds(groupId: string, membership?: 'direct' | 'transitive'): Promise<string[]>;
  /** Object ids of every group the user is a member of, directly or through nested groups. NOT_FOUND if the user is gone. */
  listUserGroupIds(userId: string): Promise<string[]>;
  /** Object ids of every group this group is nested in, directly or through others (none: []). NOT_FOUND if it is gone. */
  listGroupAncestorIds(groupId: string): Promise<string[]>;
  /** One user with the selected properties, or null when it does not exist (any more). */
  getUser(id: string): Promise<GraphUser | null>;
  /**
   * Object ids (lower case) of the users in the directory's deleted items: deleted, still restorable (for
   * 30 days). A user in neither /users nor here was permanently deleted (or never existed).
   */
  listDeletedUserIds(): Promise<Set<string>>;
  /** Whether one user is in the deleted items (restorable); false when it is not there (purged or never deleted). */
  isDeletedUser(id: string): Promise<boolean>;
  /**
   * How many users the directory holds (`/users/$count`, from Graph's index, so it may lag a recent change):
   * an estimate of a full users round's size for the run's progress. Optional: readers that cannot count omit it.
   */
  countUsers?(): Promise<number>;
  /** Requests sent so far (for run statistics and benchmarks). */
  requestCount: () => number;
}
