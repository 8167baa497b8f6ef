import { z } from 'zod';
import { type CommandLine, parseCommandLine } from '../shared/platform/local/parseCommandLine';

export const BENCH_USAGE = [
  'usage: npm run bench -- [--only sync|threecx|groups|contacts|presence|calendar|notifications|tenants|webhookFlood|callState (these two with their own options: webhookFloodBench.ts, callStateBench.ts)]',
  '         [--users N] [--pbx-rate R] [--groups N] [--memberships N] [--group-users N] [--notify-users N] [--changes N]',
  '         [--changes-per-second N] [--webhook-rps N] [--webhook-seconds N] [--debounce-ms N]',
  '         [--tenants N] [--tenant-users N] [--sessions N,N,…] [--mailboxes N] [--contacts N] [--photos N]',
  '         [--presence-users N] [--presence-cycles N] [--calendar-users N] [--calendar-meetings N] [--calendar-pbx-rate R]',
  '  sync, threecx: --users (10000) sandbox users, PBX rate limit --pbx-rate (PortSIP 10000, 3CX 6000) requests/minute',
  '  groups:        --groups (300) groups holding --memberships (10000) of the synced users of --group-users (5000)',
  '  contacts:      --mailboxes (200) synced users with --contacts (500) Outlook contacts each, --photos (1000)',
  '                 synced users with a photo; PBX at --pbx-rate (10000: about ten minutes)',
  '  presence:      --presence-users (10000) synced users, Teams presence polled for --presence-cycles (4) cycles',
  '                 of 30 s in real time, 1% of the users changing before each cycle after the first; PBX at --pbx-rate',
  '  calendar:      only with --only calendar (about twelve minutes in real time): --calendar-users (1000) sandbox',
  '                 users, whose synced ones get --calendar-meetings (5) busy meetings of 30-45 s each; every start',
  '                 and end timed from the meeting to its PBX write. PBX at --calendar-pbx-rate (50000): the realtime',
  '                 lane paces at its 20% share, 10000 requests/minute',
  '  notifications: --notify-users (2000), --changes (1000) at --changes-per-second (20), webhook load',
  '                 --webhook-rps (200) for --webhook-seconds (30), lifecycle-event window --debounce-ms (2000)',
  '  tenants:       only with --only tenants: --tenants (40) of --tenant-users (250) users each, one',
  '                 queue run per --sessions level (1,4,8,16), each tenant at its own PBX limit --pbx-rate',
].join('\n');

/** A comma-separated list of whole numbers, each within bounds; its default when the option is absent. */
const counts = (min: number, max: number, fallback: string) =>
  z
    .string()
    .regex(/^[0-9]+(,[0-9]+)*$/, 'must be whole numbers separated by commas')
    .default(fallback)
    .transform((text) => text.split(',').map(Number))
    .refine((list) => list.every((n) => n >= min && n <= max), `must each be from ${min} to ${max}`);

/** A whole number written in digits, within bounds. */
const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^[0-9]+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
/** …and its default when the option is absent. */
const count = (min: number, max: number, fallback: number) => wholeNumber(min, max).default(fallback);

const BenchOptionsSchema = z
  .object({
    only: z
      .enum(['sync', 'threecx', 'groups', 'contacts', 'presence', 'calendar', 'notifications', 'tenants'], {
        error: 'must be sync, threecx, groups, contacts, presence, calendar, notifications or tenants',
      })
      .optional(),
    users: count(1, 1_000_000, 10_000),
    // Absent: each PBX at its own configuration default (PortSIP 10,000 and 3CX 6,000 requests per minute).
    'pbx-rate': wholeNumber(1, 1_000_000).optional(),
    groups: count(1, 100_000, 300),
    memberships: count(1, 10_000_000, 10_000),
    'group-users': count(1, 1_000_000, 5000),
    'notify-users': count(1, 1_000_000, 2000),
    changes: count(1, 1_000_000, 1000),
    'changes-per-second': count(1, 100_000, 20),
    'webhook-rps': count(1, 100_000, 200),
    'webhook-seconds': count(1, 3600, 30),
    'debounce-ms': count(0, 600_000, 2000),
    tenants: count(1, 10_000, 40),
    'tenant-users': count(1, 100_000, 250),
    sessions: counts(1, 1000, '1,4,8,16'),
    mailboxes: count(1, 100_000, 200),
    contacts: count(0, 100_000, 500),
    photos: count(0, 1_000_000, 1000),
    'presence-users': count(1, 1_000_000, 10_000),
    'presence-cycles': count(1, 1000, 4),
    'calendar-users': count(1, 100_000, 1000),
    'calendar-meetings': count(1, 20, 5),
    'calendar-pbx-rate': count(60, 1_000_000, 50_000),
  })
  .transform((o) => ({
    only: o.only,
    users: o.users,
    pbxRate: o['pbx-rate'] ?? 10_000,
    threeCxPbxRate: o['pbx-rate'] ?? 6_000,
    groups: o.groups,
    memberships: o.memberships,
    groupUsers: o['group-users'],
    notifyUsers: o['notify-users'],
    changes: o.changes,
    changesPerSecond: o['changes-per-second'],
    webhookPerSecond: o['webhook-rps'],
    webhookSeconds: o['webhook-seconds'],
    debounceMs: o['debounce-ms'],
    tenants: o.tenants,
    tenantUsers: o['tenant-users'],
    sessions: o.sessions,
    mailboxes: o.mailboxes,
    contactsPerMailbox: o.contacts,
    photos: o.photos,
    // PortSIP's default: 100,000 contact creates take about ten minutes at it. A higher limit measures this
    // machine instead (on two cores the connector, Azurite and the sandboxes top out near 320 creates/s).
    contactsPbxRate: o['pbx-rate'] ?? 10_000,
    presenceUsers: o['presence-users'],
    presenceCycles: o['presence-cycles'],
    calendarUsers: o['calendar-users'],
    calendarMeetings: o['calendar-meetings'],
    // The realtime lane paces at its share (realtimeShare, 20%) of the tenant's limit while the users feature is on:
    // 50,000 gives it 10,000 requests a minute, what a thousand users' meeting starts and ends take in minutes.
    calendarPbxRate: o['calendar-pbx-rate'],
  }));

export type BenchOptions = z.output<typeof BenchOptionsSchema>;

/** `npm run bench` arguments. */
export function parseBenchOptions(argv: readonly string[]): CommandLine<BenchOptions> {
  const text = { type: 'string' } as const;
  return parseCommandLine(argv, {
    usage: BENCH_USAGE,
    options: {
      only: text,
      users: text,
      'pbx-rate': text,
      groups: text,
      memberships: text,
      'group-users': text,
      'notify-users': text,
      changes: text,
      'changes-per-second': text,
      'webhook-rps': text,
      'webhook-seconds': text,
      'debounce-ms': text,
      tenants: text,
      'tenant-users': text,
      sessions: text,
      mailboxes: text,
      contacts: text,
      photos: text,
      'presence-users': text,
      'presence-cycles': text,
      'calendar-users': text,
      'calendar-meetings': text,
      'calendar-pbx-rate': text,
    },
    schema: BenchOptionsSchema,
  });
}
