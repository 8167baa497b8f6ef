import { TableClient } from '@azure/data-tables';
import type { TokenCredential } from '@azure/identity';
import { AppError } from '../errors/AppError';
import { TableDeltaStateStore } from './TableDeltaStateStore';
import { TableLinkStore } from './TableLinkStore';
import { TablePendingUserStore } from './TablePendingUserStore';
import { TableRunStore } from './TableRunStore';
import { TableScheduleStateStore } from './TableScheduleStateStore';
import { TableTenantStore } from './TableTenantStore';
import { tableErrorFor } from './tableErrorFor';

export interface TableStoresOptions {
  /** A storage connection string, or `UseDevelopmentStorage=true` for Azurite. */
  connectionString?: string;
  /** Identity-based alternative: the Table endpoint plus a credential (managed identity). */
  tableServiceUrl?: string;
  credential?: TokenCredential;
  tablePrefix: string;
}

const AZURITE = 'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;';

/** Builds every Table Storage repository and makes sure their tables exist. */
export async function createTableStores(options: TableStoresOptions) {
  const connectionString = options.connectionString?.trim() === 'UseDevelopmentStorage=true' ? AZURITE : options.connectionString;
  const insecure = (url: string) => ({ allowInsecureConnection: url.startsWith('http://') });
  const clientFor = (name: string): TableClient => {
    const tableName = `${options.tablePrefix}${name}`;
    if (connectionString) {
      const endpoint = /TableEndpoint=([^;]+)/i.exec(connectionString)?.[1] ?? '';
      return TableClient.fromConnectionString(connectionString, tableName, insecure(endpoint || (/DefaultEndpointsProtocol=http;/i.test(connectionString) ? 'http://' : 'https://')));
    }
    if (options.tableServiceUrl && options.credential) return new TableClient(options.tableServiceUrl, tableName, options.credential, insecure(options.tableServiceUrl));
    throw new AppError('CONFIG', 'table storage needs a connection string or a table service URL with a credential');
  };
  const names = ['tenants', 'deltastate', 'links', 'runs', 'pendingusers', 'schedule'] as const;
  const clients = Object.fromEntries(names.map((n) => [n, clientFor(n)])) as Record<(typeof names)[number], TableClient>;
  await Promise.all(
    Object.values(clients).map(async (client) => {
      try {
        await client.createTable();
      } catch (err) {
        throw tableErrorFor(err, `table ${client.tableName}`);
      }
    }),
  );
  return {
    tenants: new TableTenantStore(clients.tenants),
    deltaStates: new TableDeltaStateStore(clients.deltastate),
    links: new TableLinkStore(clients.links),
    runs: new TableRunStore(clients.runs),
    pendingUsers: new TablePendingUserStore(clients.pendingusers),
    scheduleState: new TableScheduleStateStore(clients.schedule),
  };
}

export type TableStores = Awaited<ReturnType<typeof createTableStores>>;

