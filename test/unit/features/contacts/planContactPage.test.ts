import { describe, expect, it } from 'vitest';
import { type ContactLink } from '../../../../shared/engine/ContactLinkStore';
import { contactFieldsFor } from '../../../../shared/features/contacts/contactFieldsFor';
import { planContactPage } from '../../../../shared/features/contacts/planContactPage';
import { type OutlookContact } from '../../../../shared/graph/OutlookContact';
import { portSipProfile } from '../../../../shared/pbx/portsip/portSipProfile';

const limits = portSipProfile.contactLimits;
const ada: OutlookContact = { id: 'c-ada', displayName: 'Ada', mobilePhone: '555-0101', jobTitle: 'Countess' };
const fieldsOf = (c: OutlookContact) => {
  const mapped = contactFieldsFor(c, limits);
  if (!('fields' in mapped)) throw new Error('unfit');
  return mapped.fields;
};
const link = (contact: OutlookContact, state: ContactLink['state'] = 'active'): ContactLink => ({
  tenantId: 't',
  sourceKey: 's',
  contactId: contact.id,
  state,
  fields: fieldsOf(contact),
  updatedAt: '2026-12-01T00:00:00Z',
  ...(state === 'active' ? { pbxContactId: `pbx-${contact.id}` } : {}),
});
const plan = (contacts: OutlookContact[], removedIds: string[], links: ContactLink[]) =>
  planContactPage({ contacts, removedIds }, new Map(links.map((l) => [l.contactId, l])), limits);

describe('planContactPage', () => {
  it('creates a contact it has no link for', () => {
    expect(plan([ada], [], [])).toEqual([{ kind: 'create', contactId: 'c-ada', label: 'Ada', fields: fieldsOf(ada) }]);
  });

  it('writes nothing for a contact whose fields are what the PBX holds', () => {
    expect(plan([ada], [], [link(ada)])).toEqual([{ kind: 'unchanged', contactId: 'c-ada' }]);
  });

  it('updates only the fields that changed, a cleared one included', () => {
    const [action] = plan([{ ...ada, jobTitle: null, companyName: 'Analytical Engines' }], [], [link(ada)]);
    expect(action).toMatchObject({ kind: 'update', changed: ['company', 'jobTitle'] });
  });

  it('resumes a create whose link was left in creating', () => {
    expect(plan([ada], [], [link(ada, 'creating')])[0]).toMatchObject({ kind: 'resume', contactId: 'c-ada' });
  });

  it('deletes on the PBX a contact removed in Outlook, and ignores a removed one it never wrote', () => {
    expect(plan([], ['c-ada', 'c-unknown'], [link(ada)])).toEqual([
      { kind: 'delete', contactId: 'c-ada', label: 'Ada', link: link(ada), reason: 'deleted' },
    ]);
  });

  it('deletes a written contact that lost its last number, and skips an unfit one it never wrote', () => {
    const noPhone = { ...ada, mobilePhone: null };
    expect(plan([noPhone], [], [link(ada)])[0]).toMatchObject({ kind: 'delete', reason: 'missingPhone' });
    expect(plan([noPhone], [], [])[0]).toEqual({ kind: 'skip', contactId: 'c-ada', label: 'Ada', reason: 'missingPhone' });
  });
});
