import { AppError } from '../../core/errors/AppError';
import { runIdTime } from '../../engine/runIdTime';

/** A UTC day as a partition-key prefix: yyyymmdd (sorts like the days). */
export function dayKey(time: Date): string {
  return time.toISOString().slice(0, 10).replaceAll('-', '');
}

/** Items per partition: small partitions keep writes cheap (the emulator scans a partition on every write). */
export const ITEMS_PER_PARTITION = 500;

/**
 * Run changes live in partitions `<day the run was queued>|<tenant>|<run id>|<chunk>` (the day read from the run
 * id, so every writer and reader of a run finds the same partitions; the chunk from the item key's writer and
 * sequence), row key `<run id>|<item key>`. A run's list is one partition-key range, in insertion order
 * (chunks sort like the items in them); purging a day is one partition-key range query.
 */
export function runPartitionPrefix(tenantId: string, runId: string): string {
  const queuedAt = runIdTime(runId);
  if (!queuedAt) throw new AppError('INTERNAL', `run changes: invalid run id ${runId}`);
  return `${dayKey(queuedAt)}|${tenantId}|${runId}|`;
}

/** The partition of one item: the run's prefix and the item's chunk (`<writer>-<sequence / 500>`). */
export function runChangePartition(tenantId: string, runId: string, itemKey: string): string {
  const at = itemKey.lastIndexOf('-');
  const sequence = at < 0 ? 0 : Number(itemKey.slice(at + 1)) || 0;
  const writer = at < 0 ? itemKey : itemKey.slice(0, at);
  return `${runPartitionPrefix(tenantId, runId)}${writer}-${String(Math.floor(sequence / ITEMS_PER_PARTITION)).padStart(6, '0')}`;
}

export function runChangeRowKey(runId: string, key: string): string {
  return `${runId}|${key}`;
}

/** The item key of a row key; undefined for rows that are not run changes. */
export function itemKeyOf(rowKey: string): string | undefined {
  const at = rowKey.indexOf('|');
  return at < 0 ? undefined : rowKey.slice(at + 1);
}

/** The run id part of a row key (whatever precedes the first '|'; not checked). */
export function runIdOf(rowKey: string): string {
  const at = rowKey.indexOf('|');
  return at < 0 ? rowKey : rowKey.slice(0, at);
}
