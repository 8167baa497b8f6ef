import { describe, expect, it } from 'vitest';
import { type FeatureRunResult, emptyFeatureRunResult } from '../../../shared/engine/FeatureRunResult';
import { MAX_RUN_ISSUES } from '../../../shared/engine/RunStore';
import { RunTally } from '../../../shared/engine/RunTally';

const emptyResult = (): FeatureRunResult => emptyFeatureRunResult('full');

describe('RunTally', () => {
  it('adds counts and issues, and counts skips by reason', () => {
    const result = emptyResult();
    const tally = new RunTally(result);
    tally.merge({ counts: { created: 2, skipped: 1 }, issues: [{ objectId: 'a', action: 'skip', code: 'missingName', message: 'm' }] });
    tally.merge({ counts: { created: 1, failed: 1 }, issues: [{ objectId: 'b', action: 'create', code: 'ERROR', message: 'm' }] });
    expect(result.counts).toMatchObject({ created: 3, skipped: 1, failed: 1, updated: 0 });
    expect(result.skippedByReason).toEqual({ missingName: 1 });
    expect(result.issues.map((i) => i.objectId)).toEqual(['a', 'b']);
  });

  it('keeps counting skips past the cap on the issue list', () => {
    const result = emptyResult();
    const tally = new RunTally(result);
    const issues = Array.from({ length: MAX_RUN_ISSUES + 5 }, (_, i) => ({
      objectId: `u${i}`,
      action: 'skip',
      code: 'guest',
      message: 'm',
    }));
    tally.merge({ counts: { skipped: issues.length }, issues });
    expect(result.issues).toHaveLength(MAX_RUN_ISSUES);
    expect(result.skippedByReason).toEqual({ guest: MAX_RUN_ISSUES + 5 });
    expect(result.counts.skipped).toBe(MAX_RUN_ISSUES + 5);
  });

  it('throws a retryable failure only after counting the batch', () => {
    const result = emptyResult();
    const tally = new RunTally(result);
    const outage = new Error('throttled');
    expect(() => tally.merge({ counts: { updated: 4 }, issues: [], retryableError: outage })).toThrow(outage);
    expect(result.counts.updated).toBe(4);
  });

  it('adds out-of-scope items by reason', () => {
    const result = emptyResult();
    const tally = new RunTally(result);
    tally.addOutOfScope({ guest: 2, disabled: 1 });
    tally.addOutOfScope({ guest: 1 });
    expect(result.counts.outOfScope).toBe(4);
    expect(result.outOfScopeByReason).toEqual({ guest: 3, disabled: 1 });
  });
});
