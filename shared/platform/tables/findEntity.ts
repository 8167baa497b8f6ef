import { type TableClient } from '@azure/data-tables';
import { isAppError } from '../../core/errors/AppError';
import { tableCall } from './tableCall';

/** One entity, or null when it does not exist. `select` limits the columns read (the keys are always included). */
export async function findEntity(
  table: TableClient,
  partitionKey: string,
  rowKey: string,
  what: string,
  select?: string[],
): Promise<Record<string, unknown> | null> {
  try {
    return await tableCall(what, () =>
      table.getEntity<Record<string, unknown>>(
        partitionKey,
        rowKey,
        select ? { queryOptions: { select: ['partitionKey', 'rowKey', ...select] } } : {},
      ),
    );
  } catch (err) {
    if (isAppError(err, 'NOT_FOUND')) return null;
    throw err;
  }
}
