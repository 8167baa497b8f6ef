import { describe, expect, it } from 'vitest';
import { describeRun } from '../../../scripts/local/describeRun';
import { emptyCounts } from '../../../shared/engine/RunStore';
import { queuedRun } from '../../../shared/engine/queuedRun';

const run = queuedRun({
  tenantId: 'demo',
  runId: 'r1',
  feature: 'users',
  trigger: 'startup',
  mode: 'full',
  queuedAt: '2026-12-01T00:00:00Z',
});

describe('describeRun', () => {
  it('says where every user went, reasons included', () => {
    const line = describeRun({
      ...run,
      status: 'succeeded',
      itemsRead: 24,
      counts: { ...emptyCounts(), created: 21, skipped: 1, outOfScope: 2 },
      skippedByReason: { missingName: 1 },
      outOfScopeByReason: { guest: 1, accountDisabled: 1 },
    });
    expect(line).toBe('succeeded, 24 users read: created 21; skipped 1 (missingName 1); out of scope 2 (guest 1, accountDisabled 1)');
  });

  it('says when nothing changed, and why a run failed', () => {
    expect(describeRun({ ...run, status: 'failed', error: 'Graph unreachable' })).toBe(
      'failed, 0 users read: nothing to change — Graph unreachable',
    );
  });
});
