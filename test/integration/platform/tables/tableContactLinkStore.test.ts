import { describe, expect, it } from 'vitest';
import { type ContactLink } from '../../../../shared/engine/ContactLinkStore';
import { type PbxContactFields } from '../../../../shared/pbx/ports/PbxContact';
import { GRACE_HOPPER } from '../../../support/threeCxPeople';
import { freshStores } from './storeTestTables';

// Every field filled, one with a line break (the JSON column keeps it).
const fields: PbxContactFields = { ...GRACE_HOPPER, notes: 'Line one\nline two' };
// Outlook ids are long and hold characters a table key may not ('/', '=', '+').
const outlookId = (n: number) => `AAMkAGI2TG93AAA/${'x'.repeat(120)}+${n}=`;
const link = (n: number, overrides: Partial<ContactLink> = {}): ContactLink => ({
  tenantId: 'acme',
  sourceKey: 'phonebook.0123abcd',
  contactId: outlookId(n),
  state: 'active',
  pbxContactId: `pbx-${n}`,
  fields,
  updatedAt: '2026-12-01T10:00:00.000Z',
  ...overrides,
});

describe('TableContactLinkStore', () => {
  it('round-trips links per source folder, long Outlook ids and all fields included', async () => {
    const { contactLinks } = await freshStores();
    expect(await contactLinks.listBySource('acme', 'phonebook.0123abcd')).toEqual([]);
    const creating = link(2, { state: 'creating', pbxContactId: undefined });
    await contactLinks.putMany([link(1), creating, link(3, { sourceKey: 'phonebook.ffff' }), link(4, { tenantId: 'beta' })]);
    const stored = await contactLinks.listBySource('acme', 'phonebook.0123abcd');
    const { pbxContactId: _none, ...creatingStored } = creating;
    expect(stored.sort((a, b) => a.contactId.localeCompare(b.contactId))).toEqual([link(1), creatingStored]);
    expect(await contactLinks.listBySource('acme', 'phonebook.ffff')).toEqual([link(3, { sourceKey: 'phonebook.ffff' })]);
  });

  it('replaces a link written again (a creating link that became active keeps no stale fields)', async () => {
    const { contactLinks } = await freshStores();
    await contactLinks.putMany([link(1, { state: 'creating', pbxContactId: undefined })]);
    await contactLinks.putMany([link(1, { fields: { ...fields, company: 'Retired' } })]);
    expect(await contactLinks.listBySource('acme', 'phonebook.0123abcd')).toEqual([link(1, { fields: { ...fields, company: 'Retired' } })]);
  });

  it('writes more than a transaction holds, and the last of two writes of one contact in a batch wins', async () => {
    const { contactLinks } = await freshStores();
    const many = Array.from({ length: 250 }, (_, i) => link(i));
    await contactLinks.putMany([...many, link(7, { pbxContactId: 'pbx-7b' })]);
    const stored = await contactLinks.listBySource('acme', 'phonebook.0123abcd');
    expect(stored).toHaveLength(250);
    expect(stored.find((l) => l.contactId === outlookId(7))?.pbxContactId).toBe('pbx-7b');
  });

  it('deletes idempotently: some links, a whole source, a whole tenant', async () => {
    const { contactLinks } = await freshStores();
    await contactLinks.putMany([link(1), link(2), link(3, { sourceKey: 'personalContacts.aa' }), link(4, { tenantId: 'beta' })]);
    await contactLinks.deleteMany('acme', 'phonebook.0123abcd', [outlookId(1), outlookId(99)]);
    expect((await contactLinks.listBySource('acme', 'phonebook.0123abcd')).map((l) => l.contactId)).toEqual([outlookId(2)]);
    await contactLinks.deleteSource('acme', 'phonebook.0123abcd');
    expect(await contactLinks.listBySource('acme', 'phonebook.0123abcd')).toEqual([]);
    await contactLinks.deleteAllForTenant('acme');
    expect(await contactLinks.listBySource('acme', 'personalContacts.aa')).toEqual([]);
    expect(await contactLinks.listBySource('beta', 'phonebook.0123abcd')).toHaveLength(1);
  });

  it('refuses a source key that cannot be part of a table key', async () => {
    const { contactLinks } = await freshStores();
    await expect(contactLinks.listBySource('acme', 'a/b')).rejects.toMatchObject({ code: 'INVALID' });
  });
});
