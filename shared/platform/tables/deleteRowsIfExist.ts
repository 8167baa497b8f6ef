import { type TableClient, type TransactionAction, odata } from '@azure/data-tables';
import { isAppError } from '../../core/errors/AppError';
import { deleteEntityIfExists } from './deleteEntityIfExists';
import { listPartition, listRows } from './listPartition';
import { transactionBatches } from './submitInTransactions';
import { tableCall } from './tableCall';

/**
 * Deletes rows of one partition in transactions of up to 100. Idempotent: a transaction fails whole when
 * one of its rows is gone already, so that batch is deleted again row by row, skipping the missing ones.
 */
export async function deleteRowsIfExist(table: TableClient, partitionKey: string, rowKeys: readonly string[], what: string): Promise<void> {
  for (const batch of transactionBatches([...new Set(rowKeys)])) {
    const actions = batch.map((rowKey): TransactionAction => ['delete', { partitionKey, rowKey }]);
    try {
      await tableCall(what, () => table.submitTransaction(actions));
    } catch (err) {
      if (!isAppError(err, 'NOT_FOUND')) throw err;
      for (const rowKey of batch) await deleteEntityIfExists(table, partitionKey, rowKey, what);
    }
  }
}

/** Deletes every row of one partition; reads keys only, so rows that no longer parse go too. */
export async function deletePartition(table: TableClient, partitionKey: string, what: string): Promise<void> {
  const rowKeys: string[] = [];
  for await (const row of listPartition(table, partitionKey, what, { select: [] })) rowKeys.push(String(row.rowKey));
  await deleteRowsIfExist(table, partitionKey, rowKeys, what);
}

/**
 * Deletes every row of every partition whose key is `<prefix>|…` (a tenant's partitions, when the key starts with
 * its id); reads keys only. '}' is the character after '|': the range holds exactly those partition keys.
 */
export async function deletePartitionsUnder(table: TableClient, prefix: string, what: string): Promise<void> {
  const filter = odata`PartitionKey ge ${`${prefix}|`} and PartitionKey lt ${`${prefix}}`}`;
  const rowKeysByPartition = new Map<string, string[]>();
  for await (const row of listRows(table, filter, what, { select: [] })) {
    const partitionKey = String(row.partitionKey);
    const rowKeys = rowKeysByPartition.get(partitionKey) ?? [];
    rowKeys.push(String(row.rowKey));
    rowKeysByPartition.set(partitionKey, rowKeys);
  }
  for (const [partitionKey, rowKeys] of rowKeysByPartition) await deleteRowsIfExist(table, partitionKey, rowKeys, what);
}
