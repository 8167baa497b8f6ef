import { type TableClient } from '@azure/data-tables';
import { describe, expect, it } from 'vitest';
import { type UserLink } from '../../../../shared/engine/LinkStore';
import { TableLinkStore } from '../../../../shared/platform/tables/TableLinkStore';
import { freshStores, rejection } from './storeTestTables';

const objectId = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

const link = (tenantId: string, i: number, extra: Partial<UserLink> = {}): UserLink => ({
  tenantId,
  objectId: objectId(i),
  state: 'active',
  origin: 'created',
  pbxUserId: `pbx-${i}`,
  pbxUserName: `user${i}`,
  extensionNumber: String(1000 + i),
  fields: {
    displayName: `User ${i}`,
    email: `user${i}@contoso.example`,
    mobilePhone: '',
    workPhone: '+1 425 555 0100',
    department: 'Sales',
    enabled: true,
  },
  hash: `hash-${i}`,
  boundToMicrosoft365: true,
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...extra,
});

async function upsertMany(store: { upsert(l: UserLink): Promise<void> }, links: UserLink[]): Promise<void> {
  for (let i = 0; i < links.length; i += 50) await Promise.all(links.slice(i, i + 50).map((l) => store.upsert(l)));
}

describe('TableLinkStore', () => {
  it('round-trips a link and replaces it whole on upsert (cleared fields clear)', async () => {
    const { links } = await freshStores();
    expect(await links.get('acme', objectId(1))).toBeNull();
    await links.upsert(link('acme', 1));
    expect(await links.get('acme', objectId(1))).toEqual(link('acme', 1));
    const creating: UserLink = {
      tenantId: 'acme',
      objectId: objectId(1),
      state: 'creating',
      origin: 'created',
      pbxUserName: 'user1',
      extensionNumber: '0101',
      boundToMicrosoft365: false,
      updatedAt: '2026-01-02T00:00:00.000Z',
    };
    await links.upsert(creating);
    expect(await links.get('acme', objectId(1))).toEqual(creating);
  });

  it('deletes idempotently', async () => {
    const { links } = await freshStores();
    await links.upsert(link('acme', 1));
    await links.delete('acme', objectId(1));
    await links.delete('acme', objectId(1));
    expect(await links.get('acme', objectId(1))).toBeNull();
  });

  it('lists every link of a tenant over more than one page (1,000 rows), and nothing else', async () => {
    const { links, rawTable } = await freshStores();
    const acme = Array.from({ length: 1234 }, (_, i) => link('acme', i));
    await upsertMany(links, acme);
    await upsertMany(links, [link('acme2', 1), link('beta', 2)]);
    // Another kind of row in the same partition is not a user link.
    await rawTable('links').createEntity({ partitionKey: 'acme', rowKey: 'group_1', name: 'not a user' });
    const listed = await links.listByTenant('acme');
    expect(listed).toHaveLength(1234);
    expect(new Set(listed.map((l) => l.objectId))).toEqual(new Set(acme.map((l) => l.objectId)));
    expect(listed.find((l) => l.objectId === objectId(777))).toEqual(acme[777]);
    expect(await links.listByTenant('nobody')).toEqual([]);
  });

  it('deletes all links of one tenant in transactions, leaving other tenants alone', async () => {
    const { links } = await freshStores();
    await upsertMany(
      links,
      Array.from({ length: 250 }, (_, i) => link('acme', i)),
    );
    await upsertMany(links, [link('beta', 1)]);
    await links.deleteAllForTenant('acme');
    expect(await links.listByTenant('acme')).toEqual([]);
    expect(await links.listByTenant('beta')).toEqual([link('beta', 1)]);
    await links.deleteAllForTenant('acme');
  });

  it('still deletes everything when a link vanishes between listing and its transaction', async () => {
    const { rawTable } = await freshStores();
    const table = rawTable('links');
    const store = new TableLinkStore(table);
    await upsertMany(
      store,
      Array.from({ length: 150 }, (_, i) => link('acme', i)),
    );
    const submit = table.submitTransaction.bind(table);
    let intercepted = false;
    table.submitTransaction = async (actions) => {
      if (!intercepted) {
        intercepted = true;
        await table.deleteEntity('acme', `user_${objectId(42)}`);
      }
      return submit(actions);
    };
    await store.deleteAllForTenant('acme');
    expect(intercepted).toBe(true);
    expect(await store.listByTenant('acme')).toEqual([]);
  });

  it('reports an unreadable stored link as INTERNAL, naming the bad columns; deleteAll still removes it', async () => {
    const { links, rawTable } = await freshStores();
    const table: TableClient = rawTable('links');
    await table.createEntity({
      partitionKey: 'acme',
      rowKey: `user_${objectId(1)}`,
      state: 'floating',
      origin: 'created',
      pbxUserName: 'u',
      extensionNumber: '1001',
      fields: '{"displayName":1}',
      boundToMicrosoft365: true,
      updatedAt: 'x',
    });
    const err = await rejection(links.get('acme', objectId(1)), 'INTERNAL');
    expect(err.message).toContain('state');
    expect(err.message).toContain('fields.displayName');
    await rejection(links.listByTenant('acme'), 'INTERNAL');
    await links.deleteAllForTenant('acme');
    expect(await links.listByTenant('acme')).toEqual([]);
  });
});
