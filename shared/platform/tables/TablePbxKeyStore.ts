import { type TableClient, odata } from '@azure/data-tables';
import { z } from 'zod';
import { isAppError } from '../../core/errors/AppError';
import { type PbxKeyRecord, type PbxKeyStore, type PbxKeyUpdate, type PbxRequestKind, type StoredPbxKey } from '../../app/PbxKeyStore';
import { deleteEntityIfExists } from './deleteEntityIfExists';
import { etagOf } from './etagOf';
import { findEntity } from './findEntity';
import { listRows } from './listPartition';
import { parseStoredRow } from './parseStoredRow';
import { tableCall } from './tableCall';

const RowSchema = z.object({
  partitionKey: z.string().regex(/^[0-9a-f]{64}$/),
  tenantId: z.string().min(1),
  keyId: z.string().min(1),
  createdAt: z.string().datetime(),
  lastUsedAt: z.string().datetime().optional(),
  purpose: z.literal('events').optional(),
  syncRequestedAt: z.string().datetime().optional(),
  dryRunRequestedAt: z.string().datetime().optional(),
  etag: z.string().min(1),
});

const LIST_COLUMNS = ['tenantId', 'keyId', 'createdAt', 'lastUsedAt', 'purpose'];
const REQUESTED_COLUMN: Record<PbxRequestKind, 'syncRequestedAt' | 'dryRunRequestedAt'> = {
  sync: 'syncRequestedAt',
  dryRun: 'dryRunRequestedAt',
};
/** One row per key: the lookup by hash is a point read. */
const ROW_KEY = '';
/** Never the hash: `what` ends up in error messages and logs. */
const WHAT = 'a PBX API key';

/**
 * PBX API keys: partition = SHA-256 (hex) of the key, so authenticating is one point read whatever the
 * number of tenants, and an unknown key costs no scan. A tenant's keys (at most two) are found by a filtered
 * scan of this small table, which only the admin API and tenant deletion do.
 */
export class TablePbxKeyStore implements PbxKeyStore {
  constructor(private readonly table: TableClient) {}

  async add(key: PbxKeyRecord & { hash: string }): Promise<void> {
    const { hash, lastUsedAt, purpose, ...fields } = key;
    await tableCall(`${WHAT} of tenant ${key.tenantId}`, () =>
      this.table.createEntity({
        partitionKey: hash,
        rowKey: ROW_KEY,
        ...fields,
        ...(lastUsedAt ? { lastUsedAt } : {}),
        ...(purpose ? { purpose } : {}),
      }),
    );
  }

  async findByHash(hash: string): Promise<StoredPbxKey | null> {
    const row = await findEntity(this.table, hash, ROW_KEY, WHAT);
    if (!row) return null;
    const parsed = parseStoredRow(
      {
        ...row,
        lastUsedAt: row.lastUsedAt ?? undefined,
        purpose: row.purpose ?? undefined,
        syncRequestedAt: row.syncRequestedAt ?? undefined,
        dryRunRequestedAt: row.dryRunRequestedAt ?? undefined,
      },
      RowSchema,
      WHAT,
    );
    const requestedAt: StoredPbxKey['requestedAt'] = {};
    if (parsed.syncRequestedAt) requestedAt.sync = parsed.syncRequestedAt;
    if (parsed.dryRunRequestedAt) requestedAt.dryRun = parsed.dryRunRequestedAt;
    return { ...toRecord(row), hash: parsed.partitionKey, etag: parsed.etag, requestedAt };
  }

  async listForTenant(tenantId: string): Promise<PbxKeyRecord[]> {
    return (await this.rowsOf(tenantId)).map(({ record }) => record).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async remove(tenantId: string, keyId: string): Promise<boolean> {
    const rows = (await this.rowsOf(tenantId)).filter(({ record }) => record.keyId === keyId);
    for (const { hash } of rows) await deleteEntityIfExists(this.table, hash, ROW_KEY, `${WHAT} of tenant ${tenantId}`);
    return rows.length > 0;
  }

  async removeAllForTenant(tenantId: string): Promise<number> {
    const rows = await this.rowsOf(tenantId);
    for (const { hash } of rows) await deleteEntityIfExists(this.table, hash, ROW_KEY, `${WHAT} of tenant ${tenantId}`);
    return rows.length;
  }

  async update(hash: string, fields: PbxKeyUpdate, etag?: string): ReturnType<PbxKeyStore['update']> {
    const entity: { partitionKey: string; rowKey: string; [column: string]: string } = { partitionKey: hash, rowKey: ROW_KEY };
    if (fields.lastUsedAt) entity.lastUsedAt = fields.lastUsedAt;
    for (const [kind, at] of Object.entries(fields.requestedAt ?? {}) as [PbxRequestKind, string][]) entity[REQUESTED_COLUMN[kind]] = at;
    try {
      // Merge with an ETag ('*' when none is given) never creates the row: a revoked key stays revoked.
      const result = await tableCall(WHAT, () => this.table.updateEntity(entity, 'Merge', { etag: etag ?? '*' }));
      return { outcome: 'updated', etag: etagOf(result, WHAT) };
    } catch (err) {
      if (isAppError(err, 'NOT_FOUND')) return { outcome: 'gone' };
      if (isAppError(err, 'PRECONDITION_FAILED')) return { outcome: 'changed' };
      throw err;
    }
  }

  private async rowsOf(tenantId: string): Promise<{ hash: string; record: PbxKeyRecord }[]> {
    const rows: { hash: string; record: PbxKeyRecord }[] = [];
    for await (const row of listRows(this.table, odata`tenantId eq ${tenantId}`, `${WHAT}s of tenant ${tenantId}`, {
      select: LIST_COLUMNS,
    }))
      rows.push({ hash: String(row.partitionKey), record: toRecord(row) });
    return rows;
  }
}

const RecordSchema = RowSchema.pick({ tenantId: true, keyId: true, createdAt: true, lastUsedAt: true, purpose: true });

function toRecord(row: Record<string, unknown>): PbxKeyRecord {
  const { lastUsedAt, purpose, ...fields } = parseStoredRow(
    { ...row, lastUsedAt: row.lastUsedAt ?? undefined, purpose: row.purpose ?? undefined },
    RecordSchema,
    WHAT,
  );
  return { ...fields, ...(lastUsedAt ? { lastUsedAt } : {}), ...(purpose ? { purpose } : {}) };
}
