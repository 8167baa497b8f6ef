import { type TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { AppError, isAppError } from '../../core/errors/AppError';
import { type DeltaState, type DeltaStateStore, type SyncResource } from '../../engine/DeltaStateStore';
import { checkedTableString } from './checkedTableString';
import { deleteEntityIfExists } from './deleteEntityIfExists';
import { etagOf } from './etagOf';
import { findEntity } from './findEntity';
import { parseStoredRow } from './parseStoredRow';
import { tableCall } from './tableCall';
import { listPartition } from './listPartition';

const RowSchema = z.object({
  deltaLink: z.string().optional(),
  checkpointLink: z.string().optional(),
  roundMode: z.enum(['full', 'delta']).optional(),
  roundStartedAt: z.string().optional(),
  roundResumed: z.boolean().optional(),
  optionsHash: z.string().optional(),
  lastCompletedAt: z.string().optional(),
  etag: z.string(),
});

const TEXT_FIELDS = ['deltaLink', 'checkpointLink', 'roundMode', 'roundStartedAt', 'optionsHash', 'lastCompletedAt'] as const;

/** Delta links and page checkpoints: partition = tenant id, row key = resource. Absent fields are not stored. */
export class TableDeltaStateStore implements DeltaStateStore {
  constructor(private readonly table: TableClient) {}

  async get(tenantId: string, resource: SyncResource): Promise<DeltaState | null> {
    const row = await findEntity(this.table, tenantId, resource, `delta state of ${tenantId}/${resource}`);
    if (!row) return null;
    const { etag, ...fields } = parseStoredRow(row, RowSchema, `delta state of ${tenantId}/${resource}`);
    return { tenantId, resource, ...fields, etag };
  }

  async save(state: DeltaState): Promise<DeltaState> {
    const what = `delta state of ${state.tenantId}/${state.resource}`;
    const entity: { partitionKey: string; rowKey: string } & Record<string, string | boolean> = {
      partitionKey: state.tenantId,
      rowKey: state.resource,
    };
    for (const key of TEXT_FIELDS) {
      const value = state[key];
      if (value !== undefined) entity[key] = checkedTableString(value, `${what}: ${key}`);
    }
    if (state.roundResumed !== undefined) entity.roundResumed = state.roundResumed;
    const { etag } = state;
    if (!etag) {
      const result = await tableCall(what, () => this.table.upsertEntity(entity, 'Replace'));
      return { ...state, etag: etagOf(result, what) };
    }
    try {
      const result = await tableCall(what, () => this.table.updateEntity(entity, 'Replace', { etag }));
      return { ...state, etag: etagOf(result, what) };
    } catch (err) {
      // Cleared since it was read: as stale as a changed ETag.
      if (isAppError(err, 'NOT_FOUND'))
        throw new AppError('PRECONDITION_FAILED', `${what}: it was cleared by someone else`, { cause: err });
      throw err;
    }
  }

  async clear(tenantId: string, resource: SyncResource): Promise<void> {
    await deleteEntityIfExists(this.table, tenantId, resource, `delta state of ${tenantId}/${resource}`);
  }

  async clearTenant(tenantId: string): Promise<void> {
    for await (const row of listPartition(this.table, tenantId, `delta states of ${tenantId}`, { select: [] })) {
      await this.clear(tenantId, String(row.rowKey));
    }
  }
}
