import { startAzurite } from '../shared/platform/local/startAzurite';
import { optionsOrExit } from '../shared/platform/local/optionsOrExit';
import { type BenchOptions, parseBenchOptions } from './benchOptions';
import { runNotificationBench } from './notificationBench';
import { isWebhookFloodRun, runWebhookFloodBench } from './webhookFloodBench';
import { runGroupsBench } from './groupsBench';
import { runContactsBench } from './contactsBench';
import { runPresenceBench } from './presenceBench';
import { runCalendarBench } from './calendarBench';
import { runTenantsBench } from './tenantsBench';
import { isCallStateRun, parseCallStateBenchOptions, runCallStateBench } from './callStateBench';
import { measureFeatureRun } from './measureFeatureRun';
import { startSandboxRig } from './sandboxRig';
import { usersManifest } from '../shared/features/users/usersManifest';

/**
 * npm run bench [-- --users N --pbx-rate R] [--only sync|threecx|groups|contacts|presence|calendar|notifications|tenants|webhookFlood|callState] (all options: benchOptions.ts, --help):
 * - sync: an initial sync of N sandbox users and no-change re-syncs, over real HTTP and Azurite, reporting
 *   wall time, requests, the rate-limit bound and peak memory;
 * - threecx: the same against the 3CX simulator (five-digit extensions, the connector's 3CX pacing);
 * - groups: the same for the groups feature: the first run of 300 groups with 10,000 memberships and
 *   no-change re-runs (groupsBench.ts);
 * - contacts: 200 mailboxes × 500 Outlook contacts → personal PBX contacts, and 1,000 photos → PBX pictures:
 *   first runs and no-change re-runs against the PBX rate-limit bound (contactsBench.ts);
 * - presence: the Teams presence of 10,000 sandbox users' synced ones polled in real time through the queue for
 *   4 cycles of 30 s, 1% of the users turning DoNotDisturb before each cycle after the first: Graph calls, 429s,
 *   cycle time, PBX writes and reads per cycle (presenceBench.ts; minutes, most of them the users sync);
 * - calendar (only when asked for: about twelve minutes in real time): 1,000 sandbox users' synced ones, their
 *   calendars read every minute through the queue, 5 busy meetings each of 30–45 s; seconds from every meeting's
 *   start and end to its PBX write (p50/p95/p99), missed and unexpected writes, Graph calendar reads per user and
 *   hour, PBX requests against the realtime lane's share of the limit (calendarBench.ts);
 * - notifications: change → PBX latency after the notification arrives (1,000 changes) and the webhook's
 *   latency at 200 requests/s for 30 s (notificationBench.ts);
 * - tenants (only when asked for: it takes minutes): many tenants' initial users syncs through one in-process
 *   queue at several session limits, reporting throughput, per-tenant finish times and peak memory (tenantsBench.ts);
 * - webhookFlood: real notifications and the handshake while forged batches flood the webhook
 *   (webhookFloodBench.ts; its own options).
 * - callState (only when asked for: about a minute and a half; its own options, callStateBench.ts --help): PBX
 *   calls → Teams presence over the sandboxes, ms from each call's PBX start / end event to Graph answering
 *   setPresence / clearPresence (p50/p95/p99, goal p95 ≤ 2 s), Graph writes per call, sessions left, and a
 *   phase with every PBX event duplicated and some reordered.
 */
async function main(): Promise<void> {
  // `--only webhookFlood` has options of its own (webhookFloodBench.ts).
  if (isWebhookFloodRun(process.argv.slice(2))) return runWebhookFloodBench(process.argv.slice(2));
  // `--only callState` too (callStateBench.ts).
  if (isCallStateRun(process.argv.slice(2))) return runCallStateBench(optionsOrExit(parseCallStateBenchOptions(process.argv.slice(2))));
  const options = optionsOrExit(parseBenchOptions(process.argv.slice(2)));
  const runs = (bench: NonNullable<BenchOptions['only']>) => options.only === undefined || options.only === bench;
  if (runs('sync')) await syncBench(options, 'portsip');
  if (runs('threecx')) await syncBench(options, '3cx');
  if (runs('groups'))
    await runGroupsBench({ groups: options.groups, memberships: options.memberships, users: options.groupUsers, pbxRate: options.pbxRate });
  if (runs('contacts'))
    await runContactsBench({
      mailboxes: options.mailboxes,
      contactsPerMailbox: options.contactsPerMailbox,
      photos: options.photos,
      pbxRate: options.contactsPbxRate,
    });
  if (runs('presence')) await runPresenceBench({ users: options.presenceUsers, cycles: options.presenceCycles, pbxRate: options.pbxRate });
  if (runs('notifications')) await notificationsBench(options);
  if (options.only === 'calendar')
    await runCalendarBench({ users: options.calendarUsers, meetings: options.calendarMeetings, pbxRate: options.calendarPbxRate });
  if (options.only === 'tenants')
    await runTenantsBench({
      tenants: options.tenants,
      tenantUsers: options.tenantUsers,
      sessions: options.sessions,
      pbxRate: options.pbxRate,
    });
  // The whole bench also floods the webhook, with the flood's default options.
  if (options.only === undefined) await runWebhookFloodBench([]);
}

async function notificationsBench(options: BenchOptions): Promise<void> {
  const azurite = await startAzurite();
  try {
    const result = await runNotificationBench({
      storageConnectionString: azurite.connectionString,
      users: options.notifyUsers,
      changes: options.changes,
      changesPerSecond: options.changesPerSecond,
      webhookPerSecond: options.webhookPerSecond,
      webhookSeconds: options.webhookSeconds,
      debounceMs: options.debounceMs,
    });
    console.log(JSON.stringify({ notifications: result, node: process.version }, null, 2));
  } finally {
    await azurite.stop();
  }
}

async function syncBench(options: BenchOptions, pbxKind: 'portsip' | '3cx'): Promise<void> {
  const { users } = options;
  const pbxRate = pbxKind === '3cx' ? options.threeCxPbxRate : options.pbxRate;
  const rig = await startSandboxRig({ users, pbxRate, pbxKind });
  try {
    const results = [
      await measureFeatureRun(rig, usersManifest, `initial sync, ${users} users`, 'full'),
      await measureFeatureRun(rig, usersManifest, 're-sync, no change (delta)', 'delta'),
      await measureFeatureRun(rig, usersManifest, 'full reconcile, no change', 'full'),
    ];
    console.log(JSON.stringify({ pbx: pbxKind, users, pbxRateLimitPerMinute: pbxRate, node: process.version, results }, null, 2));
  } finally {
    await rig.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
