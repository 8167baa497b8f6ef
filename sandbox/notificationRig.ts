import { mkdtempSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { graphWebhookHandler } from '../shared/notifications/graphWebhookHandler';
import { webhookRoutes } from '../shared/notifications/webhookRoutes';
import { pbxHandler, pbxRoutes } from '../shared/pbxApi/pbxRoutes';
import { InProcessJobQueue } from '../shared/platform/queue/InProcessJobQueue';
import { LocalSecretStore } from '../shared/platform/secrets/LocalSecretStore';
import { LocalCertificateStore } from '../shared/platform/certificates/LocalCertificateStore';
import { assembleServices } from '../shared/app/createServices';
import { enqueueSubscriptionMaintenance } from '../shared/app/enqueueSubscriptionMaintenance';
import { notificationSettingsFrom } from '../shared/app/notificationServices';
import { processJob } from '../shared/app/processJob';
import { requestSync } from '../shared/app/requestSync';
import { type Services } from '../shared/app/Services';
import { createTableStores } from '../shared/platform/tables/createTableStores';
import { type SyncRun } from '../shared/engine/RunStore';
import { sandboxTenantConfig, writeSandboxTenantSecrets } from '../shared/platform/local/sandboxTenantConfig';
import { type TenantConfig } from '../shared/config/TenantConfig';
import { LocalHttpHost } from '../shared/platform/local/LocalHttpHost';
import { GraphSandbox, type GraphSandboxOptions, type SandboxGroup, type SandboxUser } from './graph';
import { PortSipSandbox } from './portsip';
import { Logger } from '../shared/core/logging/Logger';
import { usersManifest } from '../shared/features/users/usersManifest';
import { GroupSyncOptionsSchema } from '../shared/features/groups/groupsOptions';

export interface NotificationRig {
  graph: GraphSandbox;
  pbx: PortSipSandbox;
  services: Services & { queue: InProcessJobQueue };
  host: LocalHttpHost;
  tenantId: string;
  /** Runs a sync through the queue (as "Sync now" does; users unless another feature is named) and waits for it. */
  syncNow(mode: 'full' | 'delta', feature?: string): Promise<SyncRun>;
  /**
   * Queues subscription maintenance for the tenant and waits for it (and its catch-up); with `withinMs`, only
   * for the jobs due within that time (a feature's timers may be queued for hours ahead).
   */
  maintainSubscriptions(wait?: { withinMs: number }): Promise<void>;
  /** Told the user ids (resourceData.id) of every notification POST as it arrives; undefined stops it. */
  setArrivalObserver(observer?: (userIds: string[], arrivedAt: number) => void): void;
  stop(): Promise<void>;
}

export interface NotificationRigOptions {
  storageConnectionString: string;
  tablePrefix: string;
  users: SandboxUser[];
  /** Entra groups in the sandbox tenant (default none). */
  groups?: SandboxGroup[];
  /** Turns the groups feature on with these options (default off). */
  groupsOptions?: Record<string, unknown>;
  /** Changes the tenant's configuration before it is created (turns features on). */
  configure?: (config: TenantConfig) => TenantConfig;
  debounceMs?: number;
  graph?: GraphSandboxOptions;
  pbxRateLimitPerMinute?: number;
  log?: Logger | undefined;
}

/**
 * The whole notification path on this machine, as `npm start` wires it: sandbox Graph delivering real
 * notifications over HTTP to the webhook handlers on a local host, the in-process queue running the sync
 * worker's jobs, Azurite tables and the sandbox PBX. The tenant is synced once (users; groups follow through
 * the users run's link events when they are on) and subscribed.
 */
export async function startNotificationRig(options: NotificationRigOptions): Promise<NotificationRig> {
  const graph = await GraphSandbox.start({ pageSize: 200, ...options.graph });
  const pbx = await PortSipSandbox.start({ rateLimitPerMinute: options.pbxRateLimitPerMinute ?? 600_000 });
  // The handler is wired before the services exist (the sandbox needs the webhook URL first).
  const assembled: { services?: Services & { queue: InProcessJobQueue } } = {};
  let observer: ((userIds: string[], arrivedAt: number) => void) | undefined;
  const handler = graphWebhookHandler(async () => assembled.services!.webhook);
  const observe = async (request: HttpRequest) => {
    const arrivedAt = performance.now();
    const body = (await request
      .clone()
      .json()
      .catch(() => undefined)) as { value?: { resourceData?: { id?: string } }[] } | undefined;
    observer?.(
      (body?.value ?? []).map((n) => n.resourceData?.id).filter((id): id is string => typeof id === 'string'),
      arrivedAt,
    );
  };
  const host = new LocalHttpHost([
    ...webhookRoutes.map((route) => ({
      ...route,
      handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
        if (observer) await observe(request);
        return handler(request, context);
      },
    })),
    // The PBX's own routes too (its call events come here), as the local connector serves them.
    ...pbxRoutes.map((route) => ({
      ...route,
      authLevel: 'anonymous' as const,
      handler: pbxHandler(route, async () => assembled.services!),
    })),
  ]);
  await host.listen(0);
  const log = options.log ?? Logger.silent();
  const stores = await createTableStores({ connectionString: options.storageConnectionString, tablePrefix: options.tablePrefix });
  const secretsDir = mkdtempSync(join(tmpdir(), 'rig-'));
  const secrets = new LocalSecretStore(join(secretsDir, 'secrets.json'));
  const certificates = new LocalCertificateStore(join(secretsDir, 'secrets.certificates.json'));
  const queue = new InProcessJobQueue({ retryDelayMs: () => 50 });
  const notifications = notificationSettingsFrom({
    PUBLIC_BASE_URL: `http://127.0.0.1:${host.port}`,
    NOTIFICATION_DEBOUNCE_MS: options.debounceMs ?? 500,
  });
  const services = { ...assembleServices({ stores, secrets, certificates, queue, syncConcurrency: 8, notifications }), queue };
  assembled.services = services;
  const running = services;
  queue.start((job) => processJob(running, job, log));

  const tenantId = 'rig';
  graph.seed(options.users, options.groups ?? []);
  const endpoints = { graphBaseUrl: graph.baseUrl, graphToken: graph.token, pbxBaseUrl: pbx.baseUrl, pbxDomain: pbx.credentials.domain };
  await writeSandboxTenantSecrets(secrets, tenantId, endpoints, pbx.credentials);
  let config = sandboxTenantConfig(endpoints);
  if (options.groupsOptions) config.groups = GroupSyncOptionsSchema.parse({ ...options.groupsOptions, enabled: true });
  if (options.configure) config = options.configure(config);
  await services.tenants.create(tenantId, config);

  const rig: NotificationRig = {
    graph,
    pbx,
    services,
    host,
    tenantId,
    async syncNow(mode, feature = usersManifest.name) {
      const { runId } = await requestSync(running, { tenantId, feature, mode, trigger: 'manual' });
      await queue.idle({ withinMs: 0 });
      while ((await running.runs.get(tenantId, runId))?.status === 'queued') await queue.idle();
      return (await running.runs.get(tenantId, runId))!;
    },
    async maintainSubscriptions(wait) {
      await enqueueSubscriptionMaintenance(running, tenantId, `rig-${Date.now()}-${Math.random()}`, 'manual');
      await queue.idle(wait);
    },
    setArrivalObserver(next) {
      observer = next;
    },
    async stop() {
      await queue.close();
      await host.close();
      await graph.stop();
      await pbx.stop();
    },
  };
  await rig.syncNow('full');
  await rig.maintainSubscriptions();
  return rig;
}
