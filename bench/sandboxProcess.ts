import { GraphSandbox, type SandboxGroup, generateUsers } from '../sandbox/graph';
import { type TeamsActivity, type TeamsAvailability } from '../shared/graph/TeamsPresence';
import { PortSipSandbox } from '../sandbox/portsip';
import { ThreeCxSandbox } from '../sandbox/threecx';

/** The admin's read of a user's PBX status (presence reads and re-assertion), as the PortSIP sandbox names the route. */
const PBX_STATUS_READ = 'GET /api/users/{id}/status';

/** A message from the parent (sandboxRig.ts `ask`). */
interface SandboxMessage {
  cmd: string;
  groups?: SandboxGroup[];
  mailboxes?: string[];
  count?: number;
  userIds?: string[];
  presences?: { userId: string; availability: TeamsAvailability; activity: TeamsActivity }[];
  /** Busy single events to add to users' calendars (`addMeetings`), times as ISO 8601. */
  meetings?: { userId: string; start: string; end: string }[];
}

/** Sums a count over every tenant's sandbox. */
const total = <T>(items: readonly T[], count: (item: T) => number) => items.reduce((sum, item) => sum + count(item), 0);

/**
 * The sandboxes in their own process for benchmarks, so the connector's measured memory is its own.
 * argv: users, PBX requests per minute, tenants (default 1). Each tenant gets its own sandbox Graph tenant
 * with `users` generated users (the same seed, so every tenant has the same work) and its own sandbox PBX
 * with its own rate limit, as two customers never share a directory or a PBX. Talks to the parent over IPC:
 * `stats` (summed over the tenants), `reset`, `addGroups` (Entra groups added to the first tenant, e.g. once
 * the parent knows which users were synced), `seedContacts` and `setPhotos` (Outlook contacts in, and photos
 * of, the first tenant's users), `setPresences` (Teams presence of the first tenant's users), `addMeetings` (busy
 * events in the first tenant's calendars), `presenceWriteLog` (the first tenant's PBX presence writes since the
 * last `reset`: PBX user, time and value; PortSIP only) and `stop`.
 */
