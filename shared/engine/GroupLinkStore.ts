/**
 * Entra group ↔ PBX extension group. A link is what makes a PBX group the connector's: it never changes or
 * deletes a PBX group without one. `creating` is written before the PBX create (write-ahead) with the name
 * the group will get, so a crash between the create and the link write is recognised on replay by that name
 * and the group is not created twice.
 */
export interface GroupLink {
  tenantId: string;
  /** The Entra group's object id (lower case). */
  groupId: string;
  state: 'creating' | 'active';
  /** Absent while `creating`. */
  pbxGroupId?: string | undefined;
  /** The name the PBX group has (or is being created with). */
  pbxName: string;
  /** The Entra display name `pbxName` was made from, so a rename is noticed without asking the PBX. */
  displayName: string;
  /**
   * Hash of the members the PBX group had when the connector last compared them in full (user id →
   * extension); '' = unknown (changed since by single adds and removes). Equal hash ⇒ no PBX read.
   */
  membersHash: string;
  updatedAt: string;
}

/** Port: group links (Table Storage, one partition per tenant). Only the groups feature writes them. */
export interface GroupLinkStore {
  listByTenant(tenantId: string): Promise<GroupLink[]>;
  get(tenantId: string, groupId: string): Promise<GroupLink | null>;
  /** Create or replace (the groups run is its tenant's only writer, under the writer lease). */
  put(link: GroupLink): Promise<void>;
  /** Idempotent. */
  delete(tenantId: string, groupId: string): Promise<void>;
  deleteAllForTenant(tenantId: string): Promise<void>;
}
