import { GraphSandbox, generateUsers } from '../sandbox/graph';
import { PortSipSandbox } from '../sandbox/portsip';

/**
 * The sandboxes in their own process for benchmarks, so the connector's measured memory is its own.
 * argv: users, PBX requests per minute. Talks to the parent over IPC.
 */
async function main(): Promise<void> {
  const users = Number(process.argv[2] ?? 10_000);
  const rate = Number(process.argv[3] ?? 10_000);
  const graph = await GraphSandbox.start({ pageSize: 200 });
  const pbx = await PortSipSandbox.start({ rateLimitPerMinute: rate });
  const seeded = generateUsers(users, { seed: 42 });
  graph.seed(seeded);
  process.on('message', (message: { cmd: string }) => {
    if (message.cmd === 'stats') {
      process.send!({
        graphRequests: graph.stats.requests,
        pbxRequests: pbx.stats.requests,
        pbxWrites: pbx.stats.writes,
        pbxThrottled: pbx.stats.throttled,
        pbxUsers: pbx.listUsers().length,
      });
    } else if (message.cmd === 'reset') {
      graph.stats.reset();
      pbx.stats.reset();
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
