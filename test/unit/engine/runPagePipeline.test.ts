import { describe, expect, it } from 'vitest';
import { runPagePipeline, type WriteTurn } from '../../../shared/engine/runPagePipeline';

interface Page {
  n: number;
  ids: string[];
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

async function* pagesOf(pages: Page[], failAt?: number): AsyncGenerator<Page> {
  for (const [i, page] of pages.entries()) {
    await tick();
    if (i === failAt) throw new Error(`read of page ${page.n} failed`);
    yield page;
  }
}

/** A deferred the test settles by hand. */
function deferred(): { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void } {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('runPagePipeline', () => {
  it('settles pages in page order even when a later page finishes its writes first', async () => {
    const events: string[] = [];
    const slow = deferred();
    const pipeline = runPagePipeline<Page, Page, number>({
      pages: pagesOf([
        { n: 1, ids: ['a'] },
        { n: 2, ids: ['b'] },
      ]),
      itemIds: (page) => page.ids,
      plan: async (page) => page,
      apply: async (page, turn) => {
        turn.started();
        if (page.n === 1) await slow.promise;
        events.push(`applied ${page.n}`);
        return page.n;
      },
      settle: async (_page, _plan, outcome) => {
        events.push(`settled ${outcome}`);
      },
    });
    await tick();
    await tick();
    await tick();
    slow.resolve();
    await pipeline;
    expect(events).toEqual(['applied 2', 'applied 1', 'settled 1', 'settled 2']);
  });

  it('plans at most one page ahead of the writes that have started', async () => {
    const planned: number[] = [];
    const turns: WriteTurn[] = [];
    const pipeline = runPagePipeline<Page, Page, void>({
      pages: pagesOf([1, 2, 3].map((n) => ({ n, ids: [`u${n}`] }))),
      itemIds: (page) => page.ids,
      plan: async (page) => {
        planned.push(page.n);
        return page;
      },
      apply: async (_page, turn) => {
        turns.push(turn);
        await turn.ready;
      },
      settle: async () => undefined,
    });
    for (let i = 0; i < 10; i += 1) await tick();
    expect(planned).toEqual([1, 2]); // page 1's writes never said they all started
    turns[0]!.started();
    for (let i = 0; i < 10; i += 1) await tick();
    expect(planned).toEqual([1, 2, 3]);
    turns[1]!.started();
    turns[2]!.started();
    await pipeline;
  });

  it('lets a page touching an item of an unfinished page wait for that page', async () => {
    const events: string[] = [];
    const first = deferred();
    const pipeline = runPagePipeline<Page, Page, void>({
      pages: pagesOf([
        { n: 1, ids: ['a', 'b'] },
        { n: 2, ids: ['b', 'c'] },
      ]),
      itemIds: (page) => page.ids,
      plan: async (page) => {
        events.push(`plan ${page.n}`);
        return page;
      },
      apply: async (page, turn) => {
        turn.started();
        if (page.n === 1) await first.promise;
      },
      settle: async (page) => {
        events.push(`settled ${page.n}`);
      },
    });
    for (let i = 0; i < 10; i += 1) await tick();
    expect(events).toEqual(['plan 1']);
    first.resolve();
    await pipeline;
    expect(events).toEqual(['plan 1', 'settled 1', 'plan 2', 'settled 2']);
  });

  it('takes no new page once one failed, settles none after it, and throws the earliest failure', async () => {
    const planned: number[] = [];
    const settled: number[] = [];
    const second = deferred();
    const pipeline = runPagePipeline<Page, Page, void>({
      pages: pagesOf([1, 2, 3, 4].map((n) => ({ n, ids: ['same'] }))),
      itemIds: (page) => page.ids,
      plan: async (page) => {
        planned.push(page.n);
        return page;
      },
      apply: async (page, turn) => {
        turn.started();
        if (page.n === 2) await second.promise;
      },
      settle: async (page) => {
        if (page.n === 2) throw new Error('page 2 failed');
        settled.push(page.n);
      },
    });
    await tick();
    second.resolve();
    await expect(pipeline).rejects.toThrow('page 2 failed');
    expect(planned).toEqual([1, 2]);
    expect(settled).toEqual([1]);
  });

  it('returns only once every page taken is settled, then throws a failed read', async () => {
    const settled: number[] = [];
    const slow = deferred();
    let finished = false;
    const pipeline = runPagePipeline<Page, Page, void>({
      pages: pagesOf(
        [1, 2, 3].map((n) => ({ n, ids: [`u${n}`] })),
        2,
      ),
      itemIds: (page) => page.ids,
      plan: async (page) => page,
      apply: async (page, turn) => {
        turn.started();
        if (page.n === 2) await slow.promise;
      },
      settle: async (page) => {
        settled.push(page.n);
      },
    }).finally(() => (finished = true));
    pipeline.catch(() => undefined);
    for (let i = 0; i < 10; i += 1) await tick();
    expect(finished).toBe(false); // the read failed, but page 2 is still writing
    slow.resolve();
    await expect(pipeline).rejects.toThrow('read of page 3 failed');
    expect(settled).toEqual([1, 2]);
  });
});
