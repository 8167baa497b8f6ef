import { createHash } from 'node:crypto';
import { AppError } from '../../core/errors/AppError';
import { DeltaRoundState } from '../../engine/DeltaRoundState';
import { type FeatureRunResult } from '../../engine/FeatureRunResult';
import { chooseRoundStart } from '../../engine/chooseRoundStart';
import { readGroupsRound } from '../../engine/readGroupsRound';
import { type FeatureContext } from '../Feature';
import { type GroupSyncOptions } from './groupsOptions';
import { GroupSyncRun } from './GroupSyncRun';

/** Hash of the options that decide which groups are synced and how; a change makes the next run a full one. */
export function groupsOptionsHash(options: GroupSyncOptions): string {
  const relevant = {
    scope: options.scope,
    membership: options.membership,
    onDeleted: options.onDeleted,
    onOutOfScope: options.onOutOfScope,
  };
  return createHash('sha256').update(JSON.stringify(relevant)).digest('hex').slice(0, 16);
}

/**
 * One groups run for one tenant: reads the groups round (with `members@delta`), creates, renames and
 * deletes PBX groups, applies member changes as adds and removes, places users other runs linked, and only
 * then saves the round's deltaLink. A full round also sweeps the links of groups it did not see.
 */
export async function runGroupSync(
  context: FeatureContext<GroupSyncOptions>,
  request: { mode: 'full' | 'delta'; dryRun: boolean },
): Promise<FeatureRunResult> {
  const { pbxGroups, pbxProfile, directoryReader, pbx, deltaStates, tenantId, options, log } = context;
  if (!pbxGroups)
    throw new AppError('INVALID', `the connector does not manage extension groups on ${pbxProfile.productName} yet: turn groups off`);
  const requestsBefore = { graph: directoryReader.requestCount(), pbx: pbx.requestCount() };
  const hash = groupsOptionsHash(options);
  const state = await DeltaRoundState.load(deltaStates, { tenantId, resource: 'groups', optionsHash: hash }, request.dryRun);
  const start = chooseRoundStart(state.current, hash, request.mode);
  const notes: string[] = start.note ? [start.note] : [];
  const read = await readGroupsRound(directoryReader, start, () => {
    log.warn('groups delta token expired; starting a full round');
    notes.push('delta token expired or was reset by Graph: clean full round');
  });

  const run = new GroupSyncRun(context, pbxGroups, request.dryRun, read.mode);
  run.result.notes.push(...notes);
  run.result.pages = read.round.pages;
  await run.loadLinks();
  await run.applyRound(read.round, read.mode);
  await run.applyInbox();
  const result = run.finish(requestsBefore);
  await context.changes?.flush();
  await state.complete(read.deltaLink, new Date().toISOString());
  return result;
}
