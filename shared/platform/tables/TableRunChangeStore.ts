import { type TableClient, type TransactionAction, odata } from '@azure/data-tables';
import { z } from 'zod';
import { isAppError } from '../../core/errors/AppError';
import { type RunChange } from '../../engine/RunChange';
import {
  type KeyedRunChange,
  type PurgedRunChanges,
  type RunChangePage,
  type RunChangeQuery,
  type RunChangeStore,
} from '../../engine/RunChangeStore';
import { runIdTime } from '../../engine/runIdTime';
import { deleteEntityIfExists } from './deleteEntityIfExists';
import { jsonColumn } from './jsonColumn';
import { listRows } from './listPartition';
import { parseStoredRow } from './parseStoredRow';
import { dayKey, itemKeyOf, runChangePartition, runPartitionPrefix, runChangeRowKey, runIdOf } from './runChangeKeys';
import { tableCall } from './tableCall';

/** Operations per entity-group transaction (the service's limit). */
const MAX_TRANSACTION = 100;
/** Rows one list request examines at most; a `q` that matches little returns a short page and a continuation. */
const MAX_SCANNED = 5000;

export interface TableRunChangeStoreOptions {
  /** Rows one list call examines at most (default 5,000; tests lower it). */
  maxScanned?: number | undefined;
}

const base = {
  rowKey: z.string(),
  feature: z.string(),
  sourceId: z.string(),
  label: z.string().optional(),
  pbxId: z.string().optional(),
  extension: z.string().optional(),
  at: z.string(),
};
const RowSchema = z.discriminatedUnion('outcome', [
  z.object({ ...base, outcome: z.enum(['created', 'adopted', 'disabled', 'deleted', 'unlinked', 'unchanged']) }),
  z.object({ ...base, outcome: z.literal('updated'), fields: jsonColumn(z.array(z.string())) }),
  z.object({ ...base, outcome: z.enum(['outOfScope', 'skipped']), reason: z.string() }),
  z.object({ ...base, outcome: z.literal('failed'), code: z.string(), message: z.string() }),
]);
const COLUMNS = ['feature', 'sourceId', 'label', 'pbxId', 'extension', 'at', 'outcome', 'fields', 'reason', 'code', 'message'];

type Entity = { partitionKey: string; rowKey: string } & Record<string, string>;

/** Runs' per-item change lists; keys in runChangeKeys.ts. Writes are upserts, so a retried batch is harmless. */
export class TableRunChangeStore implements RunChangeStore {
  private readonly maxScanned: number;

  constructor(
    private readonly table: TableClient,
    options: TableRunChangeStoreOptions = {},
  ) {
    this.maxScanned = options.maxScanned ?? MAX_SCANNED;
  }

  async append(tenantId: string, runId: string, items: readonly KeyedRunChange[]): Promise<void> {
    const what = `changes of run ${tenantId}/${runId}`;
    // A transaction holds one partition: group by chunk, then at most 100 rows each.
    const byPartition = new Map<string, KeyedRunChange[]>();
    for (const item of items) {
      const partitionKey = runChangePartition(tenantId, runId, item.key);
      byPartition.set(partitionKey, [...(byPartition.get(partitionKey) ?? []), item]);
    }
    for (const [partitionKey, rows] of byPartition) {
      for (let start = 0; start < rows.length; start += MAX_TRANSACTION) {
        const actions = rows
          .slice(start, start + MAX_TRANSACTION)
          .map(({ key, change }): TransactionAction => ['upsert', toEntity(partitionKey, runChangeRowKey(runId, key), change), 'Replace']);
        await tableCall(what, () => this.table.submitTransaction(actions));
      }
    }
  }

