import { type SyncRun } from '../../shared/engine/RunStore';

const listed = (counts: Record<string, number>) =>
  Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([what, n]) => `${what} ${n}`)
    .join(', ');

/**
 * One line a person can read after `npm start`'s first sync: how it ended, how many users were read, and
 * where each went (the counts add up to the users read, plus a full round's deletions).
 */
export function describeRun(run: SyncRun): string {
  const { outOfScope, skipped, ...written } = run.counts;
  const parts = [listed(written) || 'nothing to change'];
  if (skipped > 0) parts.push(`skipped ${skipped} (${listed(run.skippedByReason)})`);
  if (outOfScope > 0) parts.push(`out of scope ${outOfScope} (${listed(run.outOfScopeByReason)})`);
  const error = run.error ? ` — ${run.error}` : '';
  return `${run.status}, ${run.itemsRead} users read: ${parts.join('; ')}${error}`;
}
