import { createHash } from 'node:crypto';
import { DefaultAzureCredential } from '@azure/identity';
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
import { KeyVaultCertificateStore } from '../platform/certificates/KeyVaultCertificateStore';
import { LocalCertificateStore } from '../platform/certificates/LocalCertificateStore';
import { localCertificatesFile } from '../platform/certificates/localCertificatesFile';
import { type SecretStore } from '../platform/secrets/SecretStore';
import { readPbxCredential } from '../platform/secrets/tenantSecrets';
import { type GraphSignInDeps, resolveGraphSignIn } from './resolveGraphSignIn';
import { type GraphEndpointsFor, nationalCloudEndpoints } from '../graph/GraphEndpoints';
import { type CertificateStore } from '../platform/certificates/CertificateStore';
import { type SharedAppSettings } from '../credentials/SharedAppSettings';
import { type TableStores, createTableStores } from '../platform/tables/createTableStores';
import { type PortalPasswordStore } from '../credentials/portalPasswords/PortalPasswordStore';
import { GraphMailboxReader } from '../graph/GraphMailboxReader';
import { GraphPresenceReader } from '../graph/GraphPresenceReader';
import { GraphTeamsPresenceWriter } from '../graph/GraphTeamsPresenceWriter';
import { type KeyWrapper } from '../platform/keys/KeyWrapper';
import { KeyVaultKeyWrapper } from '../platform/keys/KeyVaultKeyWrapper';
import { LocalKeyWrapper } from '../platform/keys/LocalKeyWrapper';
import { localKeysFile } from '../platform/keys/localKeysFile';
import { type TenantRecord } from './TenantStore';
import { type NotificationSettings, type Services, type TenantConnectors } from './Services';
import { notificationServices, notificationSettingsFrom } from './notificationServices';
import { type FeatureRegistry } from '../features/FeatureRegistry';
import { defaultFeatureRegistry } from '../features/defaultFeatureRegistry';

/** A digest of what a cache entry was built from, so a rewritten secret is picked up at once (never kept in clear). */
const fingerprint = (...parts: string[]) => createHash('sha256').update(JSON.stringify(parts)).digest('hex');

/**
 * The Graph and PBX adapters for a tenant, cached per tenant, configuration version and secret values, so PBX
 * sessions and Graph tokens are reused across jobs and a credential written again is used by the next job.
 *
 * Every secret read here is the tenant's own, under the name the connector derives from the tenant id; the
 * configuration names none. The PBX credential is only used when it was written for the origin of the
 * tenant's current `pbx.baseUrl` (readPbxCredential, and again createPbxConnection): a changed URL is NOT_READY
 * until the credential is written again, so editing a configuration never sends a credential somewhere new.
 */
export function connectorFactory(
  deps: GraphSignInDeps & { graphEndpoints: GraphEndpointsFor; portalPasswords?: PortalPasswordStore | undefined },
  features: FeatureRegistry,
): (tenant: TenantRecord, lane?: Lane) => Promise<TenantConnectors> {
  const { secrets } = deps;
  const cache = new Map<string, { version: string; connectors: TenantConnectors }>();
  return async (tenant, lane = 'directory') => {
    const key = `${tenant.id}/${lane}`;
    const pbxConfig = tenant.config.pbx;
    const graphKind = tenant.config.microsoft365.auth.kind === 'certificate' ? 'graphCertificate' : 'graph';
    const signIn = await resolveGraphSignIn(deps, tenant.id, tenant.config);
    const { microsoft365 } = signIn;
    const credential = await requireTenantCredential(tenant.id, 'pbx', () => readPbxCredential(secrets, tenant.id, pbxConfig.baseUrl));
    const version = fingerprint(tenant.etag, signIn.secret, credential.username, credential.password, credential.origin);
    const hit = cache.get(key);
    if (hit && hit.version === version) return hit.connectors;
    const graph = await requireTenantCredential(tenant.id, graphKind, () =>
      createGraphClient({
        microsoft365,
        credentialSecret: signIn.secret,
        endpoints: deps.graphEndpoints(microsoft365.nationalCloud),
      }),
    );
    // Each lane paces the PBX with its own share of the tenant's budget (laneShare).
    const rateLimitPerMinute = Math.max(1, Math.floor(pbxConfig.rateLimitPerMinute * laneShare(tenant.config, lane, features)));
    const portalPasswords = deps.portalPasswords?.forTenant(tenant.id);
    const pbx = await requireTenantCredential(tenant.id, 'pbx', () =>
      createPbxConnection(pbxConfig, credential, { rateLimitPerMinute, portalPasswords }),
    );
    const connectors: TenantConnectors = {
      directoryReader: new GraphDirectoryReader(graph.client, graph.versionRoot, graph.requestCount),
      subscriptions: new GraphSubscriptionClient(graph.client),
      pbx: pbx.users,
      pbxGroups: pbx.groups,
      pbxProfile: pbx.profile,
      mailboxReader: new GraphMailboxReader(graph.client, graph.versionRoot, graph.requestCount),
      pbxCompanyContacts: pbx.companyContacts,
      pbxPersonalContacts: pbx.personalContacts,
      pbxAvatars: pbx.avatars,
      pbxPortalAccess: pbx.portalAccess,
      presenceReader: new GraphPresenceReader(graph.client, graph.versionRoot, graph.requestCount),
      pbxPresence: pbx.presence,
      pbxEventTarget: pbx.eventTarget,
      teamsPresence: new GraphTeamsPresenceWriter(graph.client, graph.versionRoot, graph.requestCount),
      graphApplicationId: microsoft365.applicationId,
    };
    cache.set(key, { version, connectors });
    return connectors;
  };
}

