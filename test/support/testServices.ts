import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InProcessJobQueue } from '../../shared/queue/InProcessJobQueue';
import { LocalSecretStore } from '../../shared/secrets/LocalSecretStore';
import { connectorFactory } from '../../shared/runtime/createServices';
import { Services } from '../../shared/runtime/Services';
import { createTableStores } from '../../shared/store/createTableStores';
import { testStorageConnectionString, uniqueTablePrefix } from './storage';

/** Real adapters over the test Azurite, a local secret file and an in-process queue (not started). */
export async function createTestServices(secrets: Record<string, string> = {}): Promise<Services & { queue: InProcessJobQueue; secretsFile: string }> {
  const stores = await createTableStores({ connectionString: testStorageConnectionString(), tablePrefix: uniqueTablePrefix() });
  const secretsFile = join(mkdtempSync(join(tmpdir(), 'secrets-')), 'secrets.json');
  const secretStore = new LocalSecretStore(secretsFile, secrets);
  const queue = new InProcessJobQueue({ retryDelayMs: () => 20 });
  return { ...stores, secrets: secretStore, queue, connectorsFor: connectorFactory(secretStore), syncConcurrency: 8, secretsFile };
}
