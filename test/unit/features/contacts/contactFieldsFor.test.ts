import { describe, expect, it } from 'vitest';
import { contactFieldsFor } from '../../../../shared/features/contacts/contactFieldsFor';
import { type OutlookContact } from '../../../../shared/graph/OutlookContact';
import { portSipProfile } from '../../../../shared/pbx/portsip/portSipProfile';
import { GRACE_HOPPER } from '../../../support/threeCxPeople';

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
        businessPhones: ['+12025550100', '+12025550103', '+12025550199'],
        mobilePhone: '+12025550101',
        homePhones: ['+12025550102', '+12025550104'],
        businessAddress: { street: '1 Main St\nSuite 4', city: 'Arlington', state: 'VA', postalCode: '22202', countryOrRegion: 'USA' },
        personalNotes: 'Invented the compiler',
      }),
      limits,
    );
    // The phonebook's Grace Hopper, with the fields she leaves blank there filled here.
    expect(mapped).toEqual({
      fields: {
        ...GRACE_HOPPER,
        homePhone2: '+12025550104',
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
