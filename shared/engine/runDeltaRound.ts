import { AppError, isAppError } from '../core/errors/AppError';
import { type DeltaStart } from '../graph/DirectoryReader';
import { type DeltaRoundState } from './DeltaRoundState';
import { type RoundMode } from './DeltaStateStore';
import { type PagePipeline, runPagePipeline } from './runPagePipeline';
import { type RoundStart } from './chooseRoundStart';
import { type RunProgress } from './RunProgress';

/** The links every Graph delta page ends with: exactly one of them. */
export interface DeltaPageLinks {
  nextLink?: string | undefined;
  deltaLink?: string | undefined;
}

export interface DeltaRound<Page extends DeltaPageLinks, Plan, Outcome> extends Omit<PagePipeline<Page, Plan, Outcome>, 'pages'> {
  /** The feature's delta resource from a start (e.g. users; groups and contacts have their own). */
  read(start: DeltaStart): AsyncIterable<Page>;
  state: DeltaRoundState;
  start: RoundStart;
  startedAt: string;
  /** Graph refused the stored link (expired or reset token): the round restarts as a clean full one. */
  onRestart(): void;
  /**
   * The run's progress, told each settled page's items (absent: dry runs, callers that report none). Passed in,
   * not found in an async-local scope: that would put a hook on every promise of the run.
   */
  progress?: RunProgress | undefined;
  /** The items a settled page counts for the run's progress; absent: its itemIds. */
  itemCount?(page: Page): number;
}

/** How the round that completed started (it may have been restarted), and the link the next run starts from. */
export interface DeltaRoundEnd {
  deltaLink: string;
  mode: RoundMode;
  resumed: boolean;
}

/**
 * Reads one delta round through the page pipeline and checkpoints after each settled page, then reports the
 * page's items to the run's progress (when the run reports). A refused
 * link restarts the round once, from scratch; the restart deletes nothing by itself, because a sweep runs
 * only after a whole round has been read. Any other failure ends the run at the last checkpoint.
 */
export async function runDeltaRound<Page extends DeltaPageLinks, Plan, Outcome>(
  round: DeltaRound<Page, Plan, Outcome>,
): Promise<DeltaRoundEnd> {
  let { start, mode, resumed } = round.start;
  let deltaLink: string | undefined;
  const { progress } = round;
  for (let attempt = 0; ; attempt += 1) {
    try {
      await runPagePipeline({
        pages: round.read(start),
        itemIds: (page) => round.itemIds(page),
        plan: (page) => round.plan(page),
        apply: (plan, turn) => round.apply(plan, turn),
        settle: async (page, plan, outcome) => {
          await round.settle(page, plan, outcome);
          if (page.nextLink) await round.state.checkpoint(page.nextLink, { mode, startedAt: round.startedAt, resumed });
          else deltaLink = page.deltaLink;
          progress?.settled(round.itemCount ? round.itemCount(page) : countOf(round.itemIds(page)));
        },
      });
      // Retried like any unknown failure was before it had a code: a later run resumes at the checkpoint.
      if (deltaLink === undefined) throw new AppError('TRANSIENT', 'the delta round ended without a deltaLink');
      return { deltaLink, mode, resumed };
    } catch (err) {
      if (!isAppError(err, 'DELTA_TOKEN_EXPIRED') || start.kind === 'initial' || attempt > 0) throw err;
      round.onRestart();
      start = { kind: 'initial' };
      mode = 'full';
      resumed = false;
      await round.state.forgetRound();
    }
  }
}

function countOf(items: Iterable<string>): number {
  let count = 0;
  for (const _ of items) count += 1;
  return count;
}
