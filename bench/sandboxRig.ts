import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InProcessJobQueue } from '../shared/platform/queue/InProcessJobQueue';
import { LocalSecretStore } from '../shared/platform/secrets/LocalSecretStore';
import { assembleServices } from '../shared/app/createServices';
import { notificationSettingsFrom } from '../shared/app/notificationServices';
import { type Services } from '../shared/app/Services';
import { type TenantConfig } from '../shared/config/TenantConfig';
import { createTableStores } from '../shared/platform/tables/createTableStores';
import { sandboxTenantConfig, writeSandboxTenantSecrets } from '../shared/platform/local/sandboxTenantConfig';
import { startAzurite } from '../shared/platform/local/startAzurite';

/** What the sandboxes served since the last `reset` (sandboxProcess.ts answers `stats`). */
export interface SandboxStats {
  graphRequests: number;
  pbxRequests: number;
  pbxWrites: number;
  /** Requests per route, e.g. 'POST /api/groups/{id}/members/{extension_number}'. */
  pbxByRoute: Record<string, number>;
  pbxThrottled: number;
  pbxUsers: number;
  pbxGroups: number;
  pbxGroupMembers: number;
}

/** One request to the sandbox process and its answer (the process answers each message in order). */
export function ask<T>(child: ChildProcess, message: object): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as T));
    child.send(message);
  });
}

/**
 * What the sync benches run against: Azurite, the sandbox Graph tenant (`users` generated users) and PBX
 * (limited to `pbxRate` requests a minute) in a child process, and the connector's services with one sandbox
 * tenant whose PBX pacing matches that limit. The queue is never started: the benches run jobs themselves.
 */
export interface SandboxRig {
  tenantId: string;
  sandbox: ChildProcess;
  services: Services;
  pbxRate: number;
  stop(): Promise<void>;
}

export async function startSandboxRig(options: {
  users: number;
  pbxRate: number;
  /** Changes to the tenant's configuration before it is created. */
  configure?: (config: TenantConfig) => void;
}): Promise<SandboxRig> {
  const { users, pbxRate } = options;
  const tenantId = 'bench';
  const azurite = await startAzurite();
  const sandbox = fork(join(__dirname, 'sandboxProcess.js'), [String(users), String(pbxRate)], { stdio: 'inherit' });
  const started = await new Promise<{
    graphBaseUrl: string;
    graphToken: string;
    pbxBaseUrl: string;
    credentials: { username: string; password: string; domain: string };
  }>((resolve) => sandbox.once('message', (m) => resolve(m as never)));
  const stores = await createTableStores({ connectionString: azurite.connectionString, tablePrefix: 'bench' });
  const secrets = new LocalSecretStore(join(mkdtempSync(join(tmpdir(), 'bench-')), 'secrets.json'));
  const endpoints = {
    graphBaseUrl: started.graphBaseUrl,
    graphToken: started.graphToken,
    pbxBaseUrl: started.pbxBaseUrl,
    pbxDomain: started.credentials.domain,
  };
  await writeSandboxTenantSecrets(secrets, tenantId, endpoints, started.credentials);
  const config = sandboxTenantConfig(endpoints);
  config.pbx.rateLimitPerMinute = pbxRate;
  options.configure?.(config);
  await stores.tenants.create(tenantId, config);
  const services = assembleServices({
    stores,
    secrets,
    queue: new InProcessJobQueue(),
    syncConcurrency: 8,
    notifications: notificationSettingsFrom({ NOTIFICATION_DEBOUNCE_MS: 2000 }),
  });
  return {
    tenantId,
    sandbox,
    services,
    pbxRate,
    stop: async () => {
      await ask(sandbox, { cmd: 'stop' }).catch(() => undefined);
      sandbox.kill();
      await azurite.stop();
    },
  };
}
