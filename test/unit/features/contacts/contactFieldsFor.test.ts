import { describe, expect, it } from 'vitest';
import { contactFieldsFor } from '../../../../shared/features/contacts/contactFieldsFor';
import { type OutlookContact } from '../../../../shared/graph/OutlookContact';
import { portSipProfile } from '../../../../shared/pbx/portsip/portSipProfile';

const limits = portSipProfile.contactLimits;
const contact = (fields: Partial<OutlookContact>): OutlookContact => ({ id: 'AAMk-1=', ...fields });

describe('contactFieldsFor', () => {
  it('maps every Graph field to its PBX field', () => {
    const mapped = contactFieldsFor(
      contact({
        displayName: 'Grace Hopper',
        givenName: 'Grace',
        surname: 'Hopper',
        companyName: 'Navy',
        jobTitle: 'Rear Admiral',
        emailAddresses: [
          { name: 'x', address: '' },
          { name: 'Grace', address: 'grace@navy.example' },
        ],
        businessPhones: ['+1 202 555 0100', '+1 202 555 0103', '+1 202 555 0199'],
        mobilePhone: '+1 202 555 0101',
        homePhones: ['+1 202 555 0102', '+1 202 555 0104'],
        businessAddress: { street: '1 Main St\nSuite 4', city: 'Arlington', state: 'VA', postalCode: '22202', countryOrRegion: 'USA' },
        personalNotes: 'Invented the compiler',
      }),
      limits,
    );
    expect(mapped).toEqual({
      fields: {
        displayName: 'Grace Hopper',
        givenName: 'Grace',
        surname: 'Hopper',
        company: 'Navy',
        jobTitle: 'Rear Admiral',
        email: 'grace@navy.example',
        businessPhone: '+1 202 555 0100',
        businessPhone2: '+1 202 555 0103',
        mobilePhone: '+1 202 555 0101',
        homePhone: '+1 202 555 0102',
        homePhone2: '+1 202 555 0104',
        address: '1 Main St, Suite 4, 22202 Arlington, VA, USA',
        notes: 'Invented the compiler',
      },
    });
  });

  it('names a contact from given name and surname when it has no display name', () => {
    const mapped = contactFieldsFor(contact({ givenName: 'Ada', surname: 'Lovelace', mobilePhone: '555' }), limits);
    expect('fields' in mapped && mapped.fields.displayName).toBe('Ada Lovelace');
  });

  it('blank values become empty strings, so a cleared field clears on the PBX', () => {
    const mapped = contactFieldsFor(
      contact({ displayName: 'Ada', mobilePhone: '555', jobTitle: null, businessPhones: [], homePhones: null }),
      limits,
    );
    expect('fields' in mapped && mapped.fields).toMatchObject({
      jobTitle: '',
      businessPhone: '',
      businessPhone2: '',
      homePhone: '',
      email: '',
    });
  });

  it('cuts values to what the PBX takes instead of refusing them', () => {
    const mapped = contactFieldsFor(contact({ displayName: 'N'.repeat(100), mobilePhone: '5', personalNotes: 'x'.repeat(2000) }), limits);
    if (!('fields' in mapped)) throw new Error('expected fields');
    expect(mapped.fields.displayName).toHaveLength(64);
    expect(mapped.fields.notes).toHaveLength(1024);
  });

  it.each([
    ['no name at all', contact({ mobilePhone: '555', companyName: 'Navy' }), 'missingName'],
    ['only spaces for a name', contact({ displayName: '  ', givenName: ' ', mobilePhone: '555' }), 'missingName'],
    ['no business, mobile or home number', contact({ displayName: 'Ada', emailAddresses: [{ address: 'a@b.c' }] }), 'missingPhone'],
  ])('skips a contact with %s', (_, input, reason) => {
    expect(contactFieldsFor(input, limits)).toEqual({ skip: reason });
  });
});
