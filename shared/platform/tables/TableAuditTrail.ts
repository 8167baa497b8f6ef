import { type TableClient } from '@azure/data-tables';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { type AuditEntry, type AuditTrail } from '../../engine/AuditTrail';
import { checkedKeyPart } from './checkedKeyPart';
import { deletePartition } from './deleteRowsIfExist';
import { jsonColumn } from './jsonColumn';
import { listPartition } from './listPartition';
import { parseStoredRow } from './parseStoredRow';
import { tableCall } from './tableCall';

const ActorSchema = z.object({
  kind: z.enum(['console', 'appService', 'adminKey', 'pbx', 'connector']),
  name: z.string(),
});
const RowSchema = z.object({
  at: z.string(),
  action: z.string(),
  actor: jsonColumn(ActorSchema),
  detail: jsonColumn(z.record(z.string(), z.unknown())),
});
const COLUMNS = Object.keys(RowSchema.shape);
/** Newest first in row-key order: the key counts down from this (ms since 1970, 13 digits). */
const LAST_MS = 9_999_999_999_999;
/** A Table Storage string column holds 32K characters; a detail that big is a bug, recorded as such rather than lost. */
const MAX_DETAIL_CHARS = 30_000;

const tenantKeyOf = (tenantId: string) => checkedKeyPart(tenantId, 'tenant id');

/** The audit trail: partition = tenant id, row key = time counting down (+ a random tail), newest first. */
export class TableAuditTrail implements AuditTrail {
  constructor(private readonly table: TableClient) {}

  async record(entry: AuditEntry): Promise<void> {
    const rowKey = `${String(LAST_MS - Date.parse(entry.at)).padStart(13, '0')}-${randomBytes(4).toString('hex')}`;
    let detail = JSON.stringify(entry.detail);
    if (detail.length > MAX_DETAIL_CHARS) detail = JSON.stringify({ truncated: true, chars: detail.length });
    const entity = {
      partitionKey: tenantKeyOf(entry.tenantId),
      rowKey,
      at: entry.at,
      action: entry.action,
      actor: JSON.stringify({ kind: entry.actor.kind, name: entry.actor.name }),
      detail,
    };
    await tableCall(`audit entry of ${entry.tenantId}`, () => this.table.createEntity(entity));
  }

  async list(tenantId: string, limit: number): Promise<AuditEntry[]> {
    const what = `audit trail of ${tenantId}`;
    const entries: AuditEntry[] = [];
    if (limit <= 0) return entries;
    for await (const row of listPartition(this.table, tenantKeyOf(tenantId), what, { select: COLUMNS, pageSize: Math.min(limit, 1000) })) {
      const parsed = parseStoredRow(row, RowSchema, what);
      entries.push({ tenantId, at: parsed.at, actor: parsed.actor, action: parsed.action, detail: parsed.detail });
      if (entries.length >= limit) break;
    }
    return entries;
  }

  async deleteAllForTenant(tenantId: string): Promise<void> {
    await deletePartition(this.table, tenantKeyOf(tenantId), `audit trail of ${tenantId}`);
  }
}
