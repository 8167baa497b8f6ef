import { AppError } from '../../shared/core/errors/AppError';
import { GroupSyncOptionsSchema } from '../../shared/features/groups/groupsOptions';
import { mkdirSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { adminHandler, adminRoutes } from '../../shared/admin/adminRoutes';
import { loadAppSettings } from '../../shared/config/AppSettings';
import { InProcessJobQueue } from '../../shared/platform/queue/InProcessJobQueue';
import { createServices } from '../../shared/app/createServices';
import { enqueueDueReconciles } from '../../shared/app/enqueueDueReconciles';
import { ensureAllPolling } from '../../shared/app/pollingChain';
import { setServices } from '../../shared/app/getServices';
import { processJob } from '../../shared/app/processJob';
import { type Services } from '../../shared/app/Services';
import { enqueueAllSubscriptionMaintenance } from '../../shared/app/enqueueSubscriptionMaintenance';
import { graphWebhookHandler } from '../../shared/notifications/graphWebhookHandler';
import { webhookRoutes } from '../../shared/notifications/webhookRoutes';
import { pbxHandler, pbxRoutes } from '../../shared/pbxApi/pbxRoutes';
import { healthHandler } from '../../shared/app/healthHandler';
import { forgetTenantSubscriptions } from '../../shared/subscriptions/forgetTenantSubscriptions';
import { requestTenantSync } from '../../shared/app/requestTenantSync';
import { DEMO_SHARED_MAILBOX, GraphSandbox, demoCompany, seedDemoMailboxes } from '../../sandbox/graph';
import { PhonebookOptionsSchema } from '../../shared/features/contacts/phonebookOptions';
import { PersonalContactsOptionsSchema } from '../../shared/features/contacts/personalContactsOptions';
import { PhotoSyncOptionsSchema } from '../../shared/features/photos/photosOptions';
import { PresenceOptionsSchema } from '../../shared/features/presence/presenceOptions';
import { CalendarOptionsSchema } from '../../shared/features/calendar/calendarOptions';
import { CallStateOptionsSchema } from '../../shared/features/callState/callStateOptions';
import { PortSipSandbox } from '../../sandbox/portsip';
import { ThreeCxSandbox } from '../../sandbox/threecx';
import { LocalHttpHost } from '../../shared/platform/local/LocalHttpHost';
import { localAdminKey } from '../../shared/platform/local/localAdminKey';
import { ensureLocalStorage } from '../../shared/platform/local/ensureLocalStorage';
import { type LocalPorts, localPorts } from '../../shared/platform/local/localPorts';
import { explainListenError } from '../../shared/platform/local/portInUse';
import { sandboxTenantConfig, writeSandboxTenantSecrets } from '../../shared/platform/local/sandboxTenantConfig';
import { type StopStack } from '../../shared/platform/local/StopStack';
import { Logger } from '../../shared/core/logging/Logger';
import { consoleLogSink } from '../../shared/core/logging/logSinks';
import { describeRun } from './describeRun';
import { openApiRoute } from '../../shared/admin/openApiDocument';
import { openApiHandler } from '../../shared/admin/openApiHandler';
import { ConsoleGate } from '../../shared/console/consoleGate';
import { consoleHandler, consoleRoutes } from '../../shared/console/consoleRoutes';
import { localConsoleSettings } from '../../shared/console/consoleSettings';

export interface LocalConnectorOptions {
  /** The checkout's `.local` folder (Azurite data and record, the secrets file); default ./.local. */
  localDir?: string;
  /** The start-up banner (one line per part); default console.log. */
  log?: (message: string) => void;
  /** What the jobs, timers and queue log; default the terminal (source `local`). */
  logger?: Logger;
}

/**
 * `npm start`'s start sequence: Azurite (or the configured storage), the in-process queue, a local secret file,
 * the sandbox tenant and PBX seeded with a demo company (unless CONNECTOR_SANDBOX=false), a first sync, and
 * the HTTP API. Each part registers its stop on `stops` as soon as it runs; if a later part fails, everything
 * registered is stopped before the error goes on, so a failed start leaves nothing running.
 */
export async function startLocalConnector(
  env: Record<string, string | undefined>,
  stops: StopStack,
  options: LocalConnectorOptions = {},
): Promise<{ ports: LocalPorts }> {
  try {
    return await startSequence(env, stops, options);
  } catch (err) {
    await stops.stopAll();
    throw err;
  }
}

/** SANDBOX_PBX: which PBX simulator the demo runs against (default PortSIP). */
function sandboxPbxOf(env: Record<string, string | undefined>): 'portsip' | '3cx' {
  const value = (env.SANDBOX_PBX ?? 'portsip').toLowerCase();
  if (value === 'portsip' || value === '3cx') return value;
  throw new AppError('CONFIG', `SANDBOX_PBX must be portsip or 3cx, not ${JSON.stringify(value.slice(0, 32))}`);
}

async function startSequence(
  env: Record<string, string | undefined>,
  stops: StopStack,
  options: LocalConnectorOptions,
): Promise<{ ports: LocalPorts }> {
  const log = options.log ?? ((m: string) => console.log(m));
  const logger = options.logger ?? new Logger(consoleLogSink(), 'local');
  const ports = localPorts(env);
  const sandboxPbx = sandboxPbxOf(env);
  const useSandbox = (env.CONNECTOR_SANDBOX ?? 'true') !== 'false';
  const localDir = options.localDir ?? resolve('.local');
  mkdirSync(localDir, { recursive: true });
  // The admin routes ask for this key, as Azure asks for a function key; the Graph webhooks stay anonymous.
  const adminKey = localAdminKey(env, localDir);

  const storage = await ensureLocalStorage(env, { localDir });
  stops.add('storage', storage.stop);
  log(`storage   ${storage.description}`);
  const settings = loadAppSettings({
    ...env,
    AzureWebJobsStorage: storage.connectionString,
    QUEUE_MODE: 'inprocess',
    LOCAL_SECRETS_FILE: env.KEY_VAULT_URI ? undefined : (env.LOCAL_SECRETS_FILE ?? resolve(localDir, 'secrets.json')),
    // The sandbox Graph delivers to this machine; a real tenant needs a public https URL (a tunnel).
    PUBLIC_BASE_URL: env.PUBLIC_BASE_URL ?? (useSandbox ? `http://127.0.0.1:${ports.PORT}` : undefined),
  });
  const queue = new InProcessJobQueue({
    onDeadLetter: (d) =>
      logger.error('job dead-lettered', { tenant: d.job.tenantId, job: d.job.jobId, deliveries: d.deliveryCount, reason: d.reason }),
  });
  stops.add('the job queue', () => queue.close());
  const services = await createServices(settings, { queue });
  setServices(services);

  if (useSandbox) await startSandboxes(services, ports, stops, log, sandboxPbx);

  queue.start((job) => processJob(services, job, logger.with({ feature: 'syncWorker' })));
  const publicHost = settings.PUBLIC_BASE_URL ? new URL(settings.PUBLIC_BASE_URL).host : undefined;
  const consoleGate = new ConsoleGate(localConsoleSettings(adminKey.off ? 'off' : adminKey.key, env));
  const host = new LocalHttpHost(
    [
      ...adminRoutes.map((route) => ({
        ...route,
        authLevel: route.authLevel ?? ('function' as const),
        handler: adminHandler(route, async () => services),
      })),
      ...webhookRoutes.map((route) => ({
        ...route,
        authLevel: 'anonymous' as const,
        handler: graphWebhookHandler(async () => services.webhook),
      })),
      // The PBX's own routes check its tenant key in code (anonymous to the host, as in Azure).
      ...pbxRoutes.map((route) => ({ ...route, authLevel: 'anonymous' as const, handler: pbxHandler(route, async () => services) })),
      { ...openApiRoute, authLevel: 'anonymous' as const, handler: openApiHandler },
      { name: 'health', route: 'health', methods: ['GET', 'HEAD'], authLevel: 'anonymous' as const, handler: healthHandler },
      // The console signs in with the same admin key in code (a browser must not carry the key on every request).
      ...consoleRoutes.map((route) => ({
        ...route,
        authLevel: 'anonymous' as const,
        handler: consoleHandler(
          route,
          async () => services,
          () => consoleGate,
        ),
      })),
    ],
    { adminKey: adminKey.off ? 'off' : adminKey.key, publicHosts: publicHost ? [publicHost] : [] },
  );
  await host.listen(ports.PORT).catch(explainListenError(ports.PORT, 'PORT'));
  stops.add('the HTTP host', () => host.close());
  log(
    `http      admin API on http://127.0.0.1:${ports.PORT}/api (GET ` +
      `/tenants, POST /tenants/{id}/sync[?dryRun=true], GET /tenants/{id}/runs)`,
  );
  log(`console   http://127.0.0.1:${ports.PORT}/api/console (sign in with the admin key)`);
  log(
    adminKey.off
      ? 'key       off (LOCAL_ADMIN_KEY=off): any program on this machine can call the admin API'
      : `key       admin key ${adminKey.key} (${adminKey.created ? 'new, ' : ''}in ${adminKey.file}); send it as ` +
          `-H "x-functions-key: $(cat ${shortPath(adminKey.file)})" or ?code=`,
  );

  const onInvalid = (id: string, err: Error) =>
    logger.warn('tenant skipped: its stored configuration is invalid', { tenant: id, error: err.message });
  for (const tenant of await services.tenants.list({ onInvalid })) {
    if (!tenant.config.enabled) continue;
    const runs = await requestTenantSync(services, tenant, { mode: 'full', trigger: 'startup' });
    await queue.idle();
    for (const { feature, runId } of runs) {
      const run = await services.runs.get(tenant.id, runId);
      log(`first sync of ${tenant.id} (${feature}): ${run ? describeRun(run) : 'no run record'}`);
    }
  }

  if (services.notifications.endpoints) {
    await enqueueAllSubscriptionMaintenance(services, new Date(), logger.with({ feature: 'renewSubscriptions' }));
    await queue.idle({ withinMs: 0 });
    log(
      `notify    Graph change notifications → ${services.notifications.endpoints.notificationUrl} ` +
        '(a change queues its delta at once; a burst shares the one pending delta)',
    );
  } else {
    log('notify    off (set PUBLIC_BASE_URL to a public https URL); changes arrive with the scheduled reconcile');
  }

  // Presence polling (on in the PortSIP demo) starts with the next cycle slot; the timer below keeps it alive.
  await ensureAllPolling(services, new Date(), logger.with({ feature: 'presence' }));
  const schedule = setInterval(() => {
    void enqueueDueReconciles(services, new Date(), logger.with({ feature: 'scheduledSync' }));
    void ensureAllPolling(services, new Date(), logger.with({ feature: 'presence' }));
  }, 60_000);
  const renewals = setInterval(
    () => void enqueueAllSubscriptionMaintenance(services, new Date(), logger.with({ feature: 'renewSubscriptions' })),
    30 * 60_000,
  );
  stops.add('the timers', async () => {
    clearInterval(schedule);
    clearInterval(renewals);
  });
  return { ports };
}

/** A path relative to the working directory when it lies below it (what a README command would say), else absolute. */
function shortPath(path: string): string {
  const below = relative(process.cwd(), path);
  return below && !below.startsWith('..') ? below : path;
}

/** Both sandboxes on their ports, the demo company, and the demo tenant pointed at them (empty, so no old links). */
async function startSandboxes(
  services: Services,
  ports: LocalPorts,
  stops: StopStack,
  log: (message: string) => void,
  sandboxPbx: 'portsip' | '3cx',
): Promise<void> {
  const graph = await GraphSandbox.start({ port: ports.SANDBOX_GRAPH_PORT }).catch(
    explainListenError(ports.SANDBOX_GRAPH_PORT, 'SANDBOX_GRAPH_PORT'),
  );
  stops.add('the sandbox Graph', () => graph.stop());
  const pbx = await startSandboxPbx(sandboxPbx, ports.SANDBOX_PBX_PORT).catch(
    explainListenError(ports.SANDBOX_PBX_PORT, 'SANDBOX_PBX_PORT'),
  );
  stops.add('the sandbox PBX', () => pbx.stop());
  const demo = demoCompany();
  graph.seed(demo.users, demo.groups);
  seedDemoMailboxes(graph, demo.users);
  seedDemoPresence(graph, demo.users);
  seedDemoMeetings(graph, demo.users);
  const endpoints = {
    graphBaseUrl: graph.baseUrl,
    graphToken: graph.token,
    pbxBaseUrl: pbx.baseUrl,
    pbxDomain: pbx.domain,
    threeCxClientId: pbx.threeCxClientId,
  };
  // The demo tenant's secrets under the names the connector derives from its id (tenant-demo-pbx, tenant-demo-graph),
  // through the same store the connector reads (the local file, or Key Vault when KEY_VAULT_URI is set).
  await writeSandboxTenantSecrets(services.secrets, 'demo', endpoints, pbx.admin);
  // On PortSIP the demo shows groups, personal contacts and photos too (the demo company's departments become
  // PBX extension groups); the connector does not map groups onto 3CX departments, and XAPI writes neither
  // personal contacts nor pictures. Both fill the company phonebook from the shared mailbox.
  const portsip = sandboxPbx === 'portsip';
  const config = {
    ...sandboxTenantConfig(endpoints),
    groups: GroupSyncOptionsSchema.parse({ enabled: portsip }),
    phonebook: PhonebookOptionsSchema.parse({ enabled: true, sharedMailboxes: [DEMO_SHARED_MAILBOX] }),
    personalContacts: PersonalContactsOptionsSchema.parse({ enabled: portsip }),
    photos: PhotoSyncOptionsSchema.parse({ enabled: portsip }),
    presence: PresenceOptionsSchema.parse({ enabled: portsip }),
    calendar: CalendarOptionsSchema.parse({ enabled: portsip, refreshMinutes: 1 }),
    // The connector points the sandbox PBX's extension events at itself at the first subscription upkeep.
    callState: CallStateOptionsSchema.parse({ enabled: portsip }),
  };
  const existing = await services.tenants.get('demo');
  if (existing) await services.tenants.replace('demo', config);
  else await services.tenants.create('demo', config);
  // Both sandboxes start empty each time, so forget what earlier runs linked.
  await services.links.deleteAllForTenant('demo');
  await services.groupLinks.deleteAllForTenant('demo');
  await services.groupMembers.deleteAllForTenant('demo');
  await services.linkEventInbox.deleteAllForTenant('demo');
  await services.contactLinks.deleteAllForTenant('demo');
  await services.contactSources.deleteAllForTenant('demo');
  await services.photoStates.deleteAllForTenant('demo');
  await services.presenceStates.deleteAllForTenant('demo');
  await services.presenceHistory.deleteAllForTenant('demo');
  await services.pollCycles.deleteAllForTenant('demo');
  await services.portalPasswords?.deleteAllForTenant('demo');
  await services.deltaStates.clearTenant('demo');
  await forgetTenantSubscriptions(services, 'demo');
  log(
    `graph     sandbox tenant "Contoso Demo" with ${demo.users.length} ` +
      `users, ${demo.groups.length} groups and the shared mailbox ${DEMO_SHARED_MAILBOX} on ${graph.baseUrl} ` +
      `(edit users: ${graph.baseUrl}/_sandbox/users, groups: ${graph.baseUrl}/_sandbox/groups, contacts: ${graph.baseUrl}/_sandbox/mailboxes/{address}/contacts, ` +
      `Teams presence: POST ${graph.baseUrl}/_sandbox/presence/{objectId}, meetings: POST ${graph.baseUrl}/_sandbox/mailboxes/{address}/events)`,
  );
  log(`pbx       ${pbx.description}`);
}

/** The sandbox PBX of the product asked for (SANDBOX_PBX), with what the demo tenant signs in with. */
async function startSandboxPbx(kind: 'portsip' | '3cx', port: number) {
  if (kind === '3cx') {
    // Four-digit extensions, so the default numbering (from 1000) fits; the seed's messy users stay untouched.
    const pbx = await ThreeCxSandbox.start({ port, extensionLength: 4 });
    const { clientId, clientSecret } = pbx.credentials;
    return {
      baseUrl: pbx.baseUrl,
      domain: '',
      threeCxClientId: clientId,
      admin: { username: clientId, password: clientSecret },
      description: `sandbox 3CX V20 (XAPI simulator) on ${pbx.baseUrl} (API client ${clientId}; XAPI under ${pbx.baseUrl}/xapi/v1)`,
      stop: () => pbx.stop(),
    };
  }
  const pbx = await PortSipSandbox.start({ port });
  return {
    baseUrl: pbx.baseUrl,
    domain: pbx.credentials.domain,
    threeCxClientId: undefined,
    admin: pbx.credentials,
    description: `sandbox PortSIP on ${pbx.baseUrl} (domain ${pbx.credentials.domain}; look inside: ${pbx.baseUrl}/_sandbox)`,
    stop: () => pbx.stop(),
  };
}

/** A few demo users are not offline in Teams, so the first presence cycles show DND and away on the PBX. */
function seedDemoPresence(graph: GraphSandbox, users: readonly { id: string }[]): void {
  const states = [
    ['DoNotDisturb', 'Presenting'],
    ['Busy', 'InACall'],
    ['Away', 'Away'],
    ['Available', 'Available'],
  ] as const;
  graph.setPresences(
    users.slice(0, states.length).map((user, k) => ({ userId: user.id, availability: states[k]![0], activity: states[k]![1] })),
  );
}

/**
 * Two demo users have meetings soon after the start, so the demo shows the calendar at work: DND at the start,
 * the status from before at the end (times on whole minutes, from the next minute on).
 */
function seedDemoMeetings(graph: GraphSandbox, users: readonly { id: string }[]): void {
  const minute = 60_000;
  const soon = Math.ceil(Date.now() / minute) * minute + 2 * minute;
  const meetings = [
    { user: users[4], start: soon, minutes: 3, showAs: 'busy' },
    { user: users[5], start: soon + minute, minutes: 3, showAs: 'oof' },
  ] as const;
  for (const { user, start, minutes, showAs } of meetings) {
    if (!user) continue;
    graph.addEvent(user.id, {
      subject: 'Demo meeting',
      start: new Date(start).toISOString(),
      end: new Date(start + minutes * minute).toISOString(),
      showAs,
    });
  }
}
