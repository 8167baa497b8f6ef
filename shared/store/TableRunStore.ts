import { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { AppError } from '../errors/AppError';
import { RunStore, SyncRun } from './RunStore';
import { tableCall } from './tableErrorFor';
import { MAX_TABLE_STRING, fromJsonColumn, toColumn } from './jsonColumn';

const CountsSchema = z.object({
  created: z.number(), adopted: z.number(), updated: z.number(), disabled: z.number(), deleted: z.number(),
  unlinked: z.number(), unchanged: z.number(), skipped: z.number(), failed: z.number(),
});
const IssuesSchema = z.array(z.object({ objectId: z.string().optional(), userPrincipalName: z.string().optional(), action: z.string().optional(), code: z.string(), message: z.string() }));

const RowSchema = z.object({
  partitionKey: z.string(),
  rowKey: z.string(),
  status: z.enum(['queued', 'running', 'succeeded', 'partial', 'failed']),
  trigger: z.enum(['manual', 'scheduled', 'notification', 'lifecycle', 'startup', 'cli']),
  mode: z.enum(['full', 'delta']),
  dryRun: z.boolean(),
  queuedAt: z.string(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  durationMs: z.number().optional(),
  counts: z.string(),
  skippedByReason: z.string(),
  issues: z.string(),
  notes: z.string(),
  graphRequests: z.number(),
  pbxRequests: z.number(),
  pages: z.number(),
  error: z.string().optional(),
});

/**
 * Issues are capped by count (MAX_RUN_ISSUES) but long messages can still pass the 32K-character property
 * limit; keep the first ones that fit and say how many were left out (the counts stay exact).
 */
function issuesThatFit(issues: SyncRun['issues']): SyncRun['issues'] {
  const kept = issues.map((i) => ({ ...i, message: i.message.slice(0, 300) }));
  let dropped = 0;
  while (kept.length > 0 && JSON.stringify(kept).length > MAX_TABLE_STRING - 200) {
    kept.pop();
    dropped += 1;
  }
  if (dropped > 0) kept.push({ code: 'issuesTruncated', message: `${dropped} more issues are not stored; the counts include them` });
  return kept;
}

export class TableRunStore implements RunStore {
  constructor(private readonly table: TableClient) {}

  private toEntity(run: SyncRun) {
    const { tenantId, runId, counts, skippedByReason, issues, notes, ...rest } = run;
    const entity: Record<string, unknown> = {
      partitionKey: tenantId,
      rowKey: runId,
      counts: JSON.stringify(counts),
      skippedByReason: JSON.stringify(skippedByReason),
      issues: toColumn(issuesThatFit(issues), 'run issues'),
      notes: toColumn(notes, 'run notes'),
    };
    for (const [key, value] of Object.entries(rest)) if (value !== undefined) entity[key] = key === 'error' ? String(value).slice(0, 4000) : value;
    return entity as { partitionKey: string; rowKey: string };
  }

  private toRun(row: unknown): SyncRun {
    const parsed = RowSchema.safeParse(row);
    if (!parsed.success) throw new AppError('INTERNAL', `a stored run is unreadable: ${parsed.error.issues[0]?.message}`);
    const { partitionKey, rowKey, counts, skippedByReason, issues, notes, ...rest } = parsed.data;
    return {
      ...rest,
      tenantId: partitionKey,
      runId: rowKey,
      counts: fromJsonColumn(counts, CountsSchema, 'run counts'),
      skippedByReason: fromJsonColumn(skippedByReason, z.record(z.string(), z.number()), 'run skip reasons'),
      issues: fromJsonColumn(issues, IssuesSchema, 'run issues'),
      notes: fromJsonColumn(notes, z.array(z.string()), 'run notes'),
    };
  }

  async create(run: SyncRun): Promise<void> {
    await tableCall(`run ${run.runId}`, () => this.table.createEntity(this.toEntity(run)));
  }

  async save(run: SyncRun): Promise<void> {
    await tableCall(`run ${run.runId}`, () => this.table.upsertEntity(this.toEntity(run), 'Replace'));
  }

  async get(tenantId: string, runId: string): Promise<SyncRun | null> {
    try {
      return this.toRun(await tableCall(`run ${runId}`, () => this.table.getEntity(tenantId, runId)));
    } catch (err) {
      if (err instanceof AppError && err.code === 'NOT_FOUND') return null;
      throw err;
    }
  }

  async list(tenantId: string, limit: number): Promise<SyncRun[]> {
    return tableCall('runs', async () => {
      const runs: SyncRun[] = [];
      const pages = this.table.listEntities({ queryOptions: { filter: `PartitionKey eq '${tenantId}'` } }).byPage({ maxPageSize: limit });
      for await (const page of pages) {
        for (const row of page) {
          runs.push(this.toRun(row));
          if (runs.length >= limit) return runs;
        }
      }
      return runs;
    });
  }
}
