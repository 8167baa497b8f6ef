import { type TableClient } from '@azure/data-tables';
import { describe, expect, it } from 'vitest';
import { tenantConfigFixture } from '../../../fixtures/tenantConfigs/tenantConfigFixture';
import { expectedTenantConfigs } from '../../../fixtures/tenantConfigs/expectedTenantConfigs';
import { freshStores, rejection, tenantConfig } from './storeTestTables';

/** Plants a row the way an older connector wrote it: the configuration JSON as given, nothing migrated. */
async function plantRow(rawTable: (name: string) => TableClient, id: string, config: unknown): Promise<string> {
  const now = new Date().toISOString();
  await rawTable('tenants').createEntity({
    partitionKey: 'tenant',
    rowKey: id,
    config: JSON.stringify(config),
    createdAt: now,
    updatedAt: now,
  });
  return now;
}

async function storedConfigText(rawTable: (name: string) => TableClient, id: string): Promise<string> {
  return (await rawTable('tenants').getEntity<{ config: string }>('tenant', id)).config;
}

describe('TableTenantStore', () => {
  it('creates, reads and lists tenants with an etag and timestamps', async () => {
    const { tenants } = await freshStores();
    const config = tenantConfig();
    const created = await tenants.create('acme', config);
    expect(created.etag).toMatch(/^W\/"datetime'/);
    expect(created.createdAt).toBe(created.updatedAt);
    expect(await tenants.get('acme')).toEqual(created);
    await tenants.create('beta', tenantConfig({ displayName: 'Beta' }));
    expect((await tenants.list()).map((t) => [t.id, t.config.displayName])).toEqual([
      ['acme', 'Contoso'],
      ['beta', 'Beta'],
    ]);
    expect(await tenants.get('missing')).toBeNull();
  });

  it('refuses to create a tenant twice', async () => {
    const { tenants } = await freshStores();
    await tenants.create('acme', tenantConfig());
    await rejection(tenants.create('acme', tenantConfig({ displayName: 'Other' })), 'CONFLICT');
    expect((await tenants.get('acme'))!.config.displayName).toBe('Contoso');
  });

  it('replaces conditionally: a stale etag is refused, the current one wins and createdAt stays', async () => {
    const { tenants } = await freshStores();
    const created = await tenants.create('acme', tenantConfig());
    const replaced = await tenants.replace('acme', tenantConfig({ displayName: 'Acme 2' }), created.etag);
    expect(replaced.etag).not.toBe(created.etag);
    expect(replaced.createdAt).toBe(created.createdAt);
    await rejection(tenants.replace('acme', tenantConfig({ displayName: 'Lost update' }), created.etag), 'PRECONDITION_FAILED');
    expect(await tenants.get('acme')).toEqual(replaced);
    const unconditional = await tenants.replace('acme', tenantConfig({ displayName: 'Acme 3' }));
    expect((await tenants.get('acme'))!.config.displayName).toBe('Acme 3');
    expect(unconditional.etag).not.toBe(replaced.etag);
  });

  it('reports a missing tenant on replace and delete', async () => {
    const { tenants } = await freshStores();
    await rejection(tenants.replace('ghost', tenantConfig()), 'NOT_FOUND');
    await rejection(tenants.delete('ghost'), 'NOT_FOUND');
  });

  it('deletes conditionally', async () => {
    const { tenants } = await freshStores();
    const created = await tenants.create('acme', tenantConfig());
    const replaced = await tenants.replace('acme', tenantConfig({ displayName: 'Acme 2' }));
    await rejection(tenants.delete('acme', created.etag), 'PRECONDITION_FAILED');
    await tenants.delete('acme', replaced.etag);
    expect(await tenants.get('acme')).toBeNull();
  });

  it('turns a stored configuration that no longer validates into a CONFIG error naming tenant and fields; a replace fixes it', async () => {
    const { tenants, rawTable } = await freshStores();
    const stored = JSON.parse(JSON.stringify(tenantConfig()));
    stored.pbx.baseUrl = 'not a url';
    delete stored.displayName;
    const now = new Date().toISOString();
    await rawTable('tenants').createEntity({
      partitionKey: 'tenant',
      rowKey: 'broken',
      config: JSON.stringify(stored),
      createdAt: now,
      updatedAt: now,
    });
    const err = await rejection(tenants.get('broken'), 'CONFIG');
    expect(err.message).toContain('tenant broken');
    expect(err.message).toContain('config.pbx.baseUrl');
    expect(err.message).toContain('config.displayName');
    expect(err.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'config.pbx.baseUrl' })]));
    await rejection(tenants.list(), 'CONFIG');
    await tenants.create('fine', tenantConfig());
    const invalid: string[] = [];
    expect((await tenants.list({ onInvalid: (id, e) => invalid.push(`${id}: ${e.code}`) })).map((t) => t.id)).toEqual(['fine']);
    expect(invalid).toEqual(['broken: CONFIG']);
    const fixed = await tenants.replace('broken', tenantConfig());
    expect(fixed.createdAt).toBe(now);
    expect((await tenants.get('broken'))!.config.displayName).toBe('Contoso');
  });

  it('reports a stored configuration that is not JSON as CONFIG without quoting it', async () => {
    const { tenants, rawTable } = await freshStores();
    await rawTable('tenants').createEntity({
      partitionKey: 'tenant',
      rowKey: 'garbled',
      config: '{"secret-ish',
      createdAt: 'x',
      updatedAt: 'x',
    });
    const err = await rejection(tenants.get('garbled'), 'CONFIG');
    expect(err.message).toContain('config: is not valid JSON');
    expect(err.message).not.toContain('secret-ish');
  });

  it('stores a configuration longer than one table property (a long INCLUDE list) and shrinks it again', async () => {
    const { tenants } = await freshStores();
    const users = Array.from({ length: 3000 }, (_, i) => `someone.with.a.long.name.${i}@contoso.example.com`);
    const big = tenantConfig({ users: { scope: { mode: 'INCLUDE', users } } });
    expect(JSON.stringify(big).length).toBeGreaterThan(3 * 32 * 1024);
    await tenants.create('acme', big);
    expect((await tenants.get('acme'))!.config).toEqual(big);
    await tenants.replace('acme', tenantConfig());
    expect((await tenants.get('acme'))!.config).toEqual(tenantConfig());
  });

  it('refuses a configuration beyond the entity size limit with PAYLOAD_TOO_LARGE', async () => {
    const { tenants } = await freshStores();
    const users = Array.from({ length: 5000 }, (_, i) => `${'x'.repeat(200)}.${i}@contoso.example.com`);
    await rejection(tenants.create('acme', tenantConfig({ users: { scope: { mode: 'INCLUDE', users } } })), 'PAYLOAD_TOO_LARGE');
    expect(await tenants.get('acme')).toBeNull();
  });

  it('stores the current schemaVersion with every configuration it writes', async () => {
    const { tenants, rawTable } = await freshStores();
    await tenants.create('acme', tenantConfig());
    expect(JSON.parse(await storedConfigText(rawTable, 'acme'))).toMatchObject({ schemaVersion: 4 });
  });

  it('reads a row written before schemaVersion existed as the migrated current configuration, without rewriting it', async () => {
    const { tenants, rawTable } = await freshStores();
    const v1 = tenantConfigFixture('full');
    expect(v1).not.toHaveProperty('schemaVersion');
    const now = await plantRow(rawTable, 'fabrikam', v1);
    const read = await tenants.get('fabrikam');
    expect(read).toMatchObject({ id: 'fabrikam', config: expectedTenantConfigs.full, createdAt: now, updatedAt: now });
    expect((await tenants.list()).map((t) => t.config)).toEqual([expectedTenantConfigs.full]);
    // A read never writes: the row keeps its version-1 text and etag until the next PUT.
    expect(JSON.parse(await storedConfigText(rawTable, 'fabrikam'))).toEqual(v1);
    expect((await tenants.get('fabrikam'))!.etag).toBe(read!.etag);
    await tenants.replace('fabrikam', read!.config, read!.etag);
    expect(JSON.parse(await storedConfigText(rawTable, 'fabrikam'))).toEqual(expectedTenantConfigs.full);
  });

  it('treats a row from a newer connector, or one still invalid after migration, as an invalid tenant', async () => {
    const { tenants, rawTable } = await freshStores();
    await plantRow(rawTable, 'future', { ...tenantConfigFixture('minimal'), schemaVersion: 99 });
    await plantRow(rawTable, 'broken', { ...tenantConfigFixture('groups-scope'), users: { scope: { mode: 'GROUPS', groups: [] } } });
    await plantRow(rawTable, 'fine', tenantConfigFixture('groups-scope'));
    const err = await rejection(tenants.get('future'), 'CONFIG');
    expect(err.message).toContain('config.schemaVersion: schemaVersion 99 is newer than this connector knows (4)');
    const invalid: string[] = [];
    const listed = await tenants.list({ onInvalid: (id, e) => invalid.push(`${id}: ${e.code}`) });
    expect(listed.map((t) => [t.id, t.config])).toEqual([['fine', expectedTenantConfigs['groups-scope']]]);
    expect(invalid).toEqual(['broken: CONFIG', 'future: CONFIG']);
  });
});
