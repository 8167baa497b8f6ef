import { type GraphUser, type UsersDeltaPage } from './GraphUser';

/** Where a users delta round starts: a fresh full round, or a saved nextLink/deltaLink. */
export type DeltaStart = { kind: 'initial' } | { kind: 'link'; url: string };

/**
 * Port: what the sync engine reads from Microsoft Graph for one tenant.
 * Adapters retry 429/503 (honouring Retry-After) themselves; what they throw is final for the call.
 * An expired or unknown delta link surfaces as AppError code DELTA_TOKEN_EXPIRED.
 */
export interface DirectoryReader {
  /** Yields each page of the round; the last page carries the deltaLink. */
  usersDelta(start: DeltaStart): AsyncIterable<UsersDeltaPage>;
  /** Object ids of the users that are (transitive) members of a group. NOT_FOUND if the group is gone. */
  listGroupMemberUserIds(groupId: string): Promise<string[]>;
  /** One user with the selected properties, or null when it does not exist (any more). */
  getUser(id: string): Promise<GraphUser | null>;
  /**
   * Object ids (lower case) of the users in the directory's deleted items: deleted, still restorable (for
   * 30 days). A user in neither /users nor here was permanently deleted (or never existed).
   */
  listDeletedUserIds(): Promise<Set<string>>;
  /** Whether one user is in the deleted items (restorable); false when it is not there (purged or never deleted). */
  isDeletedUser(id: string): Promise<boolean>;
  /** Requests sent so far (for run statistics and benchmarks). */
  requestCount: () => number;
}
