import { type TableClient } from '@azure/data-tables';
import { isAppError } from '../../core/errors/AppError';
import { tableCall } from './tableCall';

/** Idempotent delete: a missing entity is not an error. */
export async function deleteEntityIfExists(table: TableClient, partitionKey: string, rowKey: string, what: string): Promise<void> {
  try {
    await tableCall(what, () => table.deleteEntity(partitionKey, rowKey));
  } catch (err) {
    if (!isAppError(err, 'NOT_FOUND')) throw err;
  }
}
