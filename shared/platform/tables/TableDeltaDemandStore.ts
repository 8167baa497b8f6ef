import { type TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { isAppError } from '../../core/errors/AppError';
import { type DeltaDemandState, type DeltaDemandStore, type StoredDeltaDemand } from '../../notifications/DeltaDemandStore';
import { etagOf } from './etagOf';
import { findEntity } from './findEntity';
import { parseStoredRow } from './parseStoredRow';
import { tableCall } from './tableCall';

const RowSchema = z.object({
  epoch: z.string().regex(/^[0-9a-f]{8}$/),
  generation: z.number().int().min(0),
  pending: z.boolean(),
  pendingSince: z.string().datetime().optional(),
  etag: z.string(),
});

/**
 * Delta demand: partition = tenant id, row key = feature. Every write is conditional (create-if-absent, or
 * replace with the ETag that was read), so of two instances deciding at once exactly one writes; the other
 * reads again. One point read per decision: the webhook's budget allows no more.
 */
export class TableDeltaDemandStore implements DeltaDemandStore {
  constructor(private readonly table: TableClient) {}

  async get(tenantId: string, feature: string): Promise<StoredDeltaDemand | null> {
    const what = `delta demand ${tenantId}/${feature}`;
    const row = await findEntity(this.table, tenantId, feature, what, ['epoch', 'generation', 'pending', 'pendingSince']);
    return row ? stored(parseStoredRow(row, RowSchema, what)) : null;
  }

  async write(
    tenantId: string,
    feature: string,
    current: StoredDeltaDemand | null,
    next: DeltaDemandState,
  ): Promise<StoredDeltaDemand | null> {
    const what = `delta demand ${tenantId}/${feature}`;
    const entity = {
      partitionKey: tenantId,
      rowKey: feature,
      epoch: next.epoch,
      generation: next.generation,
      pending: next.pending,
      ...(next.pendingSince ? { pendingSince: next.pendingSince } : {}),
    };
    try {
      const written = current
        ? await tableCall(what, () => this.table.updateEntity(entity, 'Replace', { etag: current.etag }))
        : await tableCall(what, () => this.table.createEntity(entity));
      return { ...stored(next), etag: etagOf(written, what) };
    } catch (err) {
      if (isAppError(err, 'CONFLICT') || isAppError(err, 'PRECONDITION_FAILED') || isAppError(err, 'NOT_FOUND')) return null;
      throw err;
    }
  }
}

function stored<T extends DeltaDemandState>(row: T): T {
  const { pendingSince, ...rest } = row;
  return (pendingSince ? { ...rest, pendingSince } : rest) as T;
}
