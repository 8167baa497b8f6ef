import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InProcessJobQueue } from '../shared/platform/queue/InProcessJobQueue';
import { LocalSecretStore } from '../shared/platform/secrets/LocalSecretStore';
import { LocalCertificateStore } from '../shared/platform/certificates/LocalCertificateStore';
import { UserSyncOptionsSchema } from '../shared/features/users/usersOptions';
import { assembleServices } from '../shared/app/createServices';
import { notificationSettingsFrom } from '../shared/app/notificationServices';
import { type Services } from '../shared/app/Services';
import { type TenantConfig } from '../shared/config/TenantConfig';
import { createTableStores } from '../shared/platform/tables/createTableStores';
import { sandboxTenantConfig, writeSandboxTenantSecrets } from '../shared/platform/local/sandboxTenantConfig';
import { startAzurite } from '../shared/platform/local/startAzurite';
import { LocalKeyWrapper } from '../shared/platform/keys/LocalKeyWrapper';

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
  /** Sessions opened as users (personal contacts, pictures). */
  pbxUserSignIns: number;
  /** Outlook 429s (4 in flight per mailbox, 10,000 per 10 minutes): the connector should cause none. */
  outlookThrottled: number;
  outlookPeakInFlight: number;
  /** Teams presence requests (getPresencesByUserId and single-user GETs), the 429s among them, and the ids asked for. */
  graphPresenceCalls: number;
  graphPresenceThrottled: number;
  graphPresenceIdsRequested: number;
  /** PBX presence writes applied: statuses set as the user (`POST /api/user/presence`), admin DND switches (PortSIP). */
  pbxPresenceWrites: number;
  pbxDndWrites: number;
  /** The admin's PBX status reads (`GET /api/users/{id}/status`). */
  pbxStatusReads: number;
  /** Calendar reads (calendarView requests, pages included) and single-event reads. */
  graphCalendarViews: number;
  graphCalendarEventRequests: number;
}

/** One PBX presence write as the sandbox PBX applied it (sandboxProcess.ts answers `presenceWriteLog`, PortSIP only). */
export interface PbxPresenceWrite {
  /** The PBX user id. */
  userId: string;
  /** Epoch ms. */
  at: number;
  /** A status set as the user, or the admin's DND switch. */
  kind: 'status' | 'dnd';
  /** The status (e.g. DO_NOT_DISTURB) or the switch ('true', 'false', 'null'). */
  value: string;
}

/** One request to the sandbox process and its answer (the process answers each message in order). */
export function ask<T>(child: ChildProcess, message: object): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as T));
    child.send(message);
  });
}

/**
 * What the sync benches run against: Azurite, per tenant a sandbox Graph tenant (`users` generated users) and
 * PBX (limited to `pbxRate` requests a minute) in a child process, and the connector's services with that many
 * sandbox tenants whose PBX pacing matches that limit. The queue is not started: the single-tenant benches run
 * jobs themselves, the multi-tenant one starts it with the worker's dispatch.
 */
export interface SandboxRig {
  /** The first (for the single-tenant benches, the only) tenant. */
  tenantId: string;
  tenantIds: string[];
  sandbox: ChildProcess;
  services: Services;
  queue: InProcessJobQueue;
  pbxRate: number;
  stop(): Promise<void>;
}

export async function startSandboxRig(options: {
  users: number;
  pbxRate: number;
  /** Connector tenants, each with its own sandbox Graph tenant and PBX (default 1). */
  tenants?: number;
  /** The queue's sessions run at once (its default when absent). */
  maxConcurrentSessions?: number;
  /** Changes to each tenant's configuration before it is created. */
  configure?: (config: TenantConfig) => void;
  /** The PBX simulator (default PortSIP). 3CX gets five-digit extensions numbered from 10000. */
  pbxKind?: 'portsip' | '3cx';
}): Promise<SandboxRig> {
  const { users, pbxRate } = options;
  const tenantCount = options.tenants ?? 1;
  const tenantIds =
    tenantCount === 1 ? ['bench'] : Array.from({ length: tenantCount }, (_, k) => `bench-${String(k + 1).padStart(4, '0')}`);
  // In memory: Azurite saving its whole database to disk would be what the bench measures.
  const azurite = await startAzurite({ inMemory: true });
  const pbxKind = options.pbxKind ?? 'portsip';
  const sandbox = fork(join(__dirname, 'sandboxProcess.js'), [String(users), String(pbxRate), String(tenantCount), pbxKind], {
    stdio: 'inherit',
  });
  const started = await new Promise<{
    tenants: {
      graphBaseUrl: string;
      graphToken: string;
      pbxBaseUrl: string;
      credentials: { username: string; password: string; domain: string };
    }[];
  }>((resolve) => sandbox.once('message', (m) => resolve(m as never)));
  const secretsDir = mkdtempSync(join(tmpdir(), 'bench-'));
  // Portal passwords of the users the bench creates, under a local wrapping key (as `npm start` keeps them).
  const keyWrapper = new LocalKeyWrapper(join(secretsDir, 'secrets.keys.json'), 'portal-passwords');
  await keyWrapper.ensureKey();
  const stores = await createTableStores({ connectionString: azurite.connectionString, tablePrefix: 'bench' }, { keyWrapper });
  const secrets = new LocalSecretStore(join(secretsDir, 'secrets.json'));
  const certificates = new LocalCertificateStore(join(secretsDir, 'secrets.certificates.json'));
  for (const [k, tenantId] of tenantIds.entries()) {
    const tenant = started.tenants[k]!;
    const endpoints = {
      graphBaseUrl: tenant.graphBaseUrl,
      graphToken: tenant.graphToken,
      pbxBaseUrl: tenant.pbxBaseUrl,
      pbxDomain: tenant.credentials.domain,
      threeCxClientId: pbxKind === '3cx' ? tenant.credentials.username : undefined,
    };
    await writeSandboxTenantSecrets(secrets, tenantId, endpoints, tenant.credentials);
    const config = sandboxTenantConfig(
      endpoints,
      pbxKind === '3cx' ? UserSyncOptionsSchema.parse({ numbering: { mode: 'fromStart', start: '10000' } }) : {},
    );
    config.pbx.rateLimitPerMinute = pbxRate;
    options.configure?.(config);
    await stores.tenants.create(tenantId, config);
  }
  const { maxConcurrentSessions } = options;
  const queue = new InProcessJobQueue(maxConcurrentSessions === undefined ? {} : { maxConcurrentSessions });
  const services = assembleServices({
    stores,
    secrets,
    certificates,
    queue,
    syncConcurrency: 8,
    notifications: notificationSettingsFrom({ NOTIFICATION_DEBOUNCE_MS: 2000 }),
  });
  return {
    tenantId: tenantIds[0]!,
    tenantIds,
    sandbox,
    services,
    queue,
    pbxRate,
    stop: async () => {
      await queue.close();
      await ask(sandbox, { cmd: 'stop' }).catch(() => undefined);
      sandbox.kill();
      await azurite.stop();
    },
  };
}

/** Changes the rig tenant's configuration (a feature turned on or off between measured runs). */
export async function configureRigTenant(rig: SandboxRig, change: (config: TenantConfig) => void): Promise<void> {
  const tenant = (await rig.services.tenants.get(rig.tenantId))!;
  const config = structuredClone(tenant.config);
  change(config);
  await rig.services.tenants.replace(rig.tenantId, config, tenant.etag);
}
