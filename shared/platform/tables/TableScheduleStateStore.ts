import { type TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { type ScheduleStateStore } from '../../app/ScheduleStateStore';
import { findEntity } from './findEntity';
import { parseStoredRow } from './parseStoredRow';
import { tableCall } from './tableCall';

/**
 * One row per tenant for its reconcile (all its scheduled features fire together). The key is the one the
 * row has had since the first release, when the reconcile was the user sync alone; kept so no tenant's
 * last fire is forgotten.
 */
const RECONCILE_ROW_KEY = 'users';
const RowSchema = z.object({ lastFire: z.string() });

/** The last scheduled reconcile enqueued per tenant: partition = tenant id. */
export class TableScheduleStateStore implements ScheduleStateStore {
  constructor(private readonly table: TableClient) {}

  async getLastFire(tenantId: string): Promise<string | null> {
    const row = await findEntity(this.table, tenantId, RECONCILE_ROW_KEY, `schedule state of ${tenantId}`, ['lastFire']);
    return row && parseStoredRow(row, RowSchema, `schedule state of ${tenantId}`).lastFire;
  }

  async setLastFire(tenantId: string, fireTimeIso: string): Promise<void> {
    await tableCall(`schedule state of ${tenantId}`, () =>
      this.table.upsertEntity({ partitionKey: tenantId, rowKey: RECONCILE_ROW_KEY, lastFire: fireTimeIso }, 'Replace'),
    );
  }
}
