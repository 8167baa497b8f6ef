import { describe, expect, it } from 'vitest';
import { BENCH_USAGE, parseBenchOptions } from '../../bench/benchOptions';

const DEFAULTS = {
  only: undefined,
  users: 10_000,
  pbxRate: 10_000,
  threeCxPbxRate: 6_000,
  groups: 300,
  memberships: 10_000,
  groupUsers: 5000,
  notifyUsers: 2000,
  changes: 1000,
  changesPerSecond: 20,
  webhookPerSecond: 200,
  webhookSeconds: 30,
  debounceMs: 2000,
  tenants: 40,
  tenantUsers: 250,
  sessions: [1, 4, 8, 16],
  mailboxes: 200,
  contactsPerMailbox: 500,
  photos: 1000,
  contactsPbxRate: 10_000,
  presenceUsers: 10_000,
  presenceCycles: 4,
  calendarUsers: 1000,
  calendarMeetings: 5,
  calendarPbxRate: 50_000,
};

describe('parseBenchOptions', () => {
  it('defaults every option (the full benchmark)', () => {
    expect(parseBenchOptions([])).toEqual({ kind: 'run', options: DEFAULTS });
  });

  it('reads every option the benchmarks use', () => {
    const argv = [
      '--only=notifications',
      '--users=50',
      '--pbx-rate=600',
      '--groups=3',
      '--memberships=40',
      '--group-users=20',
      '--notify-users=10',
      '--changes=5',
      '--changes-per-second=2',
      '--webhook-rps=7',
      '--webhook-seconds=3',
      '--debounce-ms=0',
      '--tenants=3',
      '--tenant-users=7',
      '--sessions=2,5',
      '--mailboxes=4',
      '--contacts=9',
      '--photos=6',
      '--presence-users=1000',
      '--presence-cycles=3',
      '--calendar-users=100',
      '--calendar-meetings=2',
      '--calendar-pbx-rate=20000',
    ];
    expect(parseBenchOptions(argv)).toEqual({
      kind: 'run',
      options: {
        only: 'notifications',
        users: 50,
        pbxRate: 600,
        threeCxPbxRate: 600,
        groups: 3,
        memberships: 40,
        groupUsers: 20,
        notifyUsers: 10,
        changes: 5,
        changesPerSecond: 2,
        webhookPerSecond: 7,
        webhookSeconds: 3,
        debounceMs: 0,
        tenants: 3,
        tenantUsers: 7,
        sessions: [2, 5],
        mailboxes: 4,
        contactsPerMailbox: 9,
        photos: 6,
        contactsPbxRate: 600,
        presenceUsers: 1000,
        presenceCycles: 3,
        calendarUsers: 100,
        calendarMeetings: 2,
        calendarPbxRate: 20_000,
      },
    });
    expect(parseBenchOptions(['--only', 'sync', '--users', '100'])).toEqual({
      kind: 'run',
      options: { ...DEFAULTS, only: 'sync', users: 100 },
    });
    expect(parseBenchOptions(['--only', 'presence', '--presence-users', '1000', '--presence-cycles', '3'])).toEqual({
      kind: 'run',
      options: { ...DEFAULTS, only: 'presence', presenceUsers: 1000, presenceCycles: 3 },
    });
    expect(parseBenchOptions(['--only', 'calendar', '--calendar-users', '100'])).toEqual({
      kind: 'run',
      options: { ...DEFAULTS, only: 'calendar', calendarUsers: 100 },
    });
    // The calendar bench has its own PBX limit: --pbx-rate leaves it alone.
    expect(parseBenchOptions(['--pbx-rate', '600'])).toMatchObject({ options: { pbxRate: 600, calendarPbxRate: 50_000 } });
  });

  it('--help and -h ask for the usage instead of starting the benchmark', () => {
    expect(parseBenchOptions(['--help'])).toEqual({ kind: 'help', usage: BENCH_USAGE });
    expect(parseBenchOptions(['--users', '5', '-h'])).toEqual({ kind: 'help', usage: BENCH_USAGE });
  });

  it.each([
    [['--only', 'bogus'], /^--only: must be sync, threecx, groups, contacts, presence, calendar, notifications or tenants$/],
    [['--calendar-users', '0'], /^--calendar-users: must be at least 1$/],
    [['--calendar-meetings', '21'], /^--calendar-meetings: must be at most 20$/],
    [['--calendar-pbx-rate', '59'], /^--calendar-pbx-rate: must be at least 60$/],
    [['--presence-cycles', '0'], /^--presence-cycles: must be at least 1$/],
    [['--presence-users', '0'], /^--presence-users: must be at least 1$/],
    [['--sessions', '4,'], /^--sessions: must be whole numbers separated by commas$/],
    [['--sessions', '4,0'], /^--sessions: must each be from 1 to 1000$/],
    [['--users', 'many'], /^--users: must be a whole number$/],
    [['--users', '0'], /^--users: must be at least 1$/],
    [['--users', '1.5'], /^--users: must be a whole number$/],
    [['--webhook-seconds', '99999'], /^--webhook-seconds: must be at most 3600$/],
    [['--users'], /--users/],
    [['--bogus'], /--bogus/],
    [['10000'], /10000/],
  ])('%j is a usage error', (argv, message) => {
    const result = parseBenchOptions(argv);
    expect(result.kind).toBe('usageError');
    if (result.kind === 'usageError') expect(result.message).toMatch(message);
  });

  it('the usage names every option', () => {
    const flags = ['--only', '--users', '--pbx-rate', '--notify-users', '--changes', '--changes-per-second', '--webhook-rps'];
    const more = [
      '--webhook-seconds',
      '--debounce-ms',
      '--tenants',
      '--tenant-users',
      '--sessions',
      '--presence-users',
      '--presence-cycles',
      '--calendar-users',
      '--calendar-meetings',
      '--calendar-pbx-rate',
    ];
    for (const flag of [...flags, ...more]) expect(BENCH_USAGE).toContain(`${flag} `);
  });
});
