import { fork } from 'node:child_process';
import { Agent, request } from 'node:http';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { generateUsers } from '../sandbox/graph';
import { startNotificationRig } from '../sandbox/notificationRig';
import { startAzurite } from '../shared/platform/local/startAzurite';
import { CachedSubscriptionLookup } from '../shared/notifications/CachedSubscriptionLookup';
import { percentiles } from './percentiles';

/**
 * `node --expose-gc dist/bench/runBench.js --only webhookFlood [--seconds N] [--forged-rps N] [--forged-items N]
 * [--real-rps N] [--handshake-rps N]`: the anonymous webhook under a flood of forged batches.
 *
 * This process runs the connector as `npm start` wires it (sandbox Graph and PBX, the webhook handlers on a
 * local HTTP host, the in-process queue and its worker, Azurite tables), with one real, subscribed tenant.
 * Two child processes (this file again, forked) are the internet, open loop over keep-alive HTTP: the forger
 * sends forged batches (random-GUID subscription ids, clientStates and tenants, every id fresh; prepared
 * before the start so making them does not slow the sending) at `forged-rps`; "Graph" sends real one-item
 * notifications of the tenant's subscription at `real-rps` and validation handshakes at `handshake-rps`, and
 * times every answer. Separate processes, so a busy forger cannot delay the real requests on the client
 * side. The server's memory and event-loop lag are sampled before, during and after.
 */
export const WEBHOOK_FLOOD = 'webhookFlood';

interface FloodPlan {
  url: string;
  realBody: string;
  seconds: number;
  forgedPerSecond: number;
  forgedItems: number;
  realPerSecond: number;
  handshakePerSecond: number;
}

interface Stream {
  latencies: number[];
  statuses: Record<string, number>;
  errors: number;
}

