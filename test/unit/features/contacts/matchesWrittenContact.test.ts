import { describe, expect, it } from 'vitest';
import { matchesWrittenContact } from '../../../../shared/features/contacts/matchesWrittenContact';
import { type PbxContactFields } from '../../../../shared/pbx/ports/PbxContact';
import { GRACE_HOPPER } from '../../../support/threeCxPeople';

// As written to the PBX: a contact with every field filled but the ones blank to show they read back blank.
const written: PbxContactFields = { ...GRACE_HOPPER, homePhone: '', address: '1 Main St' };
const asPortSipKeepsIt = { ...written, id: 'p1', givenName: '', surname: '' };

describe('matchesWrittenContact', () => {
  it('finds the contact an interrupted create made, as PortSIP reads it back', () => {
    expect(matchesWrittenContact(asPortSipKeepsIt, written)).toBe(true);
  });

  it('matches a product that keeps split names and lacks a field (3CX: no address)', () => {
    expect(matchesWrittenContact({ ...written, id: 'x1', displayName: 'Grace Hopper', address: '' }, written)).toBe(true);
  });

  it.each([
    ['another name', { displayName: 'Grace H.' }],
    ['another number', { businessPhone: '+12025550999' }],
    ['another e-mail', { email: 'someone@else.example' }],
  ])('does not take a contact with %s', (_, change) => {
    expect(matchesWrittenContact({ ...asPortSipKeepsIt, ...change }, written)).toBe(false);
  });

  it('never matches by name alone', () => {
    const blank = {
      businessPhone: '',
      businessPhone2: '',
      mobilePhone: '',
      homePhone: '',
      email: '',
      company: '',
      jobTitle: '',
      address: '',
    };
    const nameOnly = { ...asPortSipKeepsIt, ...blank };
    expect(matchesWrittenContact(nameOnly, written)).toBe(false);
  });
});
