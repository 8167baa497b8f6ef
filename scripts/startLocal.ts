import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { adminHandler, adminRoutes } from '../shared/admin/adminRoutes';
import { loadAppSettings } from '../shared/config/AppSettings';
import { InProcessJobQueue } from '../shared/queue/InProcessJobQueue';
import { LocalSecretStore } from '../shared/secrets/LocalSecretStore';
import { createServices } from '../shared/runtime/createServices';
import { enqueueDueReconciles } from '../shared/runtime/enqueueDueReconciles';
import { setServices } from '../shared/runtime/getServices';
import { processJob } from '../shared/runtime/processJob';
import { enqueueAllSubscriptionMaintenance } from '../shared/runtime/enqueueSubscriptionMaintenance';
import { graphWebhookHandler } from '../shared/notifications/graphWebhookHandler';
import { webhookRoutes } from '../shared/notifications/webhookRoutes';
import { forgetTenantSubscriptions } from '../shared/subscriptions/forgetTenantSubscriptions';
import { requestSync } from '../shared/runtime/requestSync';
import { GraphSandbox, demoCompany } from '../sandbox/graph';
import { PortSipSandbox } from '../sandbox/portsip';
import { LocalHttpHost } from '../shared/platform/local/LocalHttpHost';
import { ensureLocalStorage } from '../shared/platform/local/ensureLocalStorage';
import { loadLocalSettings } from '../shared/platform/local/loadLocalSettings';
import { SANDBOX_PBX_SECRET, sandboxTenantConfig } from '../shared/platform/local/sandboxTenantConfig';

const PORT = Number(process.env.PORT ?? 7071);
const LOCAL_DIR = resolve('.local');

/**
 * `npm start`: the connector on this machine with embedded defaults — Azurite (from npm), the in-process
 * queue, a local secret file, and (unless CONNECTOR_SANDBOX=false) the sandbox tenant and PBX seeded with a
 * demo company. Runs a first sync, prints it, and serves the HTTP API on :7071 until stopped.
 */
async function main(): Promise<void> {
  const env = loadLocalSettings();
  const useSandbox = (env.CONNECTOR_SANDBOX ?? 'true') !== 'false';
  mkdirSync(LOCAL_DIR, { recursive: true });
  const stops: (() => Promise<void>)[] = [];

  const storage = await ensureLocalStorage(env);
  stops.push(storage.stop);
  console.log(
    `storage   ${env.AzureWebJobsStorage && env.AzureWebJobsStorage !== 'UseDevelopmentStorage=true' ? 'the configured storage account' : 'Azurite Table service (data in .local/azurite)'}`,
  );
  const settings = loadAppSettings({
    ...env,
    AzureWebJobsStorage: storage.connectionString,
    QUEUE_MODE: 'inprocess',
    LOCAL_SECRETS_FILE: env.KEY_VAULT_URI ? undefined : (env.LOCAL_SECRETS_FILE ?? resolve(LOCAL_DIR, 'secrets.json')),
    // The sandbox Graph delivers to this machine; a real tenant needs a public https URL (a tunnel).
    PUBLIC_BASE_URL: env.PUBLIC_BASE_URL ?? (useSandbox ? `http://127.0.0.1:${PORT}` : undefined),
  });
  const queue = new InProcessJobQueue({
    onDeadLetter: (d) => console.error(`dead-lettered job ${d.job.jobId} after ${d.deliveryCount} deliveries: ${d.reason}`),
  });
  const services = await createServices(settings, { queue });
  setServices(services);

  if (useSandbox) {
    const graph = await GraphSandbox.start({ port: Number(env.SANDBOX_GRAPH_PORT ?? 7081) });
    const pbx = await PortSipSandbox.start({ port: Number(env.SANDBOX_PBX_PORT ?? 7082) });
    stops.push(
      () => graph.stop(),
      () => pbx.stop(),
    );
    const demo = demoCompany();
    graph.seed(demo.users, demo.groups);
    await new LocalSecretStore(settings.LOCAL_SECRETS_FILE!).setSecret(
      SANDBOX_PBX_SECRET,
      JSON.stringify({ username: pbx.credentials.username, password: pbx.credentials.password }),
    );
    const config = sandboxTenantConfig({
      graphBaseUrl: graph.baseUrl,
      graphToken: graph.token,
      pbxBaseUrl: pbx.baseUrl,
      pbxDomain: pbx.credentials.domain,
    });
    const existing = await services.tenants.get('demo');
    if (existing) await services.tenants.replace('demo', config);
    else await services.tenants.create('demo', config);
    // Both sandboxes start empty each time, so forget what earlier runs linked.
    await services.links.deleteAllForTenant('demo');
    await services.deltaStates.clear('demo', 'users');
    await forgetTenantSubscriptions(services, 'demo');
    console.log(
      `graph     sandbox tenant "Contoso Demo" with ${demo.users.length} users on ${graph.baseUrl} (edit users: ${graph.baseUrl}/_sandbox/users)`,
    );
    console.log(`pbx       sandbox PortSIP on ${pbx.baseUrl} (domain ${pbx.credentials.domain})`);
  }

  queue.start((job) =>
    processJob(services, job, { log: (m) => console.log(`[syncWorker] ${m}`), error: (m) => console.error(`[syncWorker] ${m}`) }),
  );
  const host = new LocalHttpHost([
    ...adminRoutes.map((route) => ({ ...route, handler: adminHandler(route, async () => services) })),
    ...webhookRoutes.map((route) => ({ ...route, handler: graphWebhookHandler(async () => services.webhook) })),
  ]);
  await host.listen(PORT);
  stops.unshift(
    () => host.close(),
    () => queue.close(),
  );
  console.log(
    `http      admin API on http://127.0.0.1:${PORT}/api (GET /tenants, POST /tenants/{id}/sync[?dryRun=true], GET /tenants/{id}/runs)`,
  );

  for (const tenant of await services.tenants.list({ onInvalid: (id, err) => console.error(`tenant ${id} skipped: ${err.message}`) })) {
    if (!tenant.config.enabled) continue;
    const { runId } = await requestSync(services, { tenantId: tenant.id, mode: 'full', trigger: 'startup' });
    await queue.idle();
    const run = await services.runs.get(tenant.id, runId);
    console.log(`first sync of ${tenant.id}: ${run?.status} ${JSON.stringify(run?.counts)}${run?.error ? ` — ${run.error}` : ''}`);
    if (run?.skippedByReason && Object.keys(run.skippedByReason).length) console.log(`  skipped: ${JSON.stringify(run.skippedByReason)}`);
  }

  if (services.notifications.endpoints) {
    await enqueueAllSubscriptionMaintenance(services, new Date(), (m) => console.log(`[renewSubscriptions] ${m}`));
    await queue.idle({ withinMs: 0 });
    console.log(
      `notify    Graph change notifications → ${services.notifications.endpoints.notificationUrl} (bursts collapse over ${services.notifications.debounceMs} ms)`,
    );
  } else {
    console.log('notify    off (set PUBLIC_BASE_URL to a public https URL); changes arrive with the scheduled reconcile');
  }

  const schedule = setInterval(() => void enqueueDueReconciles(services, new Date(), (m) => console.log(`[scheduledSync] ${m}`)), 60_000);
  const renewals = setInterval(
    () => void enqueueAllSubscriptionMaintenance(services, new Date(), (m) => console.log(`[renewSubscriptions] ${m}`)),
    30 * 60_000,
  );
  console.log('ready — press Ctrl+C to stop');
  const shutdown = async () => {
    clearInterval(schedule);
    clearInterval(renewals);
    for (const stop of stops) await stop().catch(() => undefined);
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
