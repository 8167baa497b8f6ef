import { createHash } from 'node:crypto';
import { type TableClient, type TransactionAction } from '@azure/data-tables';
import { z } from 'zod';
import { type GroupMembership, type GroupMembershipStore } from '../../engine/GroupMembershipStore';
import { checkedKeyPart } from './checkedKeyPart';
import { deletePartitionsUnder, deleteRowsIfExist } from './deleteRowsIfExist';
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

/** How many partitions the by-user index of a tenant is spread over. */
const USER_BUCKETS = 16;

/**
 * The rows of one membership. By group: partition `<tenant>|g|<group>`, row `<user>` (a group's members are its
 * partition). By user: partition `<tenant>|u|<bucket>`, row `<user>|<group>` (a user's groups are a row-key
 * range of one bucket). Small partitions keep writes cheap (Azurite's cost per write grows with the partition;
 * Table Storage spreads partitions over servers).
 */
const groupPartition = (tenantId: string, groupId: string) => `${tenantId}|g|${groupId}`;
const userPartition = (tenantId: string, userId: string) =>
  `${tenantId}|u|${createHash('sha256').update(userId).digest()[0]! % USER_BUCKETS}`;
const byUserPrefix = (userId: string) => `${userId}|`;

/** The membership with its ids checked as key parts and in lower case (the keys are built of them). */
function keyedMembership<T extends MembershipKey>(tenantId: string, membership: T): T {
  const what = `group membership ${tenantId}/${membership.groupId}/${membership.userId}`;
  return {
    ...membership,
    groupId: checkedKeyPart(membership.groupId.toLowerCase(), `${what}: group id`),
    userId: checkedKeyPart(membership.userId.toLowerCase(), `${what}: user id`),
  };
}

interface RowAddress {
  partitionKey: string;
  rowKey: string;
}

/** Where the two rows of a membership live: by group, then by user. */
function rowsOf(tenantId: string, { groupId, userId }: MembershipKey): [RowAddress, RowAddress] {
  return [
    { partitionKey: groupPartition(tenantId, groupId), rowKey: userId },
    { partitionKey: userPartition(tenantId, userId), rowKey: `${byUserPrefix(userId)}${groupId}` },
  ];
}

/** Row addresses by partition, in first-seen order (a transaction holds rows of one partition). */
function byPartition<T extends RowAddress>(rows: readonly T[]): Map<string, T[]> {
  const partitions = new Map<string, T[]>();
  for (const row of rows) {
    const list = partitions.get(row.partitionKey) ?? [];
    list.push(row);
    partitions.set(row.partitionKey, list);
  }
  return partitions;
}

/**
 * Memberships keyed by their ids (lower case), last one wins: a transaction may touch an entity only once, and
 * an id spelled in two cases is one membership.
 */
function uniqueMemberships<T extends MembershipKey>(tenantId: string, memberships: readonly T[]): T[] {
  const byKey = new Map<string, T>();
  for (const membership of memberships) {
    const keyed = keyedMembership(tenantId, membership);
    byKey.set(`${keyed.groupId}|${keyed.userId}`, keyed);
  }
  return [...byKey.values()];
}

/**
 * Group memberships: each membership as two rows with the same columns, one in its group's partition and one in
 * a by-user bucket of the tenant, so listing a group's members is a partition query and a user's groups a
 * row-key range. The by-user rows are written first and deleted last: after a crash in between, the by-group
 * rows (what the groups run plans from) are never ahead of the index the link events read, and the replay
 * writes both again.
 */
export class TableGroupMembershipStore implements GroupMembershipStore {
  constructor(private readonly table: TableClient) {}

  async listByGroup(tenantId: string, groupId: string): Promise<GroupMembership[]> {
    const tenant = checkedKeyPart(tenantId, 'tenant id');
    const id = checkedKeyPart(groupId.toLowerCase(), `group of ${tenantId}`);
    return this.list(groupPartition(tenant, id), undefined, `members of group ${tenantId}/${id}`);
  }

  async listByUser(tenantId: string, userId: string): Promise<GroupMembership[]> {
    const tenant = checkedKeyPart(tenantId, 'tenant id');
    const id = checkedKeyPart(userId.toLowerCase(), `user of ${tenantId}`);
    return this.list(userPartition(tenant, id), byUserPrefix(id), `groups of user ${tenantId}/${id}`);
  }

  async putMany(tenantId: string, memberships: readonly GroupMembership[]): Promise<void> {
    const tenant = checkedKeyPart(tenantId, 'tenant id');
    const what = `group memberships of ${tenantId}`;
    const rows = uniqueMemberships(tenant, memberships).map((membership) =>
      rowsOf(tenant, membership).map((address) => ({
        ...address,
        groupId: membership.groupId,
        userId: membership.userId,
        extension: membership.extension,
      })),
    );
    for (const side of [1, 0]) {
      for (const partition of byPartition(rows.map((pair) => pair[side]!)).values()) {
        const actions = partition.map((entity): TransactionAction => ['upsert', entity, 'Replace']);
        await submitInTransactions(this.table, actions, what);
      }
    }
  }

  async deleteMany(tenantId: string, memberships: readonly MembershipKey[]): Promise<void> {
    const tenant = checkedKeyPart(tenantId, 'tenant id');
    const pairs = uniqueMemberships(tenant, memberships).map((membership) => rowsOf(tenant, membership));
    for (const side of [0, 1]) {
      for (const [partitionKey, rows] of byPartition(pairs.map((pair) => pair[side]!)))
        await deleteRowsIfExist(
          this.table,
          partitionKey,
          rows.map((row) => row.rowKey),
          `group memberships of ${tenantId}`,
        );
    }
  }

  async deleteAllForTenant(tenantId: string): Promise<void> {
    await deletePartitionsUnder(this.table, checkedKeyPart(tenantId, 'tenant id'), `group memberships of ${tenantId}`);
  }

  private async list(partitionKey: string, rowKeyPrefix: string | undefined, what: string): Promise<GroupMembership[]> {
    const memberships: GroupMembership[] = [];
    for await (const row of listPartition(this.table, partitionKey, what, { ...(rowKeyPrefix ? { rowKeyPrefix } : {}), select: COLUMNS }))
      memberships.push(parseStoredRow(row, RowSchema, `${what}: row ${String(row.rowKey)}`));
    return memberships;
  }
}
