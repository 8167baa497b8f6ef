import { AppError } from '../../core/errors/AppError';
import { runIdTime } from '../../engine/runIdTime';

/** A UTC day as a partition-key prefix: yyyymmdd (sorts like the days). */
export function dayKey(time: Date): string {
  return time.toISOString().slice(0, 10).replaceAll('-', '');
}

/**
 * Run changes live in partition `<day the run was queued>|<tenant>` (the day read from the run id, so every
 * writer and reader of a run finds the same partition), row key `<run id>|<item key>`. A run's list is then
 * one row-key range of one partition, in insertion order; purging a day is one partition-key range query;
 * one tenant's busy day never shares a partition with another tenant.
 */
export function runChangePartition(tenantId: string, runId: string): string {
  const queuedAt = runIdTime(runId);
  if (!queuedAt) throw new AppError('INTERNAL', `run changes: invalid run id ${runId}`);
  return `${dayKey(queuedAt)}|${tenantId}`;
}

export function runChangeRowKey(runId: string, key: string): string {
  return `${runId}|${key}`;
}

/** The bounds of a run's rows in its partition: every `<run id>|…` row key is ≥ start and < end. */
export function runChangeRowRange(runId: string): { start: string; end: string } {
  return { start: `${runId}|`, end: `${runId}}` }; // '}' follows '|'
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
