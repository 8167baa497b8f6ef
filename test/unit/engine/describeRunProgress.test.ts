import { describe, expect, it } from 'vitest';
import { describeRunProgress } from '../../../shared/engine/describeRunProgress';

const startedAt = '2026-01-01T10:00:00.000Z';
const at = (seconds: number) => new Date(Date.parse(startedAt) + seconds * 1000);

describe('describeRunProgress', () => {
  it('no progress saved: undefined', () => {
    expect(describeRunProgress({ startedAt }, at(5))).toBeUndefined();
  });

  it('rate over the run so far, measured at the save; percent and time left from now', () => {
    const run = { startedAt, progress: { done: 500, total: 2000, totalBasis: 'graphCount' as const, updatedAt: at(10).toISOString() } };
    // 50 items/s; 1,500 left is 30 s from the save, 2 s of which have passed.
    expect(describeRunProgress(run, at(12))).toEqual({
      done: 500,
      total: 2000,
      totalBasis: 'graphCount',
      percent: 25,
      ratePerSecond: 50,
      etaSeconds: 28,
      updatedAt: at(10).toISOString(),
    });
  });

  it('time left never goes below zero when the last save is older than the estimate', () => {
    const run = { startedAt, progress: { done: 90, total: 100, updatedAt: at(9).toISOString() } };
    expect(describeRunProgress(run, at(60))).toMatchObject({ percent: 90, ratePerSecond: 10, etaSeconds: 0 });
  });

  it('without a total: done and rate, no percent and no time left', () => {
    const view = describeRunProgress({ startedAt, progress: { done: 30, updatedAt: at(4).toISOString() } }, at(4));
    expect(view).toEqual({ done: 30, ratePerSecond: 7.5, updatedAt: at(4).toISOString() });
  });

  it('done reached or passed the estimated total: 100 %, no time left', () => {
    const past = { startedAt, progress: { done: 1050, total: 1000, totalBasis: 'previousRun' as const, updatedAt: at(10).toISOString() } };
    const view = describeRunProgress(past, at(11));
    expect(view).toMatchObject({ percent: 100, ratePerSecond: 105, totalBasis: 'previousRun' });
    expect(view).not.toHaveProperty('etaSeconds');
    expect(
      describeRunProgress({ startedAt, progress: { done: 1000, total: 1000, updatedAt: at(10).toISOString() } }, at(11)),
    ).not.toHaveProperty('etaSeconds');
  });

  it('an empty total is complete', () => {
    expect(describeRunProgress({ startedAt, progress: { done: 0, total: 0, updatedAt: at(1).toISOString() } }, at(1))).toMatchObject({
      percent: 100,
    });
  });

  it('without startedAt (or no time elapsed): no rate and no time left', () => {
    const progress = { done: 10, total: 100, updatedAt: at(3).toISOString() };
    const unstarted = describeRunProgress({ progress }, at(5));
    expect(unstarted).toEqual({ done: 10, total: 100, percent: 10, updatedAt: at(3).toISOString() });
    expect(describeRunProgress({ startedAt: at(3).toISOString(), progress }, at(5))).not.toHaveProperty('ratePerSecond');
  });

  it('nothing done yet: a rate of zero and no time left', () => {
    const view = describeRunProgress({ startedAt, progress: { done: 0, total: 100, updatedAt: at(3).toISOString() } }, at(5));
    expect(view).toMatchObject({ percent: 0, ratePerSecond: 0 });
    expect(view).not.toHaveProperty('etaSeconds');
  });
});
