import { AppError, isAppError } from '../core/errors/AppError';
import { type DirectoryReader, type GroupsDeltaStart } from '../graph/DirectoryReader';
import { type RoundMode } from './DeltaStateStore';
import { type CollectedRound, collectGroupsPage, emptyRound } from './collectGroupsRound';

/**
 * Reads a whole groups round before anything is applied (the groups feature; the users feature's GROUPS
 * scope): a group's member changes may be spread over several pages, and groups rounds are small (one
 * object per group, member ids only). Nothing is checkpointed mid-round, so a run that fails reads the same
 * round again. A refused link restarts it once as a full round.
 */
export async function readGroupsRound(
  reader: DirectoryReader,
  start: { start: GroupsDeltaStart; mode: RoundMode },
  onRestart: () => void,
): Promise<{ round: CollectedRound; deltaLink: string; mode: 'full' | 'delta' }> {
  let { start: from, mode } = start;
  for (let attempt = 0; ; attempt += 1) {
    const round = emptyRound();
    let deltaLink: string | undefined;
    try {
      for await (const page of reader.groupsDelta(from)) {
        collectGroupsPage(round, page);
        deltaLink = page.deltaLink ?? deltaLink;
      }
    } catch (caught) {
      if (!isAppError(caught, 'DELTA_TOKEN_EXPIRED') || from.kind === 'initial' || attempt > 0) throw caught;
      onRestart();
      from = { kind: 'initial' };
      mode = 'full';
      continue;
    }
    if (deltaLink === undefined) throw new AppError('TRANSIENT', 'the groups delta round ended without a deltaLink');
    return { round, deltaLink, mode };
  }
}
