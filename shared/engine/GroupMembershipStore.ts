/**
 * One user's membership of one synced group, as the groups feature last applied it: for TRANSITIVE
 * membership, a user of a nested group is a member of every synced ancestor. Kept for users who are not
 * synced as well (`extension` ''), so a user synced later is placed in the groups they already belong to
 * without asking Graph.
 */
export interface GroupMembership {
  /** The Entra group's object id (lower case). */
  groupId: string;
  /** The Entra user's object id (lower case). */
  userId: string;
  /** The extension number the connector put in the PBX group for this user; '' = none (the user is not synced). */
  extension: string;
}

/**
 * Port: group memberships of one tenant (Table Storage, one partition per tenant, each membership indexed
 * both by group and by user so either lookup is a key-range query).
 */
export interface GroupMembershipStore {
  listByGroup(tenantId: string, groupId: string): Promise<GroupMembership[]>;
  listByUser(tenantId: string, userId: string): Promise<GroupMembership[]>;
  /** Creates or replaces, in entity-group transactions. */
  putMany(tenantId: string, memberships: readonly GroupMembership[]): Promise<void>;
  /** Idempotent: a missing membership is not an error. */
  deleteMany(tenantId: string, memberships: readonly Pick<GroupMembership, 'groupId' | 'userId'>[]): Promise<void>;
  deleteAllForTenant(tenantId: string): Promise<void>;
}