async function main(): Promise<void> {
  const users = Number(process.argv[2] ?? 10_000);
  const rate = Number(process.argv[3] ?? 10_000);
  const tenantCount = Number(process.argv[4] ?? 1);
  const pbxKind = process.argv[5] === '3cx' ? '3cx' : 'portsip';
  const tenants = await Promise.all(
    Array.from({ length: tenantCount }, async () => {
      const graph = await GraphSandbox.start({ pageSize: 200 });
      const pbx =
        pbxKind === '3cx'
          ? threeCxAsBenchPbx(await ThreeCxSandbox.start({ rateLimitPerMinute: rate, extensionLength: 5, seed: 'empty' }))
          : await PortSipSandbox.start({ rateLimitPerMinute: rate });
      graph.seed(generateUsers(users, { seed: 42 }));
      return { graph, pbx };
    }),
  );
  process.on('message', (message: SandboxMessage) => {
    if (message.cmd === 'stats') {
      const pbxGroups = tenants.flatMap(({ pbx }) => pbx.listGroups());
      const pbxByRoute: Record<string, number> = {};
      for (const { pbx } of tenants)
        for (const [route, requests] of Object.entries(pbx.stats.byRoute)) pbxByRoute[route] = (pbxByRoute[route] ?? 0) + requests;
      process.send!({
        graphRequests: total(tenants, ({ graph }) => graph.stats.requests),
        pbxRequests: total(tenants, ({ pbx }) => pbx.stats.requests),
        pbxWrites: total(tenants, ({ pbx }) => pbx.stats.writes),
        pbxByRoute,
        pbxThrottled: total(tenants, ({ pbx }) => pbx.stats.throttled),
        pbxUsers: total(tenants, ({ pbx }) => pbx.listUsers().length),
        pbxGroups: pbxGroups.length,
        pbxGroupMembers: total(pbxGroups, (group) => group.members.length),
        pbxUserSignIns: total(tenants, ({ pbx }) => ('userSignIns' in pbx.stats ? pbx.stats.userSignIns : 0)),
        outlookThrottled: total(tenants, ({ graph }) =>
          Object.values(graph.outlookStats()).reduce((sum, s) => sum + s.concurrencyThrottled + s.windowThrottled, 0),
        ),
        outlookPeakInFlight: Math.max(0, ...tenants.map(({ graph }) => graph.outlookPeakInFlight())),
        graphPresenceCalls: total(tenants, ({ graph }) => graph.presenceStats().calls),
        graphPresenceThrottled: total(tenants, ({ graph }) => graph.presenceStats().throttled),
        graphPresenceIdsRequested: total(tenants, ({ graph }) => graph.presenceStats().idsRequested),
        pbxPresenceWrites: total(tenants, ({ pbx }) => ('presenceWrites' in pbx.stats ? pbx.stats.presenceWrites : 0)),
        pbxDndWrites: total(tenants, ({ pbx }) => ('dndWrites' in pbx.stats ? pbx.stats.dndWrites : 0)),
        pbxStatusReads: pbxByRoute[PBX_STATUS_READ] ?? 0,
        graphCalendarViews: total(tenants, ({ graph }) => graph.calendarStats().calendarViewRequests),
        graphCalendarEventRequests: total(tenants, ({ graph }) => graph.calendarStats().eventRequests),
      });
    } else if (message.cmd === 'reset') {
      for (const { graph, pbx } of tenants) {
        graph.stats.reset();
        pbx.stats.reset();
      }
      process.send!({ ok: true });
    } else if (message.cmd === 'addGroups') {
      for (const group of message.groups ?? []) tenants[0]!.graph.addGroup(group);
      process.send!({ ok: true });
    } else if (message.cmd === 'seedContacts') {
      // Each mailbox its own seed, so contacts differ between mailboxes but not between runs.
      for (const [k, mailbox] of (message.mailboxes ?? []).entries())
        tenants[0]!.graph.seedContacts(mailbox, message.count ?? 0, { seed: k + 1 });
      process.send!({ ok: true });
    } else if (message.cmd === 'setPhotos') {
      for (const userId of message.userIds ?? []) tenants[0]!.graph.setUserPhoto(userId, { sizeBytes: 8 * 1024 });
      process.send!({ ok: true });
    } else if (message.cmd === 'setPresences') {
      tenants[0]!.graph.setPresences(message.presences ?? []);
      process.send!({ ok: true });
    } else if (message.cmd === 'addMeetings') {
      // Always answered (the parent waits for it): a refused meeting is named in the answer.
      try {
        for (const { userId, start, end } of message.meetings ?? [])
          tenants[0]!.graph.addEvent(userId, { subject: 'Bench meeting', start, end, showAs: 'busy' });
        process.send!({ ok: true, created: message.meetings?.length ?? 0 });
      } catch (err) {
        process.send!({ ok: false, error: err instanceof Error ? err.message : String(err) });
      }
    } else if (message.cmd === 'presenceWriteLog') {
      const stats = tenants[0]!.pbx.stats;
      process.send!({
        writes: 'presenceWriteLog' in stats ? stats.presenceWriteLog : [],
        dropped: 'presenceWriteLogDropped' in stats ? stats.presenceWriteLogDropped : 0,
      });
    } else if (message.cmd === 'stop') {
      void Promise.all(tenants.flatMap(({ graph, pbx }) => [graph.stop(), pbx.stop()])).then(() =>
        process.send!({ ok: true }, () => process.exit(0)),
      );
    }
  });
  process.send!({
    tenants: tenants.map(({ graph, pbx }) => ({
      graphBaseUrl: graph.baseUrl,
      graphToken: graph.token,
      pbxBaseUrl: pbx.baseUrl,
      credentials: pbx.credentials,
    })),
  });
}

/**
 * The 3CX simulator behind the few members the bench reads of a PBX sandbox (stats, users, groups, credentials):
 * its client id and secret take the places of PortSIP's admin name and password.
 */
function threeCxAsBenchPbx(pbx: ThreeCxSandbox) {
  return {
    baseUrl: pbx.baseUrl,
    credentials: { username: pbx.credentials.clientId, password: pbx.credentials.clientSecret, domain: '' },
    stats: {
      get requests() {
        return pbx.stats.requests;
      },
      get writes() {
        return pbx.stats.writes;
      },
      get byRoute() {
        return pbx.stats.byRoute;
      },
      // The simulator counts 429s among its requests only; the adapter paces below the limit, so none are expected.
      throttled: 0,
      reset: () => pbx.stats.reset(),
    },
    listUsers: () => pbx.users(),
    listGroups: (): { members: unknown[] }[] => [],
    stop: () => pbx.stop(),
  };
}

void main();
