import { TableClient } from '@azure/data-tables';
import { AppError } from '../errors/AppError';
import { ScheduleStateStore } from './ScheduleStateStore';
import { tableCall } from './tableErrorFor';

export class TableScheduleStateStore implements ScheduleStateStore {
  constructor(private readonly table: TableClient) {}

  async getLastFire(tenantId: string): Promise<string | null> {
    try {
      const row = await tableCall('schedule state', () => this.table.getEntity<{ lastFire: string }>(tenantId, 'users'));
      return typeof row.lastFire === 'string' ? row.lastFire : null;
    } catch (err) {
      if (err instanceof AppError && err.code === 'NOT_FOUND') return null;
      throw err;
    }
  }

  async setLastFire(tenantId: string, fireTimeIso: string): Promise<void> {
    await tableCall('schedule state', () => this.table.upsertEntity({ partitionKey: tenantId, rowKey: 'users', lastFire: fireTimeIso }, 'Replace'));
  }
}
