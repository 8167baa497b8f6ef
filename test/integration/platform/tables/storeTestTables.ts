import { TableClient, TableServiceClient, odata } from '@azure/data-tables';
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import { onTestFinished } from 'vitest';
import { type TenantConfig, type TenantConfigInput, TenantConfigSchema } from '../../../../shared/config/TenantConfig';
import { type TableStorageOptions } from '../../../../shared/platform/tables/createTableClients';
import { type TableStores, createTableStores } from '../../../../shared/platform/tables/createTableStores';
import { azureTestResources } from '../../../contracts/azureTestResources';
import { testStorageConnectionString, uniqueTablePrefix } from '../../../support/storage';

/**
 * The Table service these suites run against, chosen by the run: Azurite (the global setup's) unless
 * `TABLES_BACKEND=azure` (set by `npm run test:azure`), then the real account of `AZURE_TEST_TABLES_URI`, signed
 * in through DefaultAzureCredential. The same suites are the table stores' contract on both.
 */
type TablesBackend =
  { kind: 'azurite'; connectionString: string } | { kind: 'azure'; tableServiceUrl: string; credential: TokenCredential };

function tablesBackend(): TablesBackend {
  const requested = process.env.TABLES_BACKEND?.trim() || 'azurite';
  if (requested === 'azurite') return { kind: 'azurite', connectionString: testStorageConnectionString() };
  if (requested !== 'azure') throw new Error(`TABLES_BACKEND is "${requested}": expected azurite (the default) or azure`);
  const { tablesUri } = azureTestResources();
  if (!tablesUri)
    throw new Error('TABLES_BACKEND=azure needs AZURE_TEST_TABLES_URI (e.g. https://acct.table.core.windows.net), signed in (az login)');
  return { kind: 'azure', tableServiceUrl: tablesUri, credential: new DefaultAzureCredential() };
}

// Chosen once, when a suite loads: a misconfigured run fails every table suite before its first test.
const backend = tablesBackend();

/** The store options of the chosen backend, for tables named `${tablePrefix}…`. */
export function testTableStorage(tablePrefix: string): TableStorageOptions {
  return backend.kind === 'azurite'
    ? { connectionString: backend.connectionString, tablePrefix }
    : { tableServiceUrl: backend.tableServiceUrl, credential: backend.credential, tablePrefix };
}

/** A raw client of one table, to plant or inspect rows the stores would never write. */
export function testTableClient(tableName: string): TableClient {
  return backend.kind === 'azurite'
    ? TableClient.fromConnectionString(backend.connectionString, tableName, { allowInsecureConnection: true })
    : new TableClient(backend.tableServiceUrl, tableName, backend.credential);
}

function testTableService(): TableServiceClient {
  return backend.kind === 'azurite'
    ? TableServiceClient.fromConnectionString(backend.connectionString, { allowInsecureConnection: true })
    : new TableServiceClient(backend.tableServiceUrl, backend.credential);
}

/** The names of the tables that start with the prefix (every character after it sorts below `{`). */
export async function tableNamesWithPrefix(prefix: string): Promise<string[]> {
  const names: string[] = [];
  const filter = odata`TableName ge ${prefix} and TableName lt ${`${prefix}{`}`;
  for await (const table of testTableService().listTables({ queryOptions: { filter } })) if (table.name) names.push(table.name);
  return names;
}

/**
 * A prefix no other test uses, whose tables are deleted when the current test finishes: on a real account
 * they would otherwise stay (and cost), on Azurite it keeps the deletion itself under test.
 */
export function freshTablePrefix(): string {
  const prefix = uniqueTablePrefix();
  onTestFinished(async () => {
    const service = testTableService();
    await Promise.all((await tableNamesWithPrefix(prefix)).map((name) => service.deleteTable(name)));
  });
  return prefix;
}

/** Fresh stores over their own tables, plus raw clients to plant rows the stores would never write. */
export async function freshStores(): Promise<TableStores & { prefix: string; rawTable: (name: string) => TableClient }> {
  const prefix = freshTablePrefix();
  const stores = await createTableStores(testTableStorage(prefix));
  return { ...stores, prefix, rawTable: (name: string) => testTableClient(`${prefix}${name}`) };
}

export function tenantConfig(overrides: Partial<TenantConfigInput> = {}): TenantConfig {
  return TenantConfigSchema.parse({
    displayName: 'Contoso',
    microsoft365: {
      directoryId: '11111111-1111-4111-8111-111111111111',
      applicationId: '22222222-2222-4222-8222-222222222222',
      auth: { kind: 'certificate' },
    },
    pbx: { kind: 'portsip', baseUrl: 'https://pbx.contoso.example:8887', domain: 'contoso.example' },
    ...overrides,
  });
}

/** The AppError the call was refused with, checked for its code (the table suites' name for it). */
export { refusal as rejection } from '../../../support/refusal';
