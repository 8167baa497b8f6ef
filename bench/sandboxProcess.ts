import { GraphSandbox, type SandboxGroup, generateUsers } from '../sandbox/graph';
import { PortSipSandbox } from '../sandbox/portsip';

/**
 * The sandboxes in their own process for benchmarks, so the connector's measured memory is its own.
 * argv: users, PBX requests per minute. Talks to the parent over IPC: `stats`, `reset`, `addGroups` (Entra
 * groups added to the tenant, e.g. once the parent knows which users were synced) and `stop`.
 */
async function main(): Promise<void> {
  const users = Number(process.argv[2] ?? 10_000);
  const rate = Number(process.argv[3] ?? 10_000);
  const graph = await GraphSandbox.start({ pageSize: 200 });
  const pbx = await PortSipSandbox.start({ rateLimitPerMinute: rate });
  const seeded = generateUsers(users, { seed: 42 });
  graph.seed(seeded);
  process.on('message', (message: { cmd: string; groups?: SandboxGroup[] }) => {
    if (message.cmd === 'stats') {
      const pbxGroups = pbx.listGroups();
      process.send!({
        graphRequests: graph.stats.requests,
        pbxRequests: pbx.stats.requests,
        pbxWrites: pbx.stats.writes,
        pbxByRoute: pbx.stats.byRoute,
        pbxThrottled: pbx.stats.throttled,
        pbxUsers: pbx.listUsers().length,
        pbxGroups: pbxGroups.length,
        pbxGroupMembers: pbxGroups.reduce((sum, group) => sum + group.members.length, 0),
      });
    } else if (message.cmd === 'reset') {
      graph.stats.reset();
      pbx.stats.reset();
      process.send!({ ok: true });
    } else if (message.cmd === 'addGroups') {
      for (const group of message.groups ?? []) graph.addGroup(group);
      process.send!({ ok: true });
    } else if (message.cmd === 'stop') {
      void Promise.all([graph.stop(), pbx.stop()]).then(() => process.send!({ ok: true }, () => process.exit(0)));
    }
  });
  process.send!({
    graphBaseUrl: graph.baseUrl,
    graphToken: graph.token,
    pbxBaseUrl: pbx.baseUrl,
    credentials: pbx.credentials,
    users: seeded.length,
  });
}

void main();