/** The composition root: real adapters chosen from the app settings. `queue` may be supplied (local host). */
export async function createServices(settings: AppSettings, overrides: { queue?: JobQueue } = {}): Promise<Services> {
  const credential = settings.AZURE_CLIENT_ID
    ? new DefaultAzureCredential({ managedIdentityClientId: settings.AZURE_CLIENT_ID })
    : undefined;
  const needsCredential = () => credential ?? new DefaultAzureCredential();
  // The key that wraps each tenant's data key for the kept portal passwords (created on first use).
  // In Azure the deployment creates the key (infra/); locally the first start makes one in the local key file.
  let keyWrapper: KeyWrapper;
  if (settings.KEY_VAULT_URI)
    keyWrapper = new KeyVaultKeyWrapper(settings.KEY_VAULT_URI, needsCredential(), settings.PORTAL_PASSWORD_KEY_NAME);
  else {
    const local = new LocalKeyWrapper(localKeysFile(settings.LOCAL_SECRETS_FILE!), settings.PORTAL_PASSWORD_KEY_NAME);
    await local.ensureKey();
    keyWrapper = local;
  }
  const stores = await createTableStores(
    {
      connectionString: settings.AzureWebJobsStorage,
      tableServiceUrl: settings.AzureWebJobsStorage__tableServiceUri,
      credential: settings.AzureWebJobsStorage ? undefined : needsCredential(),
      tablePrefix: settings.TABLE_PREFIX,
    },
    { keyWrapper },
  );
  const secrets: SecretStore = settings.KEY_VAULT_URI
    ? new KeyVaultSecretStore(settings.KEY_VAULT_URI, needsCredential())
    : new LocalSecretStore(settings.LOCAL_SECRETS_FILE!);
  const certificates: CertificateStore = settings.KEY_VAULT_URI
    ? new KeyVaultCertificateStore(settings.KEY_VAULT_URI, needsCredential())
    : new LocalCertificateStore(localCertificatesFile(settings.LOCAL_SECRETS_FILE!));
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
    certificates,
    portalPasswordKey: keyWrapper,
    sharedApp: sharedAppFrom(settings),
    queue,
    syncConcurrency: settings.SYNC_CONCURRENCY,
    notifications: notificationSettingsFrom(settings),
  });
}

/** The operator's multi-tenant app from the SHARED_APP_* settings (all or none: AppSettings checks). */
function sharedAppFrom(settings: AppSettings): SharedAppSettings | undefined {
  if (!settings.SHARED_APP_CLIENT_ID || !settings.SHARED_APP_OBJECT_ID || !settings.SHARED_APP_DIRECTORY_ID) return undefined;
  const root = settings.PUBLIC_BASE_URL?.replace(/\/+$/, '');
  return {
    clientId: settings.SHARED_APP_CLIENT_ID,
    objectId: settings.SHARED_APP_OBJECT_ID,
    homeDirectoryId: settings.SHARED_APP_DIRECTORY_ID,
    nationalCloud: settings.SHARED_APP_NATIONAL_CLOUD,
    consentRedirectUrl: root ? `${root}/api/consent/callback` : undefined,
  };
}

/** Services from their parts (createServices, the local host, tests and benchmarks all build them here). */
export function assembleServices(parts: {
  stores: TableStores;
  secrets: SecretStore;
  certificates: CertificateStore;
  /** The operator's multi-tenant app, when SHARED_APP_* are set. */
  sharedApp?: SharedAppSettings | undefined;
  /** Default: each tenant's national cloud (tests: the local stand-ins). */
  graphEndpoints?: GraphEndpointsFor;
  queue: JobQueue;
  syncConcurrency: number;
  notifications: NotificationSettings;
  /** Default: every feature of this build (tests register their own). */
  features?: FeatureRegistry;
  /** The key `stores.portalPasswords` wraps data keys with (the re-wrap after a rotation needs it). */
  portalPasswordKey?: KeyWrapper | undefined;
}): Services {
  const { stores, secrets, queue, certificates } = parts;
  const features = parts.features ?? defaultFeatureRegistry();
  const graphEndpoints = parts.graphEndpoints ?? nationalCloudEndpoints;
  const sharedApp = parts.sharedApp;
  return {
    ...stores,
    secrets,
    certificates,
    portalPasswordKey: parts.portalPasswordKey,
    sharedApp,
    graphEndpoints,
    queue,
    features,
    connectorsFor: connectorFactory(
      {
        secrets,
        certificates,
        credentialStates: stores.credentialStates,
        sharedApp,
        graphEndpoints,
        portalPasswords: stores.portalPasswords,
      },
      features,
    ),
    syncConcurrency: parts.syncConcurrency,
    ...notificationServices(parts.notifications, queue, stores.subscriptions, features, stores.deltaDemand),
  };
}
