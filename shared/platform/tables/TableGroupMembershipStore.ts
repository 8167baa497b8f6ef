import { type TableClient, type TransactionAction } from '@azure/data-tables';
import { z } from 'zod';
import { type GroupMembership, type GroupMembershipStore } from '../../engine/GroupMembershipStore';
import { checkedKeyPart } from './checkedKeyPart';
import { deletePartition, deleteRowsIfExist } from './deleteRowsIfExist';
import { listPartition } from './listPartition';
import { parseStoredRow } from './parseStoredRow';
import { submitInTransactions } from './submitInTransactions';

const RowSchema = z.object({
  groupId: z.string().min(1),
  userId: z.string().min(1),
  extension: z.string(),
});

const COLUMNS = Object.keys(RowSchema.shape);

type MembershipKey = Pick<GroupMembership, 'groupId' | 'userId'>;

/** The rows of one membership: `g|<group>|<user>` (listed by group) and `u|<user>|<group>` (listed by user). */
const byGroupPrefix = (groupId: string) => `g|${groupId}|`;
const byUserPrefix = (userId: string) => `u|${userId}|`;

/** The membership with its ids checked as key parts and in lower case (the keys are built of them). */
function keyedMembership<T extends MembershipKey>(tenantId: string, membership: T): T {
  const what = `group membership ${tenantId}/${membership.groupId}/${membership.userId}`;
  return {
    ...membership,
    groupId: checkedKeyPart(membership.groupId.toLowerCase(), `${what}: group id`),
    userId: checkedKeyPart(membership.userId.toLowerCase(), `${what}: user id`),
  };
}

function rowKeysOf({ groupId, userId }: MembershipKey): [string, string] {
  return [`${byGroupPrefix(groupId)}${userId}`, `${byUserPrefix(userId)}${groupId}`];
}

/**
 * Memberships keyed by their ids (lower case), last one wins: a transaction may touch an entity only once, and
 * an id spelled in two cases is one membership.
 */
function uniqueMemberships<T extends MembershipKey>(tenantId: string, memberships: readonly T[]): T[] {
  const byKey = new Map<string, T>();
  for (const membership of memberships) {
    const keyed = keyedMembership(tenantId, membership);
    byKey.set(rowKeysOf(keyed)[0], keyed);
  }
  return [...byKey.values()];
}

/**
 * Group memberships: partition = tenant id, each membership as two rows with the same columns, one under
 * `g|<group id>|<user id>` and one under `u|<user id>|<group id>`, so listing a group's members and a user's
 * groups are both row-key range queries. Both rows of a membership go in the same transaction (two operations
 * of a transaction's 100), so they are written and deleted together.
 */
export class TableGroupMembershipStore implements GroupMembershipStore {
  constructor(private readonly table: TableClient) {}

  async listByGroup(tenantId: string, groupId: string): Promise<GroupMembership[]> {
    const id = checkedKeyPart(groupId.toLowerCase(), `group of ${tenantId}`);
    return this.list(tenantId, byGroupPrefix(id), `members of group ${tenantId}/${id}`);
  }

  async listByUser(tenantId: string, userId: string): Promise<GroupMembership[]> {
    const id = checkedKeyPart(userId.toLowerCase(), `user of ${tenantId}`);
    return this.list(tenantId, byUserPrefix(id), `groups of user ${tenantId}/${id}`);
  }

  async putMany(tenantId: string, memberships: readonly GroupMembership[]): Promise<void> {
    const partitionKey = checkedKeyPart(tenantId, 'tenant id');
    const actions = uniqueMemberships(tenantId, memberships).flatMap(({ groupId, userId, extension }) =>
      rowKeysOf({ groupId, userId }).map((rowKey): TransactionAction => [
        'upsert',
        { partitionKey, rowKey, groupId, userId, extension },
        'Replace',
      ]),
    );
    await submitInTransactions(this.table, actions, `group memberships of ${tenantId}`);
  }

  async deleteMany(tenantId: string, memberships: readonly MembershipKey[]): Promise<void> {
    const partitionKey = checkedKeyPart(tenantId, 'tenant id');
    const rowKeys = uniqueMemberships(tenantId, memberships).flatMap(rowKeysOf);
    await deleteRowsIfExist(this.table, partitionKey, rowKeys, `group memberships of ${tenantId}`);
  }

  async deleteAllForTenant(tenantId: string): Promise<void> {
    await deletePartition(this.table, checkedKeyPart(tenantId, 'tenant id'), `group memberships of ${tenantId}`);
  }

  private async list(tenantId: string, rowKeyPrefix: string, what: string): Promise<GroupMembership[]> {
    const memberships: GroupMembership[] = [];
    const partitionKey = checkedKeyPart(tenantId, 'tenant id');
    for await (const row of listPartition(this.table, partitionKey, what, { rowKeyPrefix, select: COLUMNS }))
      memberships.push(parseStoredRow(row, RowSchema, `group membership ${tenantId}/${String(row.rowKey)}`));
    return memberships;
  }
}
