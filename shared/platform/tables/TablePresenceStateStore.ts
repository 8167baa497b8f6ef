import { type TableClient, type TransactionAction, odata } from '@azure/data-tables';
import { z } from 'zod';
import { type PresenceStateStore } from '../../engine/PresenceStateStore';
import { type PresenceRecord } from '../../engine/PresenceRecord';
import {
  AppliedPresenceSchema,
  CalendarPlanSchema,
  CallPresenceSchema,
  HeldBySchema,
  NoUserAccessReasonSchema,
  TeamsObservationSchema,
} from '../../engine/presenceRecordSchemas';
import { checkedKeyPart } from './checkedKeyPart';
import { deletePartition, deleteRowsIfExist } from './deleteRowsIfExist';
import { findEntity } from './findEntity';
import { jsonColumn } from './jsonColumn';
import { listRows } from './listPartition';
import { parseStoredRow } from './parseStoredRow';
import { submitInTransactions } from './submitInTransactions';

const RowSchema = z.object({
  rowKey: z.string().min(1),
  teams: jsonColumn(TeamsObservationSchema).optional(),
  calendar: jsonColumn(CalendarPlanSchema).optional(),
  call: jsonColumn(CallPresenceSchema).optional(),
  applied: jsonColumn(AppliedPresenceSchema).optional(),
  limitedBy: NoUserAccessReasonSchema.optional(),
  heldBy: HeldBySchema.optional(),
  updatedAt: z.string(),
});
const COLUMNS = ['teams', 'calendar', 'call', 'applied', 'limitedBy', 'heldBy', 'updatedAt'];
const tenantKeyOf = (tenantId: string) => checkedKeyPart(tenantId, 'tenant id');
const userKeyOf = (userId: string) => checkedKeyPart(userId.toLowerCase(), 'user object id');

/** Presence records: partition = tenant id, row key = the user's object id (lower case). */
export class TablePresenceStateStore implements PresenceStateStore {
  constructor(private readonly table: TableClient) {}

  async listRange(tenantId: string, afterUserId: string | undefined, throughUserId: string | undefined): Promise<PresenceRecord[]> {
    const what = `presence records of ${tenantId}`;
    let filter = odata`PartitionKey eq ${tenantKeyOf(tenantId)}`;
    if (afterUserId !== undefined) filter += odata` and RowKey gt ${userKeyOf(afterUserId)}`;
    if (throughUserId !== undefined) filter += odata` and RowKey le ${userKeyOf(throughUserId)}`;
    const records: PresenceRecord[] = [];
    for await (const row of listRows(this.table, filter, what, { select: COLUMNS })) {
      records.push(toRecord(row, `presence record ${tenantId}/${String(row.rowKey)}`));
    }
    return records;
  }

  async get(tenantId: string, userId: string): Promise<PresenceRecord | undefined> {
    const what = `presence record ${tenantId}/${userId}`;
    const row = await findEntity(this.table, tenantKeyOf(tenantId), userKeyOf(userId), what, COLUMNS);
    return row ? toRecord(row, what) : undefined;
  }

  async putMany(tenantId: string, records: readonly PresenceRecord[]): Promise<void> {
    const partitionKey = tenantKeyOf(tenantId);
    const actions: TransactionAction[] = records.map((record) => {
      // Absent columns are dropped by a Replace upsert, so the stored row is exactly the record.
      const entity: { partitionKey: string; rowKey: string } & Record<string, string> = {
        partitionKey,
        rowKey: userKeyOf(record.userId),
        updatedAt: record.updatedAt,
      };
      if (record.teams) entity.teams = JSON.stringify(record.teams);
      if (record.calendar) entity.calendar = JSON.stringify(record.calendar);
      if (record.call) entity.call = JSON.stringify(record.call);
      if (record.applied) entity.applied = JSON.stringify(record.applied);
      if (record.limitedBy) entity.limitedBy = record.limitedBy;
      if (record.heldBy) entity.heldBy = record.heldBy;
      return ['upsert', entity, 'Replace'];
    });
    await submitInTransactions(this.table, actions, `presence records of ${tenantId}`);
  }

  async deleteMany(tenantId: string, userIds: readonly string[]): Promise<void> {
    await deleteRowsIfExist(this.table, tenantKeyOf(tenantId), userIds.map(userKeyOf), `presence records of ${tenantId}`);
  }

  async deleteAllForTenant(tenantId: string): Promise<void> {
    await deletePartition(this.table, tenantKeyOf(tenantId), `presence records of ${tenantId}`);
  }
}

function toRecord(row: Record<string, unknown>, what: string): PresenceRecord {
  const { rowKey, ...rest } = parseStoredRow(row, RowSchema, what);
  return { userId: rowKey, ...rest };
}
