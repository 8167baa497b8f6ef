import { describe, expect, it } from 'vitest';
import { createTableClients } from '../../../../shared/platform/tables/createTableClients';
import { createTableStores } from '../../../../shared/platform/tables/createTableStores';
import { azuriteConnectionString, freePort } from '../../../../shared/platform/local/startAzurite';
import { freshStores, freshTablePrefix, rejection, tableNamesWithPrefix, testTableStorage } from './storeTestTables';

describe('createTableStores', () => {
  it('creates every table with the prefix, and tolerates tables that already exist', async () => {
    const prefix = freshTablePrefix();
    const first = await createTableStores(testTableStorage(prefix));
    await first.scheduleState.setLastFire('acme', '2026-01-01T00:00:00.000Z');
    const second = await createTableStores(testTableStorage(prefix));
    expect(await second.scheduleState.getLastFire('acme')).toBe('2026-01-01T00:00:00.000Z');
    const names = (await tableNamesWithPrefix(prefix)).map((name) => name.slice(prefix.length));
    expect(names.sort()).toEqual([
      'audit',
      'contactlinks',
      'contactsources',
      'credentialstate',
      'deltademand',
      'deltastate',
      'grouplinks',
      'groupmembers',
      'leases',
      'linkeventinbox',
      'links',
      'numberquarantine',
      'pbxkeys',
      'pendingusers',
      'photostates',
      'pollcycles',
      'portalpasswords',
      'presencehistory',
      'presencestates',
      'runchanges',
      'runs',
      'schedule',
      'subscriptions',
      'tenantdatakeys',
      'tenants',
    ]);
  });

  it('returns one client per store, named with the prefix', async () => {
    const prefix = freshTablePrefix();
    const clients = await createTableClients(testTableStorage(prefix));
    expect(Object.keys(clients).sort()).toEqual([
      'audit',
      'contactLinks',
      'contactSources',
      'credentialStates',
      'deltaDemand',
      'deltaStates',
      'groupLinks',
      'groupMembers',
      'leases',
      'linkEventInbox',
      'links',
      'numberQuarantine',
      'pbxKeys',
      'pendingUsers',
      'photoStates',
      'pollCycles',
      'portalPasswords',
      'presenceHistory',
      'presenceStates',
      'runChanges',
      'runs',
      'scheduleState',
      'subscriptions',
      'tenantDataKeys',
      'tenants',
    ]);
    expect(clients.tenants.tableName).toBe(`${prefix}tenants`);
  });

  it('refuses a prefix that makes invalid table names', async () => {
    for (const tablePrefix of ['1abc', 'a-b', 'x'.repeat(60)]) {
      const err = await rejection(createTableStores(testTableStorage(tablePrefix)), 'CONFIG');
      expect(err.message).toContain('table prefix');
    }
  });

  it('needs a connection string or a URL with a credential, and never echoes a bad connection string', async () => {
    await rejection(createTableStores({ tablePrefix: 'x' }), 'CONFIG');
    await rejection(createTableStores({ tableServiceUrl: 'https://acct.table.core.windows.net', tablePrefix: 'x' }), 'CONFIG');
    const err = await rejection(createTableStores({ connectionString: 'AccountKey=SuperSecretKey;Nonsense', tablePrefix: 'x' }), 'CONFIG');
    expect(err.message).not.toContain('SuperSecretKey');
  });

  it('reports an unreachable Table endpoint as TRANSIENT', async () => {
    const closedPort = await freePort();
    const err = await rejection(
      createTableStores({ connectionString: azuriteConnectionString(closedPort), tablePrefix: 'x' }),
      'TRANSIENT',
    );
    expect(err.message).toContain('could not be reached');
  });
});

// On a real account every table left behind stays (and costs), so the suites' own clean-up is under test too.
describe('the tables of a test', () => {
  let prefixOfFinishedTest = '';

  it('are created under a prefix of their own', async () => {
    prefixOfFinishedTest = (await freshStores()).prefix;
    expect(await tableNamesWithPrefix(prefixOfFinishedTest)).toHaveLength(25);
  });

  it('are deleted once that test finishes', async () => {
    expect(await tableNamesWithPrefix(prefixOfFinishedTest)).toEqual([]);
  });
});
