import { describe } from 'vitest';

/**
 * Real Azure resources the contract suites may run against, named by the environment (`npm run test:azure`
 * sets nothing itself: you export them, signed in through DefaultAzureCredential — `az login`, a managed
 * identity, or AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET).
 */
export interface AzureTestResources {
  /** `AZURE_TEST_SERVICEBUS_NAMESPACE`: e.g. `mytest.servicebus.windows.net`. */
  serviceBusNamespace?: string | undefined;
  /** `AZURE_TEST_SERVICEBUS_QUEUE`: a session-enabled queue with duplicate detection (default `sync-jobs-test`). */
  serviceBusQueue: string;
  /** `AZURE_TEST_KEYVAULT_URI`: e.g. `https://mytest.vault.azure.net`. */
  keyVaultUri?: string | undefined;
  /** `AZURE_TEST_TABLES_URI`: e.g. `https://mytest.table.core.windows.net`. */
  tablesUri?: string | undefined;
}

export function azureTestResources(env: NodeJS.ProcessEnv = process.env): AzureTestResources {
  const value = (name: string) => (env[name]?.trim() ? env[name].trim() : undefined);
  return {
    serviceBusNamespace: value('AZURE_TEST_SERVICEBUS_NAMESPACE'),
    serviceBusQueue: value('AZURE_TEST_SERVICEBUS_QUEUE') ?? 'sync-jobs-test',
    keyVaultUri: value('AZURE_TEST_KEYVAULT_URI'),
    tablesUri: value('AZURE_TEST_TABLES_URI'),
  };
}

const VARIABLES = {
  serviceBusNamespace: 'AZURE_TEST_SERVICEBUS_NAMESPACE',
  keyVaultUri: 'AZURE_TEST_KEYVAULT_URI',
  tablesUri: 'AZURE_TEST_TABLES_URI',
} as const;

const announced = new Set<string>();

/**
 * A describe block for one implementation that needs a real Azure resource: it runs when the environment
 * names the resource and is skipped otherwise, with one line saying which variable would run it.
 */
export function describeWithAzure(
  title: string,
  resource: keyof typeof VARIABLES,
  body: (value: string, resources: AzureTestResources) => void,
): void {
  const resources = azureTestResources();
  const value = resources[resource];
  if (!value) {
    if (!announced.has(title)) {
      announced.add(title);
      console.info(`skipped: ${title} (set ${VARIABLES[resource]} and sign in to run it against Azure)`);
    }
    describe.skip(title, () => body('', resources));
    return;
  }
  describe(title, () => body(value, resources));
}