interface FloodReport {
  seconds: number;
  forged: Stream & { sent: number };
  real: Stream & { sent: number };
  handshake: Stream & { sent: number; wrongBody: number };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** True when the command line asks for this bench (runBench.ts hands it over before parsing its own options). */
export function isWebhookFloodRun(argv: readonly string[]): boolean {
  const i = argv.indexOf('--only');
  return (i >= 0 && argv[i + 1] === WEBHOOK_FLOOD) || argv.includes(`--only=${WEBHOOK_FLOOD}`);
}

function numberOption(argv: readonly string[], name: string, fallback: number): number {
  const i = argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a non-negative number`);
  return value;
}

/** A batch shaped like Graph's (about 330 bytes an item), every id fresh and random. */
function forgedBody(items: number): string {
  const value = Array.from({ length: items }, () => {
    const user = randomUUID();
    return (
      `{"subscriptionId":"${randomUUID()}","subscriptionExpirationDateTime":"2026-12-20T00:00:00.0000000+00:00",` +
      `"changeType":"updated","resource":"Users/${user}","resourceData":{"@odata.type":"#Microsoft.Graph.User",` +
      `"@odata.id":"Users/${user}","id":"${user}"},"clientState":"${randomUUID()}","tenantId":"${randomUUID()}"}`
    );
  });
  return `{"value":[${value.join(',')}]}`;
}

/**
 * Keep-alive connections, at most MAX_SOCKETS per client (more requests wait for one, and that wait is in
 * the figures). fetch would open a new connection for every request that finds none free, and at these
 * rates its connection storms overflow the listen backlog: dropped SYNs are retried after 1 s and 3 s, which
 * measures the kernel, not the webhook.
 */
const MAX_SOCKETS = 64;
const agent = new Agent({ keepAlive: true, maxSockets: MAX_SOCKETS });

function post(url: string, body: string | undefined): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The child: sends the three streams open loop and reports what came back. */
async function flood(plan: FloodPlan): Promise<FloodReport> {
  const streams = {
    forged: { sent: 0, latencies: [] as number[], statuses: {} as Record<string, number>, errors: 0 },
    real: { sent: 0, latencies: [] as number[], statuses: {} as Record<string, number>, errors: 0 },
    handshake: { sent: 0, latencies: [] as number[], statuses: {} as Record<string, number>, errors: 0, wrongBody: 0 },
  };
  const token = 'Validation: Testing client application reachability for subscription Request-Id: bench';
  const inFlight = new Set<Promise<void>>();
  const send = (stream: keyof typeof streams, url: string, body: string | undefined, check?: (text: string) => void) => {
    const s = streams[stream];
    s.sent += 1;
    const started = performance.now();
    const p = (async () => {
      try {
        const { status, text } = await post(url, body);
        s.latencies.push(performance.now() - started);
        s.statuses[status] = (s.statuses[status] ?? 0) + 1;
        check?.(text);
      } catch {
        s.errors += 1;
      }
    })();
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  };
  const schedule = (perSecond: number, fire: () => void) =>
    perSecond <= 0
      ? Promise.resolve()
      : (async () => {
          const started = performance.now();
          const total = Math.round(perSecond * plan.seconds);
          for (let i = 0; i < total; i += 1) {
            const wait = started + (i * 1000) / perSecond - performance.now();
            if (wait > 1) await sleep(wait);
            fire();
          }
        })();
  const forgedBodies = Array.from({ length: Math.round(plan.forgedPerSecond * plan.seconds) }, () => forgedBody(plan.forgedItems));
  process.send!({ ready: true });
  await new Promise((resolve) => process.once('message', resolve));
  const started = performance.now();
  let nextForged = 0;
  await Promise.all([
    schedule(plan.forgedPerSecond, () => send('forged', plan.url, forgedBodies[nextForged++])),
    schedule(plan.realPerSecond, () => send('real', plan.url, plan.realBody)),
    schedule(plan.handshakePerSecond, () =>
      send('handshake', `${plan.url}?validationToken=${encodeURIComponent(token)}`, undefined, (text) => {
        if (text !== token) streams.handshake.wrongBody += 1;
      }),
    ),
  ]);
  await Promise.all([...inFlight]);
  return { seconds: Number(((performance.now() - started) / 1000).toFixed(1)), ...streams };
}

const mb = (bytes: number) => Math.round(bytes / 1048576);

function memory() {
  global.gc?.();
  const m = process.memoryUsage();
  return { rssMB: mb(m.rss), heapMB: mb(m.heapUsed) };
}

/** The parent: the connector, a baseline, the flood from a child process, the figures. */
export async function runWebhookFloodBench(argv: readonly string[]): Promise<void> {
  const seconds = numberOption(argv, 'seconds', 30);
  const plan = {
    seconds,
    forgedPerSecond: numberOption(argv, 'forged-rps', 200),
    forgedItems: numberOption(argv, 'forged-items', 100),
    realPerSecond: numberOption(argv, 'real-rps', 20),
    handshakePerSecond: numberOption(argv, 'handshake-rps', 5),
  };
  const azurite = await startAzurite();
  const rig = await startNotificationRig({
    storageConnectionString: azurite.connectionString,
    tablePrefix: `wf${Date.now().toString(36)}`,
    users: generateUsers(50, { seed: 5 }),
    debounceMs: 2000,
  });
  try {
    const [subscription] = await rig.services.subscriptions.listForTenant(rig.tenantId);
    if (!subscription) throw new Error('the rig has no subscription');
    const clientState = await rig.services.secrets.getSecret(subscription.clientStateSecretName);
    const user = rig.graph.listUsers()[0]!;
    const realBody = JSON.stringify({
      value: [
        {
          subscriptionId: subscription.subscriptionId,
          subscriptionExpirationDateTime: subscription.expiresAt,
          changeType: 'updated',
          resource: `Users/${user.id}`,
          resourceData: { '@odata.type': '#Microsoft.Graph.User', '@odata.id': `Users/${user.id}`, id: user.id },
          clientState,
          tenantId: subscription.directoryId,
        },
      ],
    });
    // Steady state: an instance that has served Graph has its subscriptions cached (5 min, refreshed outside
    // every cap; here the rig's own upkeep created the subscription, which caches it too).
    const warm = await fetch(subscription.notificationUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: realBody,
    });
    if (warm.status !== 202) throw new Error(`the warm-up notification was answered ${warm.status}`);
    await rig.services.queue.idle();
    const stats = rig.services.webhook.stats;
    const droppedBefore = { ...stats.dropped };
    const before = memory();
    let peakRss = 0;
    let peakHeap = 0;
    // Cheap samples (process.memoryUsage() itself costs enough to show in a profile).
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
      peakHeap = Math.max(peakHeap, getHeapStatistics().used_heap_size);
    }, 100);
    // The event loop of the server: how late a 10 ms timer fires while the flood runs.
    const lag: number[] = [];
    let expected = performance.now() + 10;
    const lagTimer = setInterval(() => {
      const now = performance.now();
      lag.push(Math.max(0, now - expected));
      expected = now + 10;
    }, 10);
    const start = (part: FloodPlan) => {
      const child = fork(__filename, ['--flood-client'], { stdio: 'inherit' });
      const ready = new Promise<void>((resolve, reject) => {
        child.once('message', () => resolve());
        child.once('error', reject);
      });
      child.send(part);
      return { child, ready };
    };
    const url = subscription.notificationUrl;
    const forger = start({ url, realBody, ...plan, realPerSecond: 0, handshakePerSecond: 0 });
    const graph = start({ url, realBody, ...plan, forgedPerSecond: 0 });
    await Promise.all([forger.ready, graph.ready]);
    // The children prepared their requests meanwhile: measure from the start of the flood only.
    lag.length = 0;
    expected = performance.now() + 10;
    peakRss = 0;
    peakHeap = 0;
    const reports = [forger, graph].map(
      ({ child }) =>
        new Promise<FloodReport>((resolve) => {
          child.once('message', (m) => resolve(m as FloodReport));
          child.send({ go: true });
        }),
    );
    const [forgedReport, graphReport] = await Promise.all(reports);
    forger.child.kill();
    graph.child.kill();
    const report: FloodReport = {
      seconds: Math.max(forgedReport!.seconds, graphReport!.seconds),
      forged: forgedReport!.forged,
      real: graphReport!.real,
      handshake: graphReport!.handshake,
    };
    clearInterval(sampler);
    clearInterval(lagTimer);
    const during = { peakRssMB: mb(peakRss), peakHeapMB: mb(peakHeap) };
    await sleep(200);
    const after = memory();
    const dropped = Object.fromEntries(
      Object.entries(stats.dropped).map(([reason, n]) => [reason, n - droppedBefore[reason as keyof typeof droppedBefore]]),
    );
    const lookup = (rig.services.webhook as unknown as { deps: { lookup: unknown } }).deps.lookup;
    const summary = (s: Stream & { sent: number }) => ({
      sent: s.sent,
      perSecond: Math.round(s.sent / report.seconds),
      statuses: s.statuses,
      errors: s.errors,
      latencyMs: percentiles(s.latencies),
    });
    console.log(
      JSON.stringify(
        {
          webhookFlood: {
            plan,
            seconds: report.seconds,
            forged: summary(report.forged),
            real: summary(report.real),
            handshake: { ...summary(report.handshake), wrongBody: report.handshake.wrongBody },
            droppedByReason: dropped,
            retriesAsked: stats.retriesAsked,
            dropLinesSuppressed: stats.dropLinesSuppressed,
            eventLoopLagMs: percentiles(lag),
            memory: { before, during, after },
            caches: lookup instanceof CachedSubscriptionLookup ? lookup.size : undefined,
          },
          node: process.version,
        },
        null,
        2,
      ),
    );
  } finally {
    await rig.stop();
    await azurite.stop();
  }
}

// Forked as the flood client: wait for the plan, send, report, exit.
if (require.main === module && process.argv.includes('--flood-client')) {
  process.once('message', (plan: FloodPlan) => {
    void flood(plan).then((report) => process.send!(report, () => process.exit(0)));
  });
}
