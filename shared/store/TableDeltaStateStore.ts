import { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { AppError } from '../errors/AppError';
import { DeltaState, DeltaStateStore, SyncResource } from './DeltaStateStore';
import { tableCall } from './tableErrorFor';
import { toColumn } from './jsonColumn';

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

export class TableDeltaStateStore implements DeltaStateStore {
  constructor(private readonly table: TableClient) {}

  async get(tenantId: string, resource: SyncResource): Promise<DeltaState | null> {
    try {
      const row = await tableCall('delta state', () => this.table.getEntity(tenantId, resource));
      const parsed = RowSchema.safeParse(row);
      if (!parsed.success) throw new AppError('INTERNAL', `stored delta state of ${tenantId}/${resource} is unreadable`);
      return { tenantId, resource, ...parsed.data };
    } catch (err) {
      if (err instanceof AppError && err.code === 'NOT_FOUND') return null;
      throw err;
    }
  }

  async save(state: DeltaState): Promise<DeltaState> {
    const entity: Record<string, unknown> = { partitionKey: state.tenantId, rowKey: state.resource };
    for (const key of ['deltaLink', 'checkpointLink', 'roundMode', 'roundStartedAt', 'roundResumed', 'optionsHash', 'lastCompletedAt'] as const) {
      const value = state[key];
      if (value !== undefined) entity[key] = typeof value === 'string' ? toColumn(value, key) : value;
    }
    const typed = entity as { partitionKey: string; rowKey: string };
    const result = await tableCall(`delta state of ${state.tenantId}`, () =>
      state.etag ? this.table.updateEntity(typed, 'Replace', { etag: state.etag }) : this.table.upsertEntity(typed, 'Replace'),
    );
    return { ...state, etag: result.etag };
  }

  async clear(tenantId: string, resource: SyncResource): Promise<void> {
    try {
      await tableCall('delta state', () => this.table.deleteEntity(tenantId, resource));
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'NOT_FOUND')) throw err;
    }
  }
}
