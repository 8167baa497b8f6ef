import { type TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { isAppError } from '../../core/errors/AppError';
import { type HeldLease, type WriterLeaseStore } from '../../engine/WriterLease';
import { etagOf } from './etagOf';
import { findEntity } from './findEntity';
import { parseStoredRow } from './parseStoredRow';
import { tableCall } from './tableCall';

const RowSchema = z.object({ owner: z.string(), expiresAt: z.string(), etag: z.string() });

/**
 * Writer leases: partition = tenant id, row key = lane. Every change is conditional (create-if-absent, or
 * replace with the ETag that was read), so of two instances racing for one lease exactly one wins.
 */
export class TableWriterLeaseStore implements WriterLeaseStore {
  constructor(private readonly table: TableClient) {}

  async acquire(key: HeldLease['key'], owner: string, ttlMs: number, now: Date): ReturnType<WriterLeaseStore['acquire']> {
    const what = `writer lease ${key.tenantId}/${key.lane}`;
    const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
    const entity = { partitionKey: key.tenantId, rowKey: key.lane, owner, expiresAt };
    try {
      const created = await tableCall(what, () => this.table.createEntity(entity));
      return { lease: { key, owner, expiresAt, etag: etagOf(created, what) } };
    } catch (err) {
      if (!isAppError(err, 'CONFLICT')) throw err;
    }
    const row = await findEntity(this.table, key.tenantId, key.lane, what);
    if (!row) return this.acquire(key, owner, ttlMs, now); // released between our create and our read
    const current = parseStoredRow(row, RowSchema, what);
    if (Date.parse(current.expiresAt) > now.getTime() && current.owner !== owner) {
      return { lease: null, heldBy: { owner: current.owner, expiresAt: current.expiresAt } };
    }
    try {
      // Expired (or ours from a run that died): take it over, but only if nobody else did first.
      const taken = await tableCall(what, () => this.table.updateEntity(entity, 'Replace', { etag: current.etag }));
      return { lease: { key, owner, expiresAt, etag: etagOf(taken, what) } };
    } catch (err) {
      if (!isAppError(err, 'PRECONDITION_FAILED') && !isAppError(err, 'NOT_FOUND')) throw err;
      const winner = await findEntity(this.table, key.tenantId, key.lane, what);
      if (!winner) return this.acquire(key, owner, ttlMs, now);
      const held = parseStoredRow(winner, RowSchema, what);
      return { lease: null, heldBy: { owner: held.owner, expiresAt: held.expiresAt } };
    }
  }

  async renew(lease: HeldLease, ttlMs: number, now: Date): Promise<HeldLease> {
    const what = `writer lease ${lease.key.tenantId}/${lease.key.lane}`;
    const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
    const entity = { partitionKey: lease.key.tenantId, rowKey: lease.key.lane, owner: lease.owner, expiresAt };
    const renewed = await tableCall(what, () => this.table.updateEntity(entity, 'Replace', { etag: lease.etag }));
    return { ...lease, expiresAt, etag: etagOf(renewed, what) };
  }

  async release(lease: HeldLease): Promise<void> {
    const what = `writer lease ${lease.key.tenantId}/${lease.key.lane}`;
    try {
      await tableCall(what, () => this.table.deleteEntity(lease.key.tenantId, lease.key.lane, { etag: lease.etag }));
    } catch (err) {
      // Taken over or already gone: it is not ours to remove.
      if (!isAppError(err, 'PRECONDITION_FAILED') && !isAppError(err, 'NOT_FOUND')) throw err;
    }
  }
}
