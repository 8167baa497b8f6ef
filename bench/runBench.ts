import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InProcessJobQueue } from '../shared/platform/queue/InProcessJobQueue';
import { LocalSecretStore } from '../shared/platform/secrets/LocalSecretStore';
import { assembleServices } from '../shared/app/createServices';
import { notificationSettingsFrom } from '../shared/app/notificationServices';
import { processSyncJob } from '../shared/app/processSyncJob';
import { type Services } from '../shared/app/Services';
import { createTableStores } from '../shared/platform/tables/createTableStores';
import { newRunId } from '../shared/engine/newRunId';
import { type SyncRun } from '../shared/engine/RunStore';
import { sandboxTenantConfig, writeSandboxTenantSecrets } from '../shared/platform/local/sandboxTenantConfig';
import { startAzurite } from '../shared/platform/local/startAzurite';
import { optionsOrExit } from '../shared/platform/local/optionsOrExit';
import { type BenchOptions, parseBenchOptions } from './benchOptions';
import { runNotificationBench } from './notificationBench';
import { isWebhookFloodRun, runWebhookFloodBench } from './webhookFloodBench';
import { Logger } from '../shared/core/logging/Logger';
import { stderrLogSink } from '../shared/core/logging/logSinks';
import { featureSyncJob } from '../shared/app/jobs/featureSyncJob';
import { usersManifest } from '../shared/features/users/usersManifest';

/**
 * npm run bench [-- --users N --pbx-rate R] [--only sync|notifications|webhookFlood] (all options: benchOptions.ts, --help):
 * - sync: an initial sync of N sandbox users and no-change re-syncs, over real HTTP and Azurite, reporting
 *   wall time, requests, the rate-limit bound and peak memory;
 * - notifications: change → PBX latency after the notification arrives (1,000 changes) and the webhook's
 *   latency at 200 requests/s for 30 s (notificationBench.ts);
 * - webhookFlood: real notifications and the handshake while forged batches flood the webhook
 *   (webhookFloodBench.ts; its own options).
 */
function ask<T>(child: ChildProcess, message: object): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as T));
    child.send(message);
  });
}

interface SandboxStats {
  graphRequests: number;
  pbxRequests: number;
  pbxWrites: number;
  pbxThrottled: number;
  pbxUsers: number;
}

class PeakMemory {
  rss = 0;
  heap = 0;
  private readonly timer = setInterval(() => this.sample(), 25);
  sample(): void {
    const m = process.memoryUsage();
    this.rss = Math.max(this.rss, m.rss);
    this.heap = Math.max(this.heap, m.heapUsed);
  }
  stop(): { peakRssMB: number; peakHeapMB: number } {
    clearInterval(this.timer);
    this.sample();
    return { peakRssMB: Math.round(this.rss / 1048576), peakHeapMB: Math.round(this.heap / 1048576) };
  }
}

async function main(): Promise<void> {
  // `--only webhookFlood` has options of its own (webhookFloodBench.ts).
  if (isWebhookFloodRun(process.argv.slice(2))) return runWebhookFloodBench(process.argv.slice(2));
  const options = optionsOrExit(parseBenchOptions(process.argv.slice(2)));
  if (options.only !== 'notifications') await syncBench(options);
  if (options.only !== 'sync') await notificationsBench(options);
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

async function syncBench(options: BenchOptions): Promise<void> {
  const { users, pbxRate } = options;
  const azurite = await startAzurite();
  const child = fork(join(__dirname, 'sandboxProcess.js'), [String(users), String(pbxRate)], { stdio: 'inherit' });
  const sandbox = await new Promise<{
    graphBaseUrl: string;
    graphToken: string;
    pbxBaseUrl: string;
    credentials: { username: string; password: string; domain: string };
  }>((resolve) => child.once('message', (m) => resolve(m as never)));
  const stores = await createTableStores({ connectionString: azurite.connectionString, tablePrefix: 'bench' });
  const secrets = new LocalSecretStore(join(mkdtempSync(join(tmpdir(), 'bench-')), 'secrets.json'));
  const endpoints = {
    graphBaseUrl: sandbox.graphBaseUrl,
    graphToken: sandbox.graphToken,
    pbxBaseUrl: sandbox.pbxBaseUrl,
    pbxDomain: sandbox.credentials.domain,
  };
  await writeSandboxTenantSecrets(secrets, 'bench', endpoints, sandbox.credentials);
  const config = sandboxTenantConfig(endpoints);
  config.pbx.rateLimitPerMinute = pbxRate;
  await stores.tenants.create('bench', config);
  const services: Services = assembleServices({
    stores,
    secrets,
    queue: new InProcessJobQueue(),
    syncConcurrency: 8,
    notifications: notificationSettingsFrom({ NOTIFICATION_DEBOUNCE_MS: 2000 }),
  });

  const run = async (label: string, mode: 'full' | 'delta') => {
    await ask(child, { cmd: 'reset' });
    global.gc?.();
    const memory = new PeakMemory();
    const runId = newRunId();
    const started = process.hrtime.bigint();
    await processSyncJob(
      services,
      featureSyncJob(usersManifest, { tenantId: 'bench', runId, mode, trigger: 'cli' }),
      new Logger(stderrLogSink('error'), 'bench'),
    );
    const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const mem = memory.stop();
    const stats = await ask<SandboxStats>(child, { cmd: 'stats' });
    const record = (await stores.runs.get('bench', runId)) as SyncRun;
    // What the PBX limit allows: every request paced at the limit, less the bucket's initial burst (2 s' worth).
    const perSecond = pbxRate / 60;
    const boundSeconds = Math.max(0, (stats.pbxRequests - 2 * perSecond) / perSecond);
    return {
      label,
      status: record.status,
      wallSeconds: Number(wallSeconds.toFixed(2)),
      counts: record.counts,
      pages: record.pages,
      graphRequests: stats.graphRequests,
      pbxRequests: stats.pbxRequests,
      pbxWrites: stats.pbxWrites,
      pbxThrottled: stats.pbxThrottled,
      rateLimitBoundSeconds: Number(boundSeconds.toFixed(2)),
      ratioToBound: boundSeconds > 0 ? Number((wallSeconds / boundSeconds).toFixed(3)) : null,
      ...mem,
    };
  };

  const results = [
    await run(`initial sync, ${users} users`, 'full'),
    await run('re-sync, no change (delta)', 'delta'),
    await run('full reconcile, no change', 'full'),
  ];
  console.log(JSON.stringify({ users, pbxRateLimitPerMinute: pbxRate, node: process.version, results }, null, 2));
  await ask(child, { cmd: 'stop' }).catch(() => undefined);
  child.kill();
  await azurite.stop();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
