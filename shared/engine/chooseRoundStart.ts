import { type DeltaStart } from '../graph/DirectoryReader';
import { type DeltaState, type RoundMode } from './DeltaStateStore';

/** Where a run's delta round starts, and what kind of round it is. */
export interface RoundStart {
  start: DeltaStart;
  mode: RoundMode;
  /**
   * The round continues one an earlier run left unfinished: it has not read the pages before its
   * checkpoint, so a full round's sweep would delete what those pages held.
   */
  resumed: boolean;
  /** A resumed round keeps its own start time; absent, the round starts now. */
  startedAt?: string;
  /** Worth telling on the run (why the round is not the one asked for). */
  note?: string;
}

/**
 * Decides where a run starts from the stored state alone (pure, so every branch is tested without
 * storage): an unfinished round's checkpoint, the last deltaLink, or a fresh full round.
 * - Links made under other options may be wrong anywhere: only a fresh full round re-checks them all.
 * - A checkpoint wins over the mode asked for, so a huge initial sync that keeps being interrupted still
 *   finishes; except that a full reconcile asked for is not satisfied by finishing a delta round.
 * - A delta round needs the deltaLink of a completed round; without one the run reads everything.
 */
export function chooseRoundStart(state: DeltaState, optionsHash: string, requested: RoundMode): RoundStart {
  const sameOptions = state.optionsHash === optionsHash;
  if (sameOptions && state.checkpointLink && !(requested === 'full' && state.roundMode === 'delta')) {
    const mode = state.roundMode ?? 'full';
    return {
      start: { kind: 'link', url: state.checkpointLink },
      mode,
      resumed: true,
      ...(state.roundStartedAt ? { startedAt: state.roundStartedAt } : {}),
      note: `resumed an unfinished ${mode} round from its checkpoint`,
    };
  }
  if (sameOptions && state.deltaLink && requested === 'delta') {
    return { start: { kind: 'link', url: state.deltaLink }, mode: 'delta', resumed: false };
  }
  return {
    start: { kind: 'initial' },
    mode: 'full',
    resumed: false,
    ...(!sameOptions && state.optionsHash ? { note: 'sync options changed: full reconcile' } : {}),
  };
}
