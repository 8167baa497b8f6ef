import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InProcessJobQueue } from '../../shared/platform/queue/InProcessJobQueue';
import { LocalSecretStore } from '../../shared/platform/secrets/LocalSecretStore';
import { LocalCertificateStore } from '../../shared/platform/certificates/LocalCertificateStore';
import { localCertificatesFile } from '../../shared/platform/certificates/localCertificatesFile';
import { type CertificateStore } from '../../shared/platform/certificates/CertificateStore';
import { type GraphEndpointsFor } from '../../shared/graph/GraphEndpoints';
import { type SharedAppSettings } from '../../shared/credentials/SharedAppSettings';
import { assembleServices } from '../../shared/app/createServices';
import { notificationSettingsFrom } from '../../shared/app/notificationServices';
import { type Services } from '../../shared/app/Services';
import { type FeatureRegistry } from '../../shared/features/FeatureRegistry';
import { createTableStores } from '../../shared/platform/tables/createTableStores';
import { testStorageConnectionString, uniqueTablePrefix } from './storage';
import { type KeyWrapper } from '../../shared/platform/keys/KeyWrapper';
import { LocalKeyWrapper } from '../../shared/platform/keys/LocalKeyWrapper';
import { localKeysFile } from '../../shared/platform/keys/localKeysFile';

/** Real adapters over the test Azurite, a local secret file and an in-process queue (not started). */
export async function createTestServices(
  secrets: Record<string, string> = {},
  options: {
    publicBaseUrl?: string;
    debounceMs?: number;
    lifetimeMinutes?: number;
    features?: FeatureRegistry;
    /** Default: a local certificate file beside the secrets. */
    certificates?: CertificateStore;
    graphEndpoints?: GraphEndpointsFor;
    sharedApp?: SharedAppSettings;
    /** Default: a local key file beside the secrets. */
    keyWrapper?: KeyWrapper;
  } = {},
): Promise<Services & { queue: InProcessJobQueue; secretsFile: string; tablePrefix: string }> {
  const tablePrefix = uniqueTablePrefix();
  const secretsFile = join(mkdtempSync(join(tmpdir(), 'secrets-')), 'secrets.json');
  // Portal passwords of created users, under a local wrapping key beside the secrets (as `npm start` keeps them).
  let keyWrapper = options.keyWrapper;
  if (!keyWrapper) {
    keyWrapper = new LocalKeyWrapper(localKeysFile(secretsFile), 'portal-passwords', { keySize: 2048 });
    await keyWrapper.ensureKey();
  }
  const stores = await createTableStores({ connectionString: testStorageConnectionString(), tablePrefix }, { keyWrapper });
  const secretStore = new LocalSecretStore(secretsFile, secrets);
  const certificates = options.certificates ?? new LocalCertificateStore(localCertificatesFile(secretsFile));
  const queue = new InProcessJobQueue({ retryDelayMs: () => 20 });
  const notifications = notificationSettingsFrom({
    PUBLIC_BASE_URL: options.publicBaseUrl,
    NOTIFICATION_DEBOUNCE_MS: options.debounceMs ?? 200,
    subscriptionLifetimeMinutes: options.lifetimeMinutes === undefined ? {} : { USERS: options.lifetimeMinutes },
  });
  return {
    ...assembleServices({
      stores,
      portalPasswordKey: keyWrapper,
      secrets: secretStore,
      certificates,
      ...(options.graphEndpoints ? { graphEndpoints: options.graphEndpoints } : {}),
      ...(options.sharedApp ? { sharedApp: options.sharedApp } : {}),
      queue,
      syncConcurrency: 8,
      notifications,
      ...(options.features ? { features: options.features } : {}),
    }),
    queue,
    secretsFile,
    tablePrefix,
  };
}
