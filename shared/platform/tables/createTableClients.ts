import { TableClient } from '@azure/data-tables';
import type { TokenCredential } from '@azure/identity';
import { AppError } from '../../core/errors/AppError';
import { tableErrorFor } from './tableErrorFor';

export interface TableStorageOptions {
  /** A storage connection string; `UseDevelopmentStorage=true` means Azurite at 127.0.0.1:10002. Wins when set. */
  connectionString?: string | undefined;
  /** Identity-based alternative (managed identity): the Table endpoint, e.g. https://acct.table.core.windows.net. */
  tableServiceUrl?: string | undefined;
  credential?: TokenCredential | undefined;
  /** Put before every table name: letters and digits, may be empty. */
  tablePrefix: string;
}

/** The connector's tables, by the store that owns each. */
const TABLE_NAMES = {
  tenants: 'tenants',
  deltaStates: 'deltastate',
  links: 'links',
  runs: 'runs',
  pendingUsers: 'pendingusers',
  scheduleState: 'schedule',
  subscriptions: 'subscriptions',
  runChanges: 'runchanges',
  leases: 'leases',
  deltaDemand: 'deltademand',
  pbxKeys: 'pbxkeys',
  numberQuarantine: 'numberquarantine',
  groupLinks: 'grouplinks',
  groupMembers: 'groupmembers',
  linkEventInbox: 'linkeventinbox',
  credentialStates: 'credentialstate',
  tenantDataKeys: 'tenantdatakeys',
  portalPasswords: 'portalpasswords',
  contactLinks: 'contactlinks',
  contactSources: 'contactsources',
  photoStates: 'photostates',
  presenceStates: 'presencestates',
  presenceHistory: 'presencehistory',
  pollCycles: 'pollcycles',
  audit: 'audit',
} as const;

export type TableClients = Record<keyof typeof TABLE_NAMES, TableClient>;

/** Table names: 3-63 letters and digits, starting with a letter. */
const TABLE_NAME = /^[A-Za-z][A-Za-z0-9]{2,62}$/;

function connectionStringValues(connectionString: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const part of connectionString.split(';')) {
    const at = part.indexOf('=');
    if (at > 0) values.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim());
  }
  return values;
}

/** Plain http is allowed only where the connection string itself asks for it (Azurite, local emulators). */
function isHttpConnectionString(connectionString: string): boolean {
  const values = connectionStringValues(connectionString);
  if (values.get('usedevelopmentstorage')?.toLowerCase() === 'true') return true;
  const endpoint = values.get('tableendpoint');
  if (endpoint) return endpoint.toLowerCase().startsWith('http://');
  return values.get('defaultendpointsprotocol')?.toLowerCase() === 'http';
}

function clientFor(options: TableStorageOptions, tableName: string): TableClient {
  const { connectionString, tableServiceUrl, credential } = options;
  if (connectionString) {
    try {
      return TableClient.fromConnectionString(connectionString, tableName, {
        allowInsecureConnection: isHttpConnectionString(connectionString),
      });
    } catch {
      // The SDK's message may quote the connection string, which holds the account key.
      throw new AppError(
        'CONFIG',
        'the storage connection string is not valid (expected an account key, SAS or UseDevelopmentStorage=true connection string)',
      );
    }
  }
  if (tableServiceUrl && credential) {
    return new TableClient(tableServiceUrl, tableName, credential, {
      allowInsecureConnection: tableServiceUrl.toLowerCase().startsWith('http://'),
    });
  }
  throw new AppError('CONFIG', 'Table Storage needs a connection string, or a table service URL with a credential (managed identity)');
}

/** One TableClient per connector table, with every table created if missing (an existing table is fine). */
export async function createTableClients(options: TableStorageOptions): Promise<TableClients> {
  const entries = Object.entries(TABLE_NAMES).map(([store, name]) => {
    const tableName = `${options.tablePrefix}${name}`;
    if (!TABLE_NAME.test(tableName)) {
      throw new AppError(
        'CONFIG',
        `table prefix "${options.tablePrefix}" makes the invalid table name ` +
          `"${tableName}" (letters and digits, starting with a letter, at most 63)`,
      );
    }
    return [store, clientFor(options, tableName)] as const;
  });
  await Promise.all(
    entries.map(async ([, client]) => {
      try {
        await client.createTable();
      } catch (err) {
        throw tableErrorFor(err, `creating table ${client.tableName}`);
      }
    }),
  );
  return Object.fromEntries(entries) as TableClients;
}
