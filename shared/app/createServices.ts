import { DefaultAzureCredential } from '@azure/identity';
import { z } from 'zod';
import { type AppSettings } from '../config/AppSettings';
import { AppError } from '../core/errors/AppError';
import { requireTenantCredential } from './requireTenantCredential';
import { laneShare } from './laneShare';
import { type Lane } from '../features/FeatureManifest';
import { GraphDirectoryReader } from '../graph/GraphDirectoryReader';
import { GraphSubscriptionClient } from '../graph/GraphSubscriptionClient';
import { createGraphClient } from '../graph/createGraphClient';
import { createPbxConnection } from '../pbx/createPbxConnection';
import { type JobQueue } from '../platform/queue/JobQueue';
import { ServiceBusJobQueue } from '../platform/queue/ServiceBusJobQueue';
import { KeyVaultSecretStore } from '../platform/secrets/KeyVaultSecretStore';
import { LocalSecretStore } from '../platform/secrets/LocalSecretStore';
import { type SecretStore } from '../platform/secrets/SecretStore';
import { type TableStores, createTableStores } from '../platform/tables/createTableStores';
import { type TenantRecord } from './TenantStore';
import { type NotificationSettings, type Services, type TenantConnectors } from './Services';
import { notificationServices, notificationSettingsFrom } from './notificationServices';
import { type FeatureRegistry } from '../features/FeatureRegistry';
import { defaultFeatureRegistry } from '../features/defaultFeatureRegistry';

const PbxCredentialSchema = z.object({ username: z.string().min(1), password: z.string().min(1) });

function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The Graph and PBX adapters for a tenant, cached per tenant and configuration version so PBX sessions and
 * Graph tokens are reused across jobs.
 */
export function connectorFactory(
  secrets: SecretStore,
  features: FeatureRegistry,
): (tenant: TenantRecord, lane?: Lane) => Promise<TenantConnectors> {
  const cache = new Map<string, { etag: string; connectors: TenantConnectors }>();
  return async (tenant, lane = 'directory') => {
    const key = `${tenant.id}/${lane}`;
    const hit = cache.get(key);
    if (hit && hit.etag === tenant.etag) return hit.connectors;
    const { microsoft365 } = tenant.config;
    const graphSetting = microsoft365.auth.kind === 'clientSecret' ? 'microsoft365.auth.secretName' : 'microsoft365.auth.certificateName';
    const graph = await requireTenantCredential(tenant.id, graphSetting, () => createGraphClient({ microsoft365, secrets }));
    const pbxConfig = tenant.config.pbx;
    const credential = await requireTenantCredential(tenant.id, 'pbx.credentialSecretName', async () => {
      const text = await secrets.getSecret(pbxConfig.credentialSecretName);
      const parsed = PbxCredentialSchema.safeParse(parseJsonOrUndefined(text));
      if (!parsed.success) {
        throw new AppError('NOT_READY', `secret ${pbxConfig.credentialSecretName} must hold JSON {"username": "...", "password": "..."}`);
      }
      return parsed.data;
    });
    // Each lane paces the PBX with its own share of the tenant's budget (laneShare).
    const rateLimitPerMinute = Math.max(1, Math.floor(pbxConfig.rateLimitPerMinute * laneShare(tenant.config, lane, features)));
    const pbx = await createPbxConnection(pbxConfig, credential, { rateLimitPerMinute });
    const connectors: TenantConnectors = {
      directoryReader: new GraphDirectoryReader(graph.client, graph.versionRoot, graph.requestCount),
      subscriptions: new GraphSubscriptionClient(graph.client),
      pbx: pbx.users,
      pbxProfile: pbx.profile,
    };
    cache.set(key, { etag: tenant.etag, connectors });
    return connectors;
  };
}

/** The composition root: real adapters chosen from the app settings. `queue` may be supplied (local host). */
export async function createServices(settings: AppSettings, overrides: { queue?: JobQueue } = {}): Promise<Services> {
  const credential = settings.AZURE_CLIENT_ID
    ? new DefaultAzureCredential({ managedIdentityClientId: settings.AZURE_CLIENT_ID })
    : undefined;
  const needsCredential = () => credential ?? new DefaultAzureCredential();
  const stores = await createTableStores({
    connectionString: settings.AzureWebJobsStorage,
    tableServiceUrl: settings.AzureWebJobsStorage__tableServiceUri,
    credential: settings.AzureWebJobsStorage ? undefined : needsCredential(),
    tablePrefix: settings.TABLE_PREFIX,
  });
  const secrets: SecretStore = settings.KEY_VAULT_URI
    ? new KeyVaultSecretStore(settings.KEY_VAULT_URI, needsCredential())
    : new LocalSecretStore(settings.LOCAL_SECRETS_FILE!);
  let queue = overrides.queue;
  if (!queue) {
    if (settings.QUEUE_MODE === 'inprocess')
      throw new AppError('CONFIG', 'QUEUE_MODE=inprocess is only available in the local host (npm start)');
    queue = ServiceBusJobQueue.fromSettings({
      connectionString: settings.ServiceBusConnection,
      fullyQualifiedNamespace: settings.ServiceBusConnection__fullyQualifiedNamespace,
      credential: settings.ServiceBusConnection ? undefined : needsCredential(),
      queueName: settings.ServiceBusQueueName,
    });
  }
  return assembleServices({
    stores,
    secrets,
    queue,
    syncConcurrency: settings.SYNC_CONCURRENCY,
    notifications: notificationSettingsFrom(settings),
  });
}

/** Services from their parts (createServices, the local host, tests and benchmarks all build them here). */
export function assembleServices(parts: {
  stores: TableStores;
  secrets: SecretStore;
  queue: JobQueue;
  syncConcurrency: number;
  notifications: NotificationSettings;
  /** Default: every feature of this build (tests register their own). */
  features?: FeatureRegistry;
}): Services {
  const { stores, secrets, queue } = parts;
  const features = parts.features ?? defaultFeatureRegistry();
  return {
    ...stores,
    secrets,
    queue,
    features,
    connectorsFor: connectorFactory(secrets, features),
    syncConcurrency: parts.syncConcurrency,
    ...notificationServices(parts.notifications, queue, stores.subscriptions, features),
  };
}
