import { type TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { type TenantConfig } from '../../config/TenantConfig';
import { StoredTenantConfigSchema } from '../../config/tenantConfigInputSchemas';
import { AppError, isAppError } from '../../core/errors/AppError';
import { type TenantRecord, type TenantStore } from '../../app/TenantStore';
import { etagOf } from './etagOf';
import { findEntity } from './findEntity';
import { jsonColumn } from './jsonColumn';
import { listPartition } from './listPartition';
import { fromLongStringColumns, toLongStringColumns } from './longStringColumns';
import { parseStoredRow } from './parseStoredRow';
import { tableCall } from './tableCall';

const PARTITION = 'tenant';
/** 15 × 64 KiB of configuration stays under the 1 MiB entity limit (long INCLUDE lists need more than one). */
const CONFIG_PARTS = 15;

/**
 * Stored configurations are migrated to the current schemaVersion and validated again on every read: they may
 * predate a change of shape, or the schema may have tightened since. The row itself is left as it is (a read
 * never writes); the next PUT stores the current version.
 */
const RowSchema = z.object({
  config: jsonColumn(StoredTenantConfigSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
  etag: z.string(),
});

/** Tenant configurations: partition 'tenant', row key = tenant id, the configuration as JSON. */
export class TableTenantStore implements TenantStore {
  constructor(private readonly table: TableClient) {}

  async get(id: string): Promise<TenantRecord | null> {
    const row = await findEntity(this.table, PARTITION, id, `tenant ${id}`);
    return row && toRecord(id, row);
  }

  async list(options: { onInvalid?: (id: string, error: AppError) => void } = {}): Promise<TenantRecord[]> {
    const records: TenantRecord[] = [];
    for await (const row of listPartition(this.table, PARTITION, 'tenants')) {
      const id = String(row.rowKey);
      try {
        records.push(toRecord(id, row));
      } catch (err) {
        if (!options.onInvalid || !isAppError(err, 'CONFIG')) throw err;
        options.onInvalid(id, err);
      }
    }
    return records;
  }

  async create(id: string, config: TenantConfig): Promise<TenantRecord> {
    const now = new Date().toISOString();
    const result = await tableCall(`tenant ${id}`, () => this.table.createEntity(toEntity(id, config, now, now)));
    return { id, config, etag: etagOf(result, `tenant ${id}`), createdAt: now, updatedAt: now };
  }

  async replace(id: string, config: TenantConfig, ifMatch?: string): Promise<TenantRecord> {
    // Reads only createdAt, so a row whose configuration no longer validates can still be replaced.
    const existing = await findEntity(this.table, PARTITION, id, `tenant ${id}`, ['createdAt']);
    if (!existing) throw new AppError('NOT_FOUND', `tenant ${id} does not exist`);
    const now = new Date().toISOString();
    const createdAt = typeof existing.createdAt === 'string' ? existing.createdAt : now;
    const result = await tableCall(`tenant ${id}`, () =>
      this.table.updateEntity(toEntity(id, config, createdAt, now), 'Replace', { etag: ifMatch ?? '*' }),
    );
    return { id, config, etag: etagOf(result, `tenant ${id}`), createdAt, updatedAt: now };
  }

  async delete(id: string, ifMatch?: string): Promise<void> {
    await tableCall(`tenant ${id}`, () => this.table.deleteEntity(PARTITION, id, { etag: ifMatch ?? '*' }));
  }
}

function toEntity(id: string, config: TenantConfig, createdAt: string, updatedAt: string) {
  const columns = toLongStringColumns('config', JSON.stringify(config), CONFIG_PARTS, `configuration of tenant ${id}`);
  return { partitionKey: PARTITION, rowKey: id, ...columns, createdAt, updatedAt };
}

function toRecord(id: string, row: Record<string, unknown>): TenantRecord {
  const parsed = parseStoredRow(
    { ...row, config: fromLongStringColumns(row, 'config') },
    RowSchema,
    `configuration of tenant ${id}`,
    'CONFIG',
  );
  return { id, ...parsed };
}
