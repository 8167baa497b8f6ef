import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RunProgressTracker } from '../../../shared/engine/RunProgressTracker';
import { type SyncRunProgress } from '../../../shared/engine/RunStore';
import { capturingLogger } from '../../support/capturingLogger';

/** A save the test ends when it wants: how many run at once, and what each saved. */
function controlledSaves() {
  const saved: SyncRunProgress[] = [];
  const pending: { resolve: () => void; reject: (err: Error) => void }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const save = (progress: SyncRunProgress) =>
    new Promise<void>((resolve, reject) => {
      saved.push(progress);
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const end = () => (inFlight -= 1);
      pending.push({ resolve: () => (end(), resolve()), reject: (err) => (end(), reject(err)) });
    });
  return {
    save,
    saved,
    get maxInFlight() {
      return maxInFlight;
    },
    /** Ends the oldest save still open. */
    finish: (err?: Error) => {
      const next = pending.shift()!;
      if (err) next.reject(err);
      else next.resolve();
    },
  };
}

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-01-01T10:00:00.000Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('RunProgressTracker', () => {
  it('saves at most once per interval, with everything reported until then', async () => {
    const saves = controlledSaves();
    const tracker = new RunProgressTracker({ save: saves.save, log: capturingLogger().logger, intervalMs: 2000 });
    tracker.expectTotal(1000, 'graphCount');
    expect(tracker.snapshot()).toBeUndefined();
    tracker.settled(100);
    tracker.settled(50);
    await vi.advanceTimersByTimeAsync(1999);
    expect(saves.saved).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(saves.saved).toEqual([{ done: 150, total: 1000, totalBasis: 'graphCount', updatedAt: '2026-01-01T10:00:00.000Z' }]);
    saves.finish();
    tracker.settled(25);
    await vi.advanceTimersByTimeAsync(1000);
    expect(saves.saved).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(saves.saved.map((p) => p.done)).toEqual([150, 175]);
    saves.finish();
    // Nothing new: no save.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(saves.saved).toHaveLength(2);
    await tracker.stop();
  });

  it('never two saves in flight: a slow save holds the next one back until it ends', async () => {
    const saves = controlledSaves();
    const tracker = new RunProgressTracker({ save: saves.save, log: capturingLogger().logger, intervalMs: 2000 });
    tracker.settled(1);
    await vi.advanceTimersByTimeAsync(2000);
    expect(saves.saved).toHaveLength(1);
    for (let i = 0; i < 10; i += 1) {
      tracker.settled(1);
      await vi.advanceTimersByTimeAsync(2000);
    }
    expect(saves.saved).toHaveLength(1);
    saves.finish();
    await vi.advanceTimersByTimeAsync(0);
    // The interval since the slow save started has passed: the next one goes at once, with all that settled.
    expect(saves.saved.map((p) => p.done)).toEqual([1, 11]);
    expect(saves.maxInFlight).toBe(1);
    saves.finish();
    await tracker.stop();
  });

  it('no save starts after stop, and stop waits for the one in flight', async () => {
    const saves = controlledSaves();
    const tracker = new RunProgressTracker({ save: saves.save, log: capturingLogger().logger, intervalMs: 2000 });
    tracker.settled(5);
    await vi.advanceTimersByTimeAsync(2000);
    tracker.settled(5);
    let stopped = false;
    const stopping = tracker.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    saves.finish();
    await stopping;
    tracker.settled(5);
    tracker.expectTotal(50, 'previousRun');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(saves.saved.map((p) => p.done)).toEqual([5]);
    // The final record still gets what settled before stop.
    expect(tracker.snapshot()).toMatchObject({ done: 10 });
  });

  it('a pending save is cancelled by stop', async () => {
    const saves = controlledSaves();
    const tracker = new RunProgressTracker({ save: saves.save, log: capturingLogger().logger, intervalMs: 2000 });
    tracker.settled(3);
    await vi.advanceTimersByTimeAsync(1000);
    await tracker.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(saves.saved).toHaveLength(0);
  });

  it('a failed save is logged and forgotten: the next change is saved again, stop does not throw', async () => {
    const saves = controlledSaves();
    const { logger, records } = capturingLogger();
    const tracker = new RunProgressTracker({ save: saves.save, log: logger, intervalMs: 2000 });
    tracker.settled(1);
    await vi.advanceTimersByTimeAsync(2000);
    saves.finish(new Error('table unavailable'));
    await vi.advanceTimersByTimeAsync(0);
    expect(records.some((r) => r.level === 'warn' && JSON.stringify(r).includes('table unavailable'))).toBe(true);
    tracker.settled(1);
    await vi.advanceTimersByTimeAsync(2000);
    expect(saves.saved.map((p) => p.done)).toEqual([1, 2]);
    const stopping = tracker.stop();
    saves.finish(new Error('still unavailable'));
    await expect(stopping).resolves.toBeUndefined();
  });

  it('a save that throws at once is caught like one that rejects', async () => {
    const tracker = new RunProgressTracker({
      save: () => {
        throw new Error('no table');
      },
      log: capturingLogger().logger,
      intervalMs: 2000,
    });
    tracker.settled(1);
    await vi.advanceTimersByTimeAsync(2000);
    await expect(tracker.stop()).resolves.toBeUndefined();
  });

  it('a later total replaces the earlier estimate', () => {
    const tracker = new RunProgressTracker({ save: async () => undefined, log: capturingLogger().logger });
    tracker.expectTotal(900, 'previousRun');
    tracker.expectTotal(1000, 'graphCount');
    tracker.settled(10);
    expect(tracker.snapshot()).toMatchObject({ done: 10, total: 1000, totalBasis: 'graphCount' });
    void tracker.stop();
  });
});
