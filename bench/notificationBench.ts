import { performance } from 'node:perf_hooks';
import { generateUsers } from '../sandbox/graph';
import { type NotificationRig, startNotificationRig } from '../sandbox/notificationRig';
import { percentiles } from './percentiles';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Change → PBX latency: `changes` users are edited in the sandbox Graph at `perSecond` (all at once when
 * `perSecond` is Infinity: a burst); each is timed from the moment its notification reaches the webhook to the
 * moment the PBX holds the new value. `deltaJobs` counts the jobs the notifications queued (DeltaDemand: one at
 * once, and at most one pending behind each running one).
 */
async function changeLatency(rig: NotificationRig, changes: number, perSecond: number, label = 'v2') {
  // Only users the connector manages (the generated tenant also holds guests, disabled and nameless users).
  const linked = new Set(rig.pbx.listUsers().map((u) => u.ms365_binding));
  const users = rig.graph
    .listUsers()
    .filter((u) => linked.has(u.id))
    .slice(0, changes);
  if (users.length < changes) throw new Error(`only ${users.length} linked users; raise --notify-users`);
  const arrivals = new Map<string, number>();
  const landed = new Map<string, number>();
  const wanted = new Map<string, string>();
  rig.setArrivalObserver((ids, at) => {
    for (const id of ids) if (wanted.has(id) && !arrivals.has(id)) arrivals.set(id, at);
  });
  const jobsBefore = rig.services.queue.stats().enqueued;
  const poll = setInterval(() => {
    for (const u of rig.pbx.listUsers()) {
      const id = u.ms365_binding;
      if (id && !landed.has(id) && wanted.get(id) === u.department) landed.set(id, performance.now());
    }
  }, 10);
  const started = performance.now();
  for (let i = 0; i < users.length; i += 1) {
    const target = started + (i * 1000) / perSecond;
    const wait = target - performance.now();
    if (wait > 0) await sleep(wait);
    const department = `Bench ${i} ${label}`;
    wanted.set(users[i]!.id, department);
    rig.graph.updateUser(users[i]!.id, { department });
  }
  const deadline = performance.now() + 60_000;
  while (landed.size < users.length && performance.now() < deadline) await sleep(50);
  clearInterval(poll);
  const latencies = [...landed].filter(([id]) => arrivals.has(id)).map(([id, at]) => at - arrivals.get(id)!);
  return {
    changes: users.length,
    perSecond: Number.isFinite(perSecond) ? perSecond : 'all at once',
    landedOnPbx: landed.size,
    notificationArrived: arrivals.size,
    latencyMs: percentiles(latencies),
    deltaJobs: rig.services.queue.stats().enqueued - jobsBefore,
  };
}

/** Webhook latency: valid one-item notification POSTs at a fixed rate (open loop), timed at the client. */
async function webhookLatency(rig: NotificationRig, perSecond: number, seconds: number) {
  const [subscription] = await rig.services.subscriptions.listForTenant(rig.tenantId);
  if (!subscription) throw new Error('the rig has no subscription');
  const clientState = await rig.services.secrets.getSecret(subscription.clientStateSecretName);
  const user = rig.graph.listUsers()[0]!;
  const body = JSON.stringify({
    value: [
      {
        subscriptionId: subscription.subscriptionId,
        subscriptionExpirationDateTime: subscription.expiresAt,
        changeType: 'updated',
        resource: `Users/${user.id}`,
        resourceData: {
          '@odata.type': '#Microsoft.Graph.User',
          '@odata.id': `Users/${user.id}`,
          id: user.id,
          organizationId: subscription.directoryId,
        },
        clientState,
        tenantId: subscription.directoryId,
      },
    ],
  });
  const url = subscription.notificationUrl;
  const total = perSecond * seconds;
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const jobsBefore = rig.services.queue.stats().enqueued;
  const inFlight: Promise<void>[] = [];
  const started = performance.now();
  for (let i = 0; i < total; i += 1) {
    const target = started + (i * 1000) / perSecond;
    const wait = target - performance.now();
    if (wait > 1) await sleep(wait);
    inFlight.push(
      (async () => {
        const sent = performance.now();
        try {
          const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
          await response.arrayBuffer();
          latencies.push(performance.now() - sent);
          statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        } catch (err) {
          // A refused or reset connection is an answer too (counted, not timed), not the end of the run.
          const code = (err as { cause?: { code?: string } }).cause?.code ?? 'fetchFailed';
          statuses[code] = (statuses[code] ?? 0) + 1;
        }
      })(),
    );
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - started) / 1000;
  return {
    requests: total,
    seconds: Number(elapsed.toFixed(1)),
    achievedPerSecond: Math.round(total / elapsed),
    statuses,
    latencyMs: percentiles(latencies),
    jobsProduced: rig.services.queue.stats().enqueued - jobsBefore,
  };
}

/** `npm run bench -- --only notifications`: both measurements on one rig (sandboxes in this process). */
export async function runNotificationBench(options: {
  storageConnectionString: string;
  users: number;
  changes: number;
  changesPerSecond: number;
  webhookPerSecond: number;
  webhookSeconds: number;
  /** Only the window in which repeated lifecycle events collapse (NOTIFICATION_DEBOUNCE_MS); delta jobs are not delayed. */
  debounceMs: number;
}) {
  const rig = await startNotificationRig({
    storageConnectionString: options.storageConnectionString,
    tablePrefix: `nb${Date.now().toString(36)}`,
    users: generateUsers(options.users, { seed: 11 }),
    debounceMs: options.debounceMs,
  });
  try {
    const change = await changeLatency(rig, options.changes, options.changesPerSecond);
    await rig.services.queue.idle();
    const burst = await changeLatency(rig, Math.min(100, options.changes), Infinity, 'burst');
    await rig.services.queue.idle();
    console.error(JSON.stringify({ changeToPbx: change, burstToPbx: burst }));
    const webhook = await webhookLatency(rig, options.webhookPerSecond, options.webhookSeconds);
    await rig.services.queue.idle();
    return {
      users: options.users,
      changeToPbx: change,
      burstToPbx: burst,
      webhook,
      droppedByWebhook: rig.services.webhook.stats.dropped,
    };
  } finally {
    await rig.stop();
  }
}
