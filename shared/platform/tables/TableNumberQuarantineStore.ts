import { type TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { AppError, isAppError } from '../../core/errors/AppError';
import {
  type NumberQuarantineStore,
  type QuarantineEntry,
  type QuarantinedNumber,
  QUARANTINE_NUMBER_PATTERN,
  isQuarantineActive,
} from '../../engine/NumberQuarantineStore';
import { deleteEntityIfExists } from './deleteEntityIfExists';
import { findEntity } from './findEntity';
import { listPartition } from './listPartition';
import { parseStoredRow } from './parseStoredRow';
import { tableCall } from './tableCall';

const RowSchema = z.object({
  rowKey: z.string().regex(QUARANTINE_NUMBER_PATTERN),
  quarantinedAt: z.string().datetime(),
  releaseAt: z.string().datetime(),
  objectId: z.string().min(1).optional(),
  reason: z.string(),
  etag: z.string().min(1),
});

const COLUMNS = ['quarantinedAt', 'releaseAt', 'objectId', 'reason'];
/** Reasons are our own short texts; a longer one is cut rather than refused. */
const MAX_REASON = 512;

const whatOf = (tenantId: string, number: string) => `quarantined number ${tenantId}/${number}`;

function checkedNumber(number: string): string {
  if (!QUARANTINE_NUMBER_PATTERN.test(number)) throw new AppError('INVALID', 'a quarantined number must be 1-64 digits');
  return number;
}

function checkedTime(value: string, name: string): string {
  if (Number.isNaN(Date.parse(value))) throw new AppError('INTERNAL', `quarantine ${name} is not a time: ${value}`);
  return new Date(value).toISOString();
}

/** Numbers freed by a delete: partition = tenant id, row key = the number (one row per number). */
export class TableNumberQuarantineStore implements NumberQuarantineStore {
  constructor(private readonly table: TableClient) {}

  async quarantine(tenantId: string, number: string, entry: QuarantineEntry): Promise<void> {
    const entity = {
      partitionKey: tenantId,
      rowKey: checkedNumber(number),
      quarantinedAt: checkedTime(entry.quarantinedAt ?? new Date().toISOString(), 'quarantinedAt'),
      releaseAt: checkedTime(entry.releaseAt, 'releaseAt'),
      reason: entry.reason.slice(0, MAX_REASON),
      ...(entry.objectId ? { objectId: entry.objectId } : {}),
    };
    // Replace, not merge: a number quarantined again must not keep the object id of its previous holder.
    await tableCall(whatOf(tenantId, number), () => this.table.upsertEntity(entity, 'Replace'));
  }

  async list(tenantId: string): Promise<QuarantinedNumber[]> {
    return (await this.rows(tenantId)).map(({ entry }) => entry);
  }

  async release(tenantId: string, number: string): Promise<boolean> {
    const what = whatOf(tenantId, checkedNumber(number));
    if (!(await findEntity(this.table, tenantId, number, what, []))) return false;
    await deleteEntityIfExists(this.table, tenantId, number, what);
    return true;
  }

  async activeNumbers(tenantId: string, now: Date): Promise<QuarantinedNumber[]> {
    return (await this.list(tenantId)).filter((entry) => isQuarantineActive(entry, now));
  }

  async purgeExpired(tenantId: string, now: Date): Promise<number> {
    let purged = 0;
    for (const { entry, etag } of await this.rows(tenantId)) {
      if (isQuarantineActive(entry, now)) continue;
      try {
        // Only the version read: a number quarantined again meanwhile keeps its new row.
        await tableCall(whatOf(tenantId, entry.number), () => this.table.deleteEntity(tenantId, entry.number, { etag }));
        purged += 1;
      } catch (err) {
        if (!isAppError(err, 'NOT_FOUND') && !isAppError(err, 'PRECONDITION_FAILED')) throw err;
      }
    }
    return purged;
  }

  async deleteAllForTenant(tenantId: string): Promise<void> {
    for (const { entry } of await this.rows(tenantId))
      await deleteEntityIfExists(this.table, tenantId, entry.number, whatOf(tenantId, entry.number));
  }

  private async rows(tenantId: string): Promise<{ entry: QuarantinedNumber; etag: string }[]> {
    const rows: { entry: QuarantinedNumber; etag: string }[] = [];
    for await (const row of listPartition(this.table, tenantId, `quarantined numbers of ${tenantId}`, { select: COLUMNS })) {
      const parsed = parseStoredRow({ ...row, objectId: row.objectId ?? undefined }, RowSchema, whatOf(tenantId, String(row.rowKey)));
      const { rowKey, etag, objectId, ...fields } = parsed;
      rows.push({ entry: { tenantId, number: rowKey, ...fields, ...(objectId ? { objectId } : {}) }, etag });
    }
    return rows;
  }
}
