import { type TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { RUN_TRIGGERS, type RunCounts, type RunIssue, type RunStore, type SyncRun, type SyncRunProgress } from '../../engine/RunStore';
import { MAX_TABLE_STRING, checkedTableString } from './checkedTableString';
import { findEntity } from './findEntity';
import { jsonColumn } from './jsonColumn';
import { listPartition } from './listPartition';
import { parseStoredRow } from './parseStoredRow';
import { tableCall } from './tableCall';

const count = z.number().int().nonnegative();
const CountsSchema = z.object({
  created: count,
  adopted: count,
  updated: count,
  disabled: count,
  deleted: count,
  unlinked: count,
  unchanged: count,
  skipped: count,
  failed: count,
  // Runs recorded before these counts existed read as zero.
  outOfScope: count.default(0),
}) satisfies z.ZodType<RunCounts>;
const IssueSchema = z.object({
  objectId: z.string().optional(),
  userPrincipalName: z.string().optional(),
  action: z.string().optional(),
  code: z.string(),
  message: z.string(),
}) satisfies z.ZodType<RunIssue>;
const ProgressSchema = z.object({
  done: count,
  total: count.optional(),
  totalBasis: z.enum(['graphCount', 'previousRun']).optional(),
  updatedAt: z.string(),
}) satisfies z.ZodType<SyncRunProgress>;

const RowSchema = z.object({
  rowKey: z.string(),
  feature: z.string().optional(),
  status: z.enum(['queued', 'running', 'succeeded', 'partial', 'failed']),
  trigger: z.enum(RUN_TRIGGERS),
  mode: z.enum(['full', 'delta']),
  dryRun: z.boolean(),
  queuedAt: z.string(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  durationMs: z.number().optional(),
  counts: jsonColumn(CountsSchema),
  skippedByReason: jsonColumn(z.record(z.string(), count)),
  outOfScopeByReason: jsonColumn(z.record(z.string(), count)).default({}),
  itemsRead: count.default(0),
  issues: jsonColumn(z.array(IssueSchema)),
  graphRequests: count,
  pbxRequests: count,
  pages: count,
  error: z.string().optional(),
  notes: jsonColumn(z.array(z.string())),
  // Runs recorded before progress existed, and runs that never settled a page, have none.
  progress: jsonColumn(ProgressSchema).optional(),
});

const COLUMNS = Object.keys(RowSchema.shape).filter((name) => name !== 'rowKey');
/** Longest stored issue message and run error; the rest is in the logs. */
const MAX_ISSUE_MESSAGE = 300;
const MAX_ERROR = 4000;

/**
 * Issues are capped by count (MAX_RUN_ISSUES) but long ones can still pass the property limit; keep the
 * first ones that fit and say how many were left out (the counts stay exact).
 */
function issuesThatFit(issues: RunIssue[]): RunIssue[] {
  const kept = issues.map((issue) => ({ ...issue, message: issue.message.slice(0, MAX_ISSUE_MESSAGE) }));
  let dropped = 0;
  while (kept.length > 0 && JSON.stringify(kept).length > MAX_TABLE_STRING - 200) {
    kept.pop();
    dropped += 1;
  }
  if (dropped > 0) kept.push({ code: 'issuesTruncated', message: `${dropped} more issues are not stored; the counts include them` });
  return kept;
}

/** Sync run history: partition = tenant id, row key = run id (newRunId sorts newest first). */
export class TableRunStore implements RunStore {
  constructor(private readonly table: TableClient) {}

  async create(run: SyncRun): Promise<void> {
    const what = `run ${run.tenantId}/${run.runId}`;
    await tableCall(what, () => this.table.createEntity(toEntity(run)));
  }

  async save(run: SyncRun): Promise<void> {
    const what = `run ${run.tenantId}/${run.runId}`;
    await tableCall(what, () => this.table.upsertEntity(toEntity(run), 'Replace'));
  }

  async get(tenantId: string, runId: string): Promise<SyncRun | null> {
    const row = await findEntity(this.table, tenantId, runId, `run ${tenantId}/${runId}`, COLUMNS);
    return row && toRun(tenantId, row);
  }

  async list(tenantId: string, limit: number): Promise<SyncRun[]> {
    const runs: SyncRun[] = [];
    if (limit < 1) return runs;
    for await (const row of listPartition(this.table, tenantId, `runs of ${tenantId}`, { select: COLUMNS, pageSize: limit })) {
      runs.push(toRun(tenantId, row));
      if (runs.length >= limit) break;
    }
    return runs;
  }
}

function toEntity(run: SyncRun): { partitionKey: string; rowKey: string } & Record<string, string | number | boolean> {
  const { tenantId, runId, counts, skippedByReason, outOfScopeByReason, issues, notes, error, progress, ...rest } = run;
  const what = `run ${tenantId}/${runId}`;
  const entity: { partitionKey: string; rowKey: string } & Record<string, string | number | boolean> = {
    partitionKey: tenantId,
    rowKey: runId,
    counts: JSON.stringify(counts),
    skippedByReason: checkedTableString(JSON.stringify(skippedByReason), `${what}: skip reasons`),
    outOfScopeByReason: checkedTableString(JSON.stringify(outOfScopeByReason), `${what}: out-of-scope reasons`),
    issues: checkedTableString(JSON.stringify(issuesThatFit(issues)), `${what}: issues`),
    notes: checkedTableString(JSON.stringify(notes), `${what}: notes`),
  };
  for (const [key, value] of Object.entries(rest)) if (value !== undefined) entity[key] = value;
  if (error !== undefined) entity.error = error.slice(0, MAX_ERROR);
  // A few numbers and a timestamp: far below the property limit, so only the JSON is needed.
  if (progress !== undefined) entity.progress = JSON.stringify(progress);
  return entity;
}

function toRun(tenantId: string, row: Record<string, unknown>): SyncRun {
  const { rowKey, ...run } = parseStoredRow(row, RowSchema, `run ${tenantId}/${String(row.rowKey)}`);
  return { tenantId, runId: rowKey, ...run };
}
