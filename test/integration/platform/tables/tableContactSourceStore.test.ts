import { describe, expect, it } from 'vitest';
import { type ContactSource } from '../../../../shared/engine/ContactSourceStore';
import { freshStores } from './storeTestTables';

const source = (key: string, overrides: Partial<ContactSource> = {}): ContactSource => ({
  tenantId: 'acme',
  sourceKey: key,
  feature: key.split('.')[0]!,
  mailbox: 'reception@contoso.com',
  folderId: 'AAMkAGI2/folder==',
  updatedAt: '2026-12-01T10:00:00.000Z',
  ...overrides,
});

describe('TableContactSourceStore', () => {
  it('lists one feature’s sources of a tenant, with their owner when they have one', async () => {
    const { contactSources } = await freshStores();
    const owned = source('personalContacts.bb', {
      mailbox: '00000000-0000-4000-8000-000000000001',
      owner: { objectId: '00000000-0000-4000-8000-000000000001', pbxUserId: 'p1', pbxUserName: 'ada' },
    });
    await contactSources.put(source('phonebook.aa'));
    await contactSources.put(owned);
    await contactSources.put(source('phonebook.cc', { tenantId: 'beta' }));
    expect(await contactSources.listByTenant('acme', 'phonebook')).toEqual([source('phonebook.aa')]);
    expect(await contactSources.listByTenant('acme', 'personalContacts')).toEqual([owned]);
    expect(await contactSources.listByTenant('acme', 'photos')).toEqual([]);
  });

  it('replaces, and deletes idempotently one source or a whole tenant', async () => {
    const { contactSources } = await freshStores();
    await contactSources.put(source('phonebook.aa'));
    await contactSources.put(source('phonebook.aa', { folderId: 'other' }));
    expect((await contactSources.listByTenant('acme', 'phonebook')).map((s) => s.folderId)).toEqual(['other']);
    await contactSources.delete('acme', 'phonebook.aa');
    await contactSources.delete('acme', 'phonebook.aa');
    expect(await contactSources.listByTenant('acme', 'phonebook')).toEqual([]);
    await contactSources.put(source('phonebook.bb'));
    await contactSources.put(source('phonebook.bb', { tenantId: 'beta' }));
    await contactSources.deleteAllForTenant('acme');
    expect(await contactSources.listByTenant('acme', 'phonebook')).toEqual([]);
    expect(await contactSources.listByTenant('beta', 'phonebook')).toHaveLength(1);
  });
});
