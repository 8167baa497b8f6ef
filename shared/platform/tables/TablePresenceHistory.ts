import { type TableClient, type TransactionAction, odata } from '@azure/data-tables';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { type PresenceChangeEntry, type PresenceHistory } from '../../engine/PresenceHistory';
import { NoUserAccessReasonSchema, PbxPresenceFieldsSchema, PbxPresenceReadingSchema } from '../../engine/presenceRecordSchemas';
import { PRESENCE_SOURCES } from '../../engine/PresenceRecord';
import { checkedKeyPart } from './checkedKeyPart';
import { deletePartitionsUnder, deleteRowsIfExist } from './deleteRowsIfExist';
import { jsonColumn } from './jsonColumn';
import { listPartition, listRows } from './listPartition';
import { parseStoredRow } from './parseStoredRow';
import { submitInTransactions } from './submitInTransactions';

const RowSchema = z.object({
  userId: z.string().min(1),
  at: z.string(),
  reason: z.enum(['set', 'reasserted', 'restored', 'changedByHand', 'heldByPbx']),
  source: z.enum(PRESENCE_SOURCES).optional(),
  detail: z.string().optional(),
  from: jsonColumn(PbxPresenceReadingSchema),
  written: jsonColumn(PbxPresenceFieldsSchema),
  mode: z.enum(['status', 'dndOnly']),
  limitedBy: NoUserAccessReasonSchema.optional(),
});
const COLUMNS = Object.keys(RowSchema.shape);
/** Newest first in row-key order: the key counts down from this (ms since 1970, 13 digits). */
const LAST_MS = 9_999_999_999_999;

const tenantKeyOf = (tenantId: string) => checkedKeyPart(tenantId, 'tenant id');
const partitionOf = (tenantId: string, userId: string) =>
  `${tenantKeyOf(tenantId)}|${checkedKeyPart(userId.toLowerCase(), 'user object id')}`;

/** Presence history: partition = tenant|user, row key = time counting down (+ a random tail), newest first. */
export class TablePresenceHistory implements PresenceHistory {
  constructor(private readonly table: TableClient) {}

  async append(tenantId: string, entries: readonly PresenceChangeEntry[]): Promise<void> {
    const byPartition = new Map<string, TransactionAction[]>();
    for (const entry of entries) {
      const partitionKey = partitionOf(tenantId, entry.userId);
      const rowKey = `${String(LAST_MS - Date.parse(entry.at)).padStart(13, '0')}-${randomBytes(4).toString('hex')}`;
      const entity: { partitionKey: string; rowKey: string } & Record<string, string> = {
        partitionKey,
        rowKey,
        userId: entry.userId,
        at: entry.at,
        reason: entry.reason,
        from: JSON.stringify(entry.from),
        written: JSON.stringify(entry.written),
        mode: entry.mode,
      };
      if (entry.source) entity.source = entry.source;
      if (entry.detail) entity.detail = entry.detail.slice(0, 512);
      if (entry.limitedBy) entity.limitedBy = entry.limitedBy;
      byPartition.set(partitionKey, [...(byPartition.get(partitionKey) ?? []), ['create', entity]]);
    }
    for (const [partitionKey, actions] of byPartition) await submitInTransactions(this.table, actions, `presence history ${partitionKey}`);
  }

  async listForUser(tenantId: string, userId: string, limit: number): Promise<PresenceChangeEntry[]> {
    const what = `presence history of ${tenantId}/${userId}`;
    const entries: PresenceChangeEntry[] = [];
    for await (const row of listPartition(this.table, partitionOf(tenantId, userId), what, { select: COLUMNS, pageSize: limit })) {
      entries.push(parseStoredRow(row, RowSchema, what));
      if (entries.length >= limit) break;
    }
    return entries;
  }

  async purgeOlderThan(before: Date): Promise<number> {
    const what = 'expired presence history';
    const byPartition = new Map<string, string[]>();
    for await (const row of listRows(this.table, odata`at lt ${before.toISOString()}`, what, { select: [] })) {
      const partitionKey = String(row.partitionKey);
      byPartition.set(partitionKey, [...(byPartition.get(partitionKey) ?? []), String(row.rowKey)]);
    }
    let purged = 0;
    for (const [partitionKey, rowKeys] of byPartition) {
      await deleteRowsIfExist(this.table, partitionKey, rowKeys, what);
      purged += rowKeys.length;
    }
    return purged;
  }

  async deleteAllForTenant(tenantId: string): Promise<void> {
    await deletePartitionsUnder(this.table, tenantKeyOf(tenantId), `presence history of ${tenantId}`);
  }
}
