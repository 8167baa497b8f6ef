import { type TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { AppError, isAppError } from '../../core/errors/AppError';
import { type PendingUser, type PendingUserStore } from '../../engine/PendingUserStore';
import { deleteEntityIfExists } from './deleteEntityIfExists';
import { findEntity } from './findEntity';
import { listPartition } from './listPartition';
import { parseStoredRow } from './parseStoredRow';
import { tableCall } from './tableCall';

const RowSchema = z.object({
  rowKey: z.string(),
  code: z.string(),
  message: z.string(),
  attempts: z.number().int().positive(),
  firstFailedAt: z.string(),
  lastFailedAt: z.string(),
});

const COLUMNS = ['code', 'message', 'attempts', 'firstFailedAt', 'lastFailedAt'];
/** PBX error messages can be long; the start says what went wrong. */
const MAX_MESSAGE = 2000;
/** Read-modify-write retries when another writer bumped the same row in between. */
const MAX_ATTEMPTS = 5;

/** Users whose change could not be written: partition = tenant id, row key = Entra object id. */
export class TablePendingUserStore implements PendingUserStore {
  constructor(private readonly table: TableClient) {}

  async list(tenantId: string): Promise<PendingUser[]> {
    const users: PendingUser[] = [];
    for await (const row of listPartition(this.table, tenantId, `pending users of ${tenantId}`, { select: COLUMNS }))
      users.push(toPendingUser(tenantId, row));
    return users;
  }

  async record(tenantId: string, objectId: string, code: string, message: string): Promise<void> {
    const what = `pending user ${tenantId}/${objectId}`;
    for (let attempt = 1; ; attempt += 1) {
      const now = new Date().toISOString();
      const row = await findEntity(this.table, tenantId, objectId, what, COLUMNS);
      const previous = row && toPendingUser(tenantId, row);
      const etag = row && String(row.etag);
      const entity = {
        partitionKey: tenantId,
        rowKey: objectId,
        code,
        message: message.slice(0, MAX_MESSAGE),
        attempts: (previous?.attempts ?? 0) + 1,
        firstFailedAt: previous?.firstFailedAt ?? now,
        lastFailedAt: now,
      };
      try {
        if (etag) await tableCall(what, () => this.table.updateEntity(entity, 'Replace', { etag }));
        else await tableCall(what, () => this.table.createEntity(entity));
        return;
      } catch (err) {
        const raced = isAppError(err, 'PRECONDITION_FAILED') || isAppError(err, 'CONFLICT') || isAppError(err, 'NOT_FOUND');
        if (!raced) throw err;
        if (attempt >= MAX_ATTEMPTS)
          throw new AppError('TRANSIENT', `${what}: kept changing while its attempt count was bumped`, { cause: err });
      }
    }
  }

  async remove(tenantId: string, objectId: string): Promise<void> {
    await deleteEntityIfExists(this.table, tenantId, objectId, `pending user ${tenantId}/${objectId}`);
  }
}

function toPendingUser(tenantId: string, row: Record<string, unknown>): PendingUser {
  const { rowKey, ...fields } = parseStoredRow(row, RowSchema, `pending user ${tenantId}/${String(row.rowKey)}`);
  return { tenantId, objectId: rowKey, ...fields };
}
