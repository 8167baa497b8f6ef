import { type TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { type ScheduleStateStore } from '../../app/ScheduleStateStore';
import { findEntity } from './findEntity';
import { parseStoredRow } from './parseStoredRow';
import { tableCall } from './tableCall';

/** One row per tenant; the row key names what is scheduled (only the users reconcile so far). */
const ROW_KEY = 'users';
const RowSchema = z.object({ lastFire: z.string() });

/** The last scheduled reconcile enqueued per tenant: partition = tenant id. */
export class TableScheduleStateStore implements ScheduleStateStore {
  constructor(private readonly table: TableClient) {}

  async getLastFire(tenantId: string): Promise<string | null> {
    const row = await findEntity(this.table, tenantId, ROW_KEY, `schedule state of ${tenantId}`, ['lastFire']);
    return row && parseStoredRow(row, RowSchema, `schedule state of ${tenantId}`).lastFire;
  }

  async setLastFire(tenantId: string, fireTimeIso: string): Promise<void> {
    await tableCall(`schedule state of ${tenantId}`, () =>
      this.table.upsertEntity({ partitionKey: tenantId, rowKey: ROW_KEY, lastFire: fireTimeIso }, 'Replace'),
    );
  }
}
