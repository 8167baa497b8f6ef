import { type TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { AppError, isAppError } from '../../core/errors/AppError';
import { type PollCycleState, type PollCycleStore } from '../../engine/PollCycleStore';
import { deletePartition } from './deleteRowsIfExist';
import { checkedKeyPart } from './checkedKeyPart';
import { deleteEntityIfExists } from './deleteEntityIfExists';
import { etagOf } from './etagOf';
import { findEntity } from './findEntity';
import { jsonColumn } from './jsonColumn';
import { parseStoredRow } from './parseStoredRow';
import { tableCall } from './tableCall';

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
const whatOf = (tenantId: string, feature: string) => `${feature} poll cycle state of ${tenantId}`;
const tenantKeyOf = (tenantId: string) => checkedKeyPart(tenantId, 'tenant id');
const featureKeyOf = (feature: string) => checkedKeyPart(feature, 'feature name');

/** One row per tenant and feature (partition = tenant id, row key = feature); conditional writes keep one chain of cycles. */
export class TablePollCycleStore implements PollCycleStore {
  constructor(private readonly table: TableClient) {}

  async get(tenantId: string, feature: string): Promise<PollCycleState | undefined> {
    const what = whatOf(tenantId, feature);
    const row = await findEntity(this.table, tenantKeyOf(tenantId), featureKeyOf(feature), what);
    if (!row) return undefined;
    return { tenantId, feature, ...parseStoredRow({ ...row, etag: row['etag'] ?? row['odata.etag'] }, RowSchema, what) };
  }

  async put(state: PollCycleState): Promise<PollCycleState> {
    const what = whatOf(state.tenantId, state.feature);
    // The slot is a string: epoch ms / period fits a double, but Table Storage's Int32 would not hold it.
    const entity: { partitionKey: string; rowKey: string } & Record<string, string> = {
      partitionKey: tenantKeyOf(state.tenantId),
      rowKey: featureKeyOf(state.feature),
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

  async delete(tenantId: string, feature: string): Promise<void> {
    await deleteEntityIfExists(this.table, tenantKeyOf(tenantId), featureKeyOf(feature), whatOf(tenantId, feature));
  }

  async deleteAllForTenant(tenantId: string): Promise<void> {
    await deletePartition(this.table, tenantKeyOf(tenantId), `poll cycle states of ${tenantId}`);
  }
}
