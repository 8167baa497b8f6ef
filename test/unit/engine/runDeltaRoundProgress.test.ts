import { describe, expect, it } from 'vitest';
import { type DeltaRoundState } from '../../../shared/engine/DeltaRoundState';
import { type RunProgress } from '../../../shared/engine/RunProgress';
import { type DeltaPageLinks, runDeltaRound } from '../../../shared/engine/runDeltaRound';

interface Page extends DeltaPageLinks {
  ids: string[];
}

const pages: Page[] = [
  { ids: ['a', 'b', 'c'], nextLink: 'https://graph.test/next1' },
  { ids: ['d'], nextLink: 'https://graph.test/next2' },
  { ids: ['e', 'f'], deltaLink: 'https://graph.test/delta' },
];

/** Checkpoints are accepted and forgotten: this test is about what the round reports. */
const state = { checkpoint: async () => undefined, forgetRound: async () => undefined } as unknown as DeltaRoundState;

function round(extra: { itemCount?: (page: Page) => number } = {}) {
  return {
    state,
    start: { start: { kind: 'initial' as const }, mode: 'full' as const, resumed: false },
    startedAt: '2026-01-01T00:00:00.000Z',
    read: async function* () {
      yield* pages;
    },
    itemIds: (page: Page) => page.ids,
    plan: async (page: Page) => page.ids,
    apply: async (_plan: string[], turn: { ready: Promise<void>; started: () => void }) => {
      await turn.ready;
      turn.started();
    },
    settle: async () => undefined,
    onRestart: () => undefined,
    ...extra,
  };
}

function recordingProgress(): RunProgress & { settledPages: number[] } {
  const settledPages: number[] = [];
  return { settledPages, settled: (items) => settledPages.push(items), expectTotal: () => undefined };
}

describe('runDeltaRound reports progress', () => {
  it("each settled page's items go to the run's progress, in page order", async () => {
    const progress = recordingProgress();
    await runDeltaRound({ ...round(), progress });
    expect(progress.settledPages).toEqual([3, 1, 2]);
  });

  it('a count the round supplies replaces the item ids', async () => {
    const progress = recordingProgress();
    await runDeltaRound({ ...round({ itemCount: (page) => page.ids.length * 10 }), progress });
    expect(progress.settledPages).toEqual([30, 10, 20]);
  });

  it('without a progress (dry runs, timers) nothing is reported and the round still completes', async () => {
    const progress = recordingProgress();
    const end = await runDeltaRound(round());
    expect(end.deltaLink).toBe('https://graph.test/delta');
    expect(progress.settledPages).toEqual([]);
  });
});
