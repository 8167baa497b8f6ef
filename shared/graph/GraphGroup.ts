import { type RemovedUser } from './GraphUser';

/** The group properties the groups feature reads (and the ones `/groups/delta` is asked to track). */
export const GROUP_SELECT = ['id', 'displayName', 'groupTypes', 'securityEnabled', 'mailEnabled'] as const;

/** An Entra group as the groups feature sees it. Absent properties were not in the answer. */
export interface GraphGroup {
  id: string;
  displayName?: string | null | undefined;
  /** `Unified` marks a Microsoft 365 group; `DynamicMembership` a rule-based one. */
  groupTypes?: string[] | undefined;
  securityEnabled?: boolean | null | undefined;
  mailEnabled?: boolean | null | undefined;
}

/**
 * One entry of a group's `members@delta`: a member added to the group, or removed from it, since the
 * round's token (in an initial round, every current member as added). `kind` comes from `@odata.type`;
 * a removed entry may come without it (`unknown`).
 */
export interface GroupMemberChange {
  id: string;
  kind: 'user' | 'group' | 'other' | 'unknown';
  removed: boolean;
}

/**
 * A group as one delta page shows it. Graph repeats a large group on several pages, each time with another
 * slice of its member changes: the reader of a round merges them by id.
 */
export interface GraphGroupChange extends GraphGroup {
  /** This page's slice of `members@delta` (empty when the page had none for the group). */
  memberChanges: GroupMemberChange[];
}

export interface RemovedGroup {
  id: string;
  /** `changed`: deleted but restorable (Microsoft 365 groups, 30 days); `deleted`: gone for good. */
  reason: RemovedUser['reason'];
}

export interface GroupsDeltaPage {
  groups: GraphGroupChange[];
  removed: RemovedGroup[];
  nextLink?: string | undefined;
  deltaLink?: string | undefined;
}
