import { RunIdSchemaPattern } from './newRunId';

/** newRunId's: run ids hold this minus the queue time in milliseconds. */
const MAX_TIME = 9_999_999_999_999;

/** When a run was queued, read back from its id (newRunId: inverted milliseconds); undefined for other ids. */
export function runIdTime(runId: string): Date | undefined {
  if (!RunIdSchemaPattern.test(runId)) return undefined;
  return new Date(MAX_TIME - Number(runId.slice(0, 13)));
}
