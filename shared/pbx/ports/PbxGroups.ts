import { type PbxGroup, type PbxGroupFields } from './PbxGroup';

/**
 * Port (implemented by PortSIP: shared/pbx/portsip/PortSipGroups.ts): extension groups and their members,
 * members named by extension number because that is how both PortSIP (`/api/groups/{id}/members/{number}`)
 * and 3CX (`Members[].Number`) address them.
 * Add and remove are single-member calls so a planner sends diffs; an adapter whose PBX only replaces the
 * whole list (3CX) reads, edits and writes it back (docs/PBX-PORTS.md).
 */
export interface PbxGroups {
  listGroups(): AsyncIterable<PbxGroup[]>;
  createGroup(fields: PbxGroupFields): Promise<{ id: string }>;
  /** Sends only the given fields. */
  updateGroup(id: string, changes: Partial<PbxGroupFields>): Promise<void>;
  /** Already gone counts as done. */
  deleteGroup(id: string): Promise<void>;
  /** The extension numbers in the group. */
  listMembers(groupId: string): Promise<string[]>;
  /** Already a member counts as done. */
  addMember(groupId: string, extensionNumber: string): Promise<void>;
  /** Not a member counts as done. */
  removeMember(groupId: string, extensionNumber: string): Promise<void>;
}
