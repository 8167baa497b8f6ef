import { readAhead } from './readAhead';

/**
 * A page's place in the order of writes. Writes of consecutive pages overlap only at the seam: page N+1's
 * start once page N's have all been handed to workers, so the worker pool never drains between pages and
 * the target's rate limit, not our own round trips, sets the pace.
 */
export interface WriteTurn {
  /** Resolves once the previous page's writes have all started: this page's may start then. */
  ready: Promise<void>;
  /** To call once this page's writes have all started, or once they never will (it must be called). */
  started: () => void;
}

/** What a feature supplies for one round; the pipeline owns the ordering. */
export interface PagePipeline<Page, Plan, Outcome> {
  pages: AsyncIterable<Page>;
  /** The source items a page touches: a page waits for any unfinished page touching the same item. */
  itemIds(page: Page): Iterable<string>;
  /** Turns a page into its writes (and counts what needs none); pages are planned one at a time, in order. */
  plan(page: Page): Promise<Plan>;
  apply(plan: Plan, turn: WriteTurn): Promise<Outcome>;
  /**
   * Records a page's outcome and moves the checkpoint past it; called in page order, each only after every
   * earlier page settled. Throwing fails the page (and with it the round).
   */
  settle(page: Page, plan: Plan, outcome: Outcome): Promise<void>;
}

interface UnfinishedPage {
  ids: Set<string>;
  done: Promise<void>;
}

/**
 * Runs a round as a pipeline: while page N's writes run, page N+1 is read (ahead) and planned, and page
 * N-1 settles. Guarantees, each needed for a crash or a failure to lose nothing:
 * - pages settle (so checkpoints move) in page order, each only after its own and every earlier page's
 *   outcome was settled;
 * - one writer per item across unfinished pages, as the writer lease gives one writer per tenant;
 * - once a page failed no new page is taken: the round ends at the last good checkpoint;
 * - it returns (or throws the earliest failure) only once every page taken is settled, so nothing of the
 *   run is still writing when the caller records it or gives up its writer lease.
 * Planning waits for the previous page's turn, so at most one page of writes is planned ahead; planning
 * further ahead would read a target (links, free numbers) the unfinished writes are still changing.
 */
export async function runPagePipeline<Page, Plan, Outcome>(pipeline: PagePipeline<Page, Plan, Outcome>): Promise<void> {
  const unfinished = new Set<UnfinishedPage>();
  /** The last page's settling; each page's settling waits for the one before it. */
  let settled: Promise<void> = Promise.resolve();
  let previousTurn: Promise<void> = Promise.resolve();
  let writeTurn: Promise<void> = Promise.resolve();
  /** The first page that failed (its checkpoint and every later one stay unsaved), and a failed read or plan. */
  let failed: { error: unknown } | undefined;
  let loopFailure: { error: unknown } | undefined;
  try {
    for await (const page of readAhead(pipeline.pages)) {
      await previousTurn;
      const ids = new Set(pipeline.itemIds(page));
      for (const earlier of overlapping(ids, unfinished)) await earlier.done.catch(() => undefined);
      if (failed) break;
      const plan = await pipeline.plan(page);
      let passTurn!: () => void;
      const nextTurn = new Promise<void>((resolve) => (passTurn = resolve));
      const applied = pipeline.apply(plan, { ready: writeTurn, started: passTurn });
      previousTurn = writeTurn;
      writeTurn = nextTurn;
      const before = settled;
      const done = (async () => {
        const outcome = await applied;
        await before;
        await pipeline.settle(page, plan, outcome);
      })();
      const entry = { ids, done };
      unfinished.add(entry);
      settled = done;
      done.then(
        () => unfinished.delete(entry),
        (error: unknown) => {
          unfinished.delete(entry);
          failed ??= { error };
        },
      );
    }
  } catch (error) {
    loopFailure = { error };
  }
  // Pages chain their settling, so the last one settles after all; its error is the earliest page's.
  await settled.catch(() => undefined);
  if (failed) throw failed.error;
  if (loopFailure) throw loopFailure.error;
}

/** The unfinished pages touching one of these items; lazy, so a page that finished meanwhile is passed over. */
function* overlapping(ids: Set<string>, unfinished: Set<UnfinishedPage>): Generator<UnfinishedPage> {
  for (const earlier of unfinished) if ([...ids].some((id) => earlier.ids.has(id))) yield earlier;
}
