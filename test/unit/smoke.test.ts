import { describe, expect, it } from 'vitest';
import { TableServiceClient } from '@azure/data-tables';
import { testStorageConnectionString, uniqueTablePrefix } from '../support/storage';

describe('azurite harness', () => {
  it('serves the Table API', async () => {
    const client = TableServiceClient.fromConnectionString(testStorageConnectionString(), { allowInsecureConnection: true });
    const name = `${uniqueTablePrefix()}smoke`;
    await client.createTable(name);
    const names: string[] = [];
    for await (const t of client.listTables()) names.push(t.name ?? '');
    expect(names).toContain(name);
  });
});
