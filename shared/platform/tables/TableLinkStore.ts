import { type TableClient, type TransactionAction } from '@azure/data-tables';
import { z } from 'zod';
import { isAppError } from '../../core/errors/AppError';
import { type PbxUserFields } from '../../pbx/ports/PbxClient';
import { type LinkStore, type UserLink } from '../../engine/LinkStore';
import { checkedTableString } from './checkedTableString';
import { deleteEntityIfExists } from './deleteEntityIfExists';
import { findEntity } from './findEntity';
import { jsonColumn } from './jsonColumn';
import { listPartition } from './listPartition';
import { parseStoredRow } from './parseStoredRow';
import { tableCall } from './tableCall';

/** User links share the tenant's partition under this row-key prefix (other link kinds may follow). */
const USER_PREFIX = 'user_';
/** The service's limit of operations per entity group transaction. */
const MAX_TRANSACTION = 100;

const FieldsSchema = z.object({
  displayName: z.string(),
  email: z.string(),
  mobilePhone: z.string(),
  workPhone: z.string(),
  department: z.string(),
  enabled: z.boolean(),
}) satisfies z.ZodType<PbxUserFields>;

const RowSchema = z.object({
  rowKey: z.string().startsWith(USER_PREFIX),
  state: z.enum(['creating', 'active']),
  origin: z.enum(['created', 'adopted']),
  pbxUserId: z.string().optional(),
  pbxUserName: z.string(),
  extensionNumber: z.string(),
  fields: jsonColumn(FieldsSchema).optional(),
  hash: z.string().optional(),
  boundToMicrosoft365: z.boolean(),
  updatedAt: z.string(),
});

/** What a listing reads: the link's own columns, not the service's Timestamp. */
const COLUMNS = Object.keys(RowSchema.shape).filter((name) => name !== 'rowKey');

const rowKeyOf = (objectId: string) => `${USER_PREFIX}${objectId}`;

/** Entra user ↔ PBX user links: partition = tenant id, row key = `user_<objectId>`, fields as JSON. */
export class TableLinkStore implements LinkStore {
  constructor(private readonly table: TableClient) {}

  async listByTenant(tenantId: string): Promise<UserLink[]> {
    const links: UserLink[] = [];
    for await (const row of listPartition(this.table, tenantId, `user links of ${tenantId}`, {
      rowKeyPrefix: USER_PREFIX,
      select: COLUMNS,
    })) {
      links.push(toLink(tenantId, row));
    }
    return links;
  }

  async get(tenantId: string, objectId: string): Promise<UserLink | null> {
    const row = await findEntity(this.table, tenantId, rowKeyOf(objectId), `user link ${tenantId}/${objectId}`, COLUMNS);
    return row && toLink(tenantId, row);
  }

  async upsert(link: UserLink): Promise<void> {
    const { tenantId, objectId, fields, ...rest } = link;
    const what = `user link ${tenantId}/${objectId}`;
    const entity: { partitionKey: string; rowKey: string } & Record<string, string | boolean> = {
      partitionKey: tenantId,
      rowKey: rowKeyOf(objectId),
    };
    for (const [key, value] of Object.entries(rest)) if (value !== undefined) entity[key] = value;
    if (fields) entity.fields = checkedTableString(JSON.stringify(fields), `${what}: fields`);
    await tableCall(what, () => this.table.upsertEntity(entity, 'Replace'));
  }

  async delete(tenantId: string, objectId: string): Promise<void> {
    await deleteEntityIfExists(this.table, tenantId, rowKeyOf(objectId), `user link ${tenantId}/${objectId}`);
  }

  /** Reads keys only (so unreadable rows go too) and deletes in transactions of 100. */
  async deleteAllForTenant(tenantId: string): Promise<void> {
    const what = `user links of ${tenantId}`;
    const rowKeys: string[] = [];
    for await (const row of listPartition(this.table, tenantId, what, { rowKeyPrefix: USER_PREFIX, select: [] }))
      rowKeys.push(String(row.rowKey));
    for (let start = 0; start < rowKeys.length; start += MAX_TRANSACTION) {
      const batch = rowKeys.slice(start, start + MAX_TRANSACTION);
      const actions: TransactionAction[] = batch.map((rowKey) => ['delete', { partitionKey: tenantId, rowKey }]);
      try {
        await tableCall(what, () => this.table.submitTransaction(actions));
      } catch (err) {
        // A transaction is all or nothing: one link deleted meanwhile fails it, so delete that batch one by one.
        if (!isAppError(err, 'NOT_FOUND')) throw err;
        for (const rowKey of batch) await deleteEntityIfExists(this.table, tenantId, rowKey, what);
      }
    }
  }
}

function toLink(tenantId: string, row: Record<string, unknown>): UserLink {
  const { rowKey, ...link } = parseStoredRow(row, RowSchema, `user link ${tenantId}/${String(row.rowKey)}`);
  return { tenantId, objectId: rowKey.slice(USER_PREFIX.length), ...link };
}
