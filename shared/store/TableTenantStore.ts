import { TableClient } from '@azure/data-tables';
import { TenantConfig, TenantConfigSchema } from '../config/TenantConfig';
import { formatZodIssues } from '../config/formatZodIssues';
import { AppError } from '../errors/AppError';
import { TenantRecord, TenantStore } from './TenantStore';
import { tableCall } from './tableErrorFor';
import { toColumn } from './jsonColumn';

const PK = 'tenant';

interface TenantRow {
  partitionKey: string;
  rowKey: string;
  config: string;
  createdAt: string;
  updatedAt: string;
  etag: string;
}

export class TableTenantStore implements TenantStore {
  constructor(private readonly table: TableClient) {}

  private toRecord(row: TenantRow): TenantRecord {
    let raw: unknown;
    try {
      raw = JSON.parse(row.config);
    } catch {
      throw new AppError('CONFIG', `stored configuration of tenant ${row.rowKey} is not JSON`);
    }
    const parsed = TenantConfigSchema.safeParse(raw);
    if (!parsed.success) throw new AppError('CONFIG', `stored configuration of tenant ${row.rowKey} is invalid:\n${formatZodIssues(parsed.error)}`);
    return { id: row.rowKey, config: parsed.data, etag: row.etag, createdAt: row.createdAt, updatedAt: row.updatedAt };
  }

  async get(id: string): Promise<TenantRecord | null> {
    try {
      return this.toRecord(await tableCall(`tenant ${id}`, () => this.table.getEntity<TenantRow>(PK, id)));
    } catch (err) {
      if (err instanceof AppError && err.code === 'NOT_FOUND') return null;
      throw err;
    }
  }

  async list(): Promise<TenantRecord[]> {
    return tableCall('tenants', async () => {
      const out: TenantRecord[] = [];
      for await (const row of this.table.listEntities<TenantRow>({ queryOptions: { filter: `PartitionKey eq '${PK}'` } })) out.push(this.toRecord(row));
      return out;
    });
  }

  async create(id: string, config: TenantConfig): Promise<TenantRecord> {
    const now = new Date().toISOString();
    const result = await tableCall(`tenant ${id}`, () => this.table.createEntity({ partitionKey: PK, rowKey: id, config: toColumn(config, 'tenant configuration'), createdAt: now, updatedAt: now }));
    return { id, config, etag: result.etag ?? '', createdAt: now, updatedAt: now };
  }

  async replace(id: string, config: TenantConfig, ifMatch?: string): Promise<TenantRecord> {
    const existing = await this.get(id);
    if (!existing) throw new AppError('NOT_FOUND', `tenant ${id} does not exist`);
    const now = new Date().toISOString();
    const result = await tableCall(`tenant ${id}`, () =>
      this.table.updateEntity({ partitionKey: PK, rowKey: id, config: toColumn(config, 'tenant configuration'), createdAt: existing.createdAt, updatedAt: now }, 'Replace', { etag: ifMatch ?? existing.etag }),
    );
    return { id, config, etag: result.etag ?? '', createdAt: existing.createdAt, updatedAt: now };
  }

  async delete(id: string, ifMatch?: string): Promise<void> {
    await tableCall(`tenant ${id}`, () => this.table.deleteEntity(PK, id, { etag: ifMatch ?? '*' }));
  }
}
