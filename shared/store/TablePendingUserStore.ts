import { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { AppError } from '../errors/AppError';
import { PendingUser, PendingUserStore } from './PendingUserStore';
import { tableCall } from './tableErrorFor';

const RowSchema = z.object({ partitionKey: z.string(), rowKey: z.string(), code: z.string(), message: z.string(), attempts: z.number(), firstFailedAt: z.string(), lastFailedAt: z.string() });

export class TablePendingUserStore implements PendingUserStore {
  constructor(private readonly table: TableClient) {}

  async list(tenantId: string): Promise<PendingUser[]> {
    return tableCall('pending users', async () => {
      const out: PendingUser[] = [];
      for await (const row of this.table.listEntities({ queryOptions: { filter: `PartitionKey eq '${tenantId}'` } })) {
        const r = RowSchema.parse(row);
        out.push({ tenantId: r.partitionKey, objectId: r.rowKey, code: r.code, message: r.message, attempts: r.attempts, firstFailedAt: r.firstFailedAt, lastFailedAt: r.lastFailedAt });
      }
      return out;
    });
  }

  async record(tenantId: string, objectId: string, code: string, message: string): Promise<void> {
    const now = new Date().toISOString();
    let previous: z.infer<typeof RowSchema> | undefined;
    try {
      previous = RowSchema.parse(await tableCall('pending user', () => this.table.getEntity(tenantId, objectId)));
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'NOT_FOUND')) throw err;
    }
    await tableCall('pending user', () =>
      this.table.upsertEntity({ partitionKey: tenantId, rowKey: objectId, code, message: message.slice(0, 2000), attempts: (previous?.attempts ?? 0) + 1, firstFailedAt: previous?.firstFailedAt ?? now, lastFailedAt: now }, 'Replace'),
    );
  }

  async remove(tenantId: string, objectId: string): Promise<void> {
    try {
      await tableCall('pending user', () => this.table.deleteEntity(tenantId, objectId));
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'NOT_FOUND')) throw err;
    }
  }
}
