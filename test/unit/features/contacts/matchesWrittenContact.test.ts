import { describe, expect, it } from 'vitest';
import { matchesWrittenContact } from '../../../../shared/features/contacts/matchesWrittenContact';
import { type PbxContactFields } from '../../../../shared/pbx/ports/PbxContact';

const written: PbxContactFields = {
  displayName: 'Grace Hopper',
  givenName: 'Grace',
  surname: 'Hopper',
  company: 'Navy',
  jobTitle: '',
  email: 'grace@navy.example',
  businessPhone: '+12025550100',
  businessPhone2: '',
  mobilePhone: '',
  homePhone: '',
  homePhone2: '',
  address: '1 Main St',
  notes: '',
};
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
    const nameOnly = { ...asPortSipKeepsIt, businessPhone: '', email: '', company: '', address: '' };
    expect(matchesWrittenContact(nameOnly, written)).toBe(false);
  });
});
