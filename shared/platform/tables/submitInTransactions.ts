import { type TableClient, type TransactionAction } from '@azure/data-tables';
import { tableCall } from './tableCall';

/** The service's limit of operations per entity-group transaction. */
export const MAX_TRANSACTION = 100;

/** Slices of at most MAX_TRANSACTION items, in order. */
export function transactionBatches<T>(items: readonly T[]): T[][] {
  const batches: T[][] = [];
  for (let start = 0; start < items.length; start += MAX_TRANSACTION) batches.push(items.slice(start, start + MAX_TRANSACTION));
  return batches;
}

/**
 * Actions on ONE partition, touching each entity at most once, in transactions of up to 100 in order: each
 * transaction is all or nothing, the whole is not (a failure leaves the earlier transactions written).
 */
export async function submitInTransactions(table: TableClient, actions: readonly TransactionAction[], what: string): Promise<void> {
  for (const batch of transactionBatches(actions)) await tableCall(what, () => table.submitTransaction(batch));
}
