import { type TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { AppError, isAppError } from '../../core/errors/AppError';
import { type PresenceCycleState, type PresenceCycleStore } from '../../engine/PresenceCycleStore';
import { checkedKeyPart } from './checkedKeyPart';
import { deleteEntityIfExists } from './deleteEntityIfExists';
import { etagOf } from './etagOf';
import { findEntity } from './findEntity';
import { jsonColumn } from './jsonColumn';
import { parseStoredRow } from './parseStoredRow';
import { tableCall } from './tableCall';

const ROW_KEY = 'cycle';
const count = z.number().int().min(0);
const StatsSchema = z
  .object({
    users: count,
    batches: count,
    batchesDone: count,
    graphCalls: count,
    changed: count,
    pbxWrites: count,
    limited: count,
    failed: count,
    durationMs: count,
  })
  .strict();
const RowSchema = z.object({
  slot: z.coerce.number().int().min(0),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  stats: jsonColumn(StatsSchema),
  lastError: z.string().optional(),
  etag: z.string(),
});
const whatOf = (tenantId: string) => `presence cycle state of ${tenantId}`;

/** One row per tenant (partition = tenant id, row key `cycle`); conditional writes keep one chain of cycles. */
export class TablePresenceCycleStore implements PresenceCycleStore {
  constructor(private readonly table: TableClient) {}

  async get(tenantId: string): Promise<PresenceCycleState | undefined> {
    const what = whatOf(tenantId);
    const row = await findEntity(this.table, checkedKeyPart(tenantId, 'tenant id'), ROW_KEY, what);
    if (!row) return undefined;
    return { tenantId, ...parseStoredRow({ ...row, etag: row['etag'] ?? row['odata.etag'] }, RowSchema, what) };
  }

  async put(state: PresenceCycleState): Promise<PresenceCycleState> {
    const what = whatOf(state.tenantId);
    // The slot is a string: epoch ms / period fits a double, but Table Storage's Int32 would not hold it.
    const entity: { partitionKey: string; rowKey: string } & Record<string, string> = {
      partitionKey: checkedKeyPart(state.tenantId, 'tenant id'),
      rowKey: ROW_KEY,
      slot: String(state.slot),
      startedAt: state.startedAt,
      stats: JSON.stringify(state.stats),
    };
    if (state.finishedAt) entity.finishedAt = state.finishedAt;
    if (state.lastError) entity.lastError = state.lastError.slice(0, 1024);
    try {
      const etag = state.etag;
      const result = etag
        ? await tableCall(what, () => this.table.updateEntity(entity, 'Replace', { etag }))
        : await tableCall(what, () => this.table.createEntity(entity));
      return { ...state, etag: etagOf(result, what) };
    } catch (err) {
      if (isAppError(err, 'CONFLICT') || isAppError(err, 'PRECONDITION_FAILED')) {
        throw new AppError('PRECONDITION_FAILED', `${what} was changed by another job`, { cause: err });
      }
      // A replace of a row deleted since it was read (the tenant removed) is stale too, not a failure.
      if (state.etag && isAppError(err, 'NOT_FOUND')) {
        throw new AppError('PRECONDITION_FAILED', `${what} was deleted by another job`, { cause: err });
      }
      throw err;
    }
  }

  async delete(tenantId: string): Promise<void> {
    await deleteEntityIfExists(this.table, checkedKeyPart(tenantId, 'tenant id'), ROW_KEY, whatOf(tenantId));
  }
}
