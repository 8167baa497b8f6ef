import { describe, expect, it } from 'vitest';
import { parseSyncOptions, SYNC_USAGE } from '../../scripts/syncOptions';

describe('parseSyncOptions', () => {
  it('defaults to a full sync, dry run or not, as the admin API does without ?mode', () => {
    expect(parseSyncOptions(['--tenant', 'demo'])).toEqual({ kind: 'run', options: { tenant: 'demo', dryRun: false, mode: 'full' } });
    expect(parseSyncOptions(['--tenant', 'demo', '--dry-run'])).toEqual({
      kind: 'run',
      options: { tenant: 'demo', dryRun: true, mode: 'full' },
    });
  });

  it('takes --mode delta and the --name=value form', () => {
    expect(parseSyncOptions(['--dry-run', '--mode', 'delta', '--tenant=t1'])).toEqual({
      kind: 'run',
      options: { tenant: 't1', dryRun: true, mode: 'delta' },
    });
  });

  it.each([['--help'], ['-h'], ['--tenant', 'demo', '--help']])('%s asks for the usage', (...argv) => {
    expect(parseSyncOptions(argv)).toEqual({ kind: 'help', usage: SYNC_USAGE });
  });

  it.each([
    [['--tenant'], /--tenant/],
    [['--tenant', 'demo', '--bogus'], /--bogus/],
    [['--tenant', 'demo', 'extra'], /extra/],
    [['--tenant', 'demo', '--mode', 'partial'], /^--mode: must be full or delta$/],
    [['--tenant', 'demo', '--mode'], /--mode/],
    [['--dry-run'], /^--tenant: is required$/],
    [['--tenant', '  '], /^--tenant: must not be empty$/],
    [['--tenant', 'demo', '--dry-run=yes'], /--dry-run/],
  ])('%j is a usage error', (argv, message) => {
    const result = parseSyncOptions(argv);
    expect(result.kind).toBe('usageError');
    if (result.kind !== 'usageError') return;
    expect(result.message).toMatch(message);
    expect(result.usage).toBe(SYNC_USAGE);
  });

  it('the usage names every option and the default mode', () => {
    for (const option of ['--tenant', '--dry-run', '--mode full|delta', 'defaults to full']) expect(SYNC_USAGE).toContain(option);
  });
});