  async list(tenantId: string, runId: string, query: RunChangeQuery): Promise<RunChangePage> {
    const what = `changes of run ${tenantId}/${runId}`;
    const prefix = runPartitionPrefix(tenantId, runId);
    const end = `${prefix.slice(0, -1)}}`; // '}' follows '|': every partition of the run sorts before it
    let filter: string;
    if (query.after === undefined) filter = odata`(PartitionKey ge ${prefix} and PartitionKey lt ${end})`;
    else {
      const partition = runChangePartition(tenantId, runId, query.after);
      filter =
        odata`((PartitionKey eq ${partition} and RowKey gt ${runChangeRowKey(runId, query.after)})` +
        odata` or (PartitionKey gt ${partition} and PartitionKey lt ${end}))`;
    }
    // Outcome and feature are filtered by the service; the substring search (no OData for it) here.
    if (query.outcomes?.length) filter += ` and (${query.outcomes.map((outcome) => odata`outcome eq ${outcome}`).join(' or ')})`;
    if (query.feature !== undefined) filter += odata` and feature eq ${query.feature}`;
    const needle = query.q?.toLowerCase();
    // One row past the page tells whether there is more; a search may need many rows per match.
    const pageSize = needle === undefined ? query.limit + 1 : 1000;

    const items: RunChange[] = [];
    let lastReturned: string | undefined;
    let scanned = 0;
    for await (const row of listRows(this.table, filter, what, { select: COLUMNS, pageSize })) {
      scanned += 1;
      const rowKey = String(row.rowKey);
      const change = toChange(row, `change ${tenantId}/${rowKey}`);
      if (needle === undefined || matches(change, needle)) {
        if (items.length === query.limit) return { items, next: lastReturned };
        items.push(change);
        lastReturned = itemKeyOf(rowKey);
      }
      if (scanned >= this.maxScanned) return { items, next: itemKeyOf(rowKey) };
    }
    return { items };
  }

  async purgeRunsBefore(cutoff: Date): Promise<PurgedRunChanges> {
    const cutoffDay = dayKey(cutoff);
    const nextDay = dayKey(new Date(Date.UTC(cutoff.getUTCFullYear(), cutoff.getUTCMonth(), cutoff.getUTCDate() + 1)));
    // Every partition of the cutoff day or before (keys only); runs of the cutoff day itself go by their time.
    const rows = listRows(this.table, odata`PartitionKey lt ${nextDay}`, 'expired run changes', { select: [] });
    const runs = new Set<string>();
    let items = 0;
    let batch: { partitionKey: string; rowKey: string }[] = [];
    const deleteBatch = async () => {
      if (batch.length > 0) await this.deleteAll(batch);
      items += batch.length;
      batch = [];
    };
    for await (const row of rows) {
      const partitionKey = String(row.partitionKey);
      const rowKey = String(row.rowKey);
      const runId = runIdOf(rowKey);
      const queuedAt = runIdTime(runId);
      const expired = partitionKey.slice(0, 8) < cutoffDay || (queuedAt !== undefined && queuedAt < cutoff);
      if (!expired) continue;
      if (batch.length === MAX_TRANSACTION || (batch.length > 0 && batch[0]!.partitionKey !== partitionKey)) await deleteBatch();
      batch.push({ partitionKey, rowKey });
      runs.add(`${partitionKey}|${runId}`);
    }
    await deleteBatch();
    return { runs: runs.size, items };
  }

  /** One transaction (same partition, ≤ 100 rows); rows deleted meanwhile (a concurrent purge) one by one. */
  private async deleteAll(rows: readonly { partitionKey: string; rowKey: string }[]): Promise<void> {
    const what = `expired run changes in ${rows[0]!.partitionKey}`;
    try {
      await tableCall(what, () => this.table.submitTransaction(rows.map((row): TransactionAction => ['delete', row])));
    } catch (err) {
      if (!isAppError(err, 'NOT_FOUND')) throw err;
      for (const row of rows) await deleteEntityIfExists(this.table, row.partitionKey, row.rowKey, what);
    }
  }
}

function matches(change: RunChange, needle: string): boolean {
  return [change.sourceId, change.label, change.extension].some((value) => value?.toLowerCase().includes(needle));
}

function toEntity(partitionKey: string, rowKey: string, change: RunChange): Entity {
  const { fields, ...rest } = { fields: undefined, ...change };
  const entity: Entity = { partitionKey, rowKey };
  for (const [name, value] of Object.entries(rest)) if (typeof value === 'string') entity[name] = value;
  if (fields !== undefined) entity.fields = JSON.stringify(fields);
  return entity;
}

function toChange(row: Record<string, unknown>, what: string): RunChange {
  const { rowKey: _rowKey, ...change } = parseStoredRow(row, RowSchema, what);
  return change;
}
