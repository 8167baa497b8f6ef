import { describeNoUserAccess } from '../../engine/actAsUser';
import { countRunRequests, type FeatureRunResult, startFeatureRunResult } from '../../engine/FeatureRunResult';
import { MAX_RUN_ISSUES } from '../../engine/RunStore';
import { planPresenceBatches } from './planPresenceBatches';
import { requirePort } from '../../engine/requirePort';
import { type FeatureContext } from '../Feature';
import { pollPresenceBatch } from './pollPresenceBatch';
import { type PresenceOptions } from './presenceOptions';

const WRITING_REASONS: ReadonlySet<string> = new Set(['set', 'reasserted', 'restored']);

/**
 * One full presence pass: every synced user in batches of 650 (one Graph call each), every status the
 * connector holds the PBX to read back and re-asserted. A dry run decides and writes nothing; its planned
 * actions are the decisions it would have recorded.
 */
export async function runPresenceSync(
  context: FeatureContext<PresenceOptions>,
  request: { mode: 'full' | 'delta'; dryRun: boolean },
): Promise<FeatureRunResult> {
  const result = startFeatureRunResult({ ...request, mode: 'full' });
  const counted = countRunRequests(context.presenceReader, context.pbx);
  requirePort(context.pbxPresence, 'presence', context.pbxProfile.productName);
  const batches = planPresenceBatches(await context.linkedUsers.list(), 0, context.options);
  for (const batch of batches) {
    const outcome = await pollPresenceBatch(context, { ...batch, reassert: true, dryRun: request.dryRun, now: new Date() });
    result.pages += outcome.graphCalls;
    result.itemsRead += outcome.users;
    // A dry run writes nothing: what it would have written are its decisions that change the PBX.
    const updated = request.dryRun ? outcome.entries.filter((entry) => WRITING_REASONS.has(entry.reason)).length : outcome.pbxWrites;
    result.counts.updated += updated;
    result.counts.failed += outcome.failed.length;
    result.counts.unchanged += outcome.users - outcome.failed.length - updated;
    for (const { userId, reason } of outcome.limited) {
      result.skippedByReason[`presenceLimited:${reason}`] = (result.skippedByReason[`presenceLimited:${reason}`] ?? 0) + 1;
      if (result.issues.length < MAX_RUN_ISSUES) {
        result.issues.push({
          objectId: userId,
          code: `presenceLimited:${reason}`,
          message: `only the DND switch can be set: ${describeNoUserAccess(reason)}`,
        });
      }
    }
    for (const { userId, message } of outcome.failed) {
      if (result.issues.length < MAX_RUN_ISSUES) result.issues.push({ objectId: userId, code: 'presenceFailed', message });
    }
    if (outcome.held > 0) result.notes.push(`${outcome.held} user(s) show business trip or lunch set by hand on the PBX; left as they are`);
    if (request.dryRun) result.plannedActions?.push(...outcome.entries);
  }
  return counted(result);
}
