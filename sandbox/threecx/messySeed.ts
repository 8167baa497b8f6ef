import { newContact } from './contactFields';
import { derivedName, newSecrets, type PbxDirectory, type SimContact } from './PbxDirectory';

interface SeedUser {
  number: string;
  firstName: string;
  lastName: string;
  email: string;
  mobile?: string | null;
  displayName?: string;
  enabled?: boolean;
  tags?: string[];
}

const LONG_NAME =
  'Maximilian-Alexander von Wolfeschlegelsteinhausenbergerdorff-Schönhausen-Müller-Lüdenscheidt (Interim Head of Procurement, EMEA & APAC)';

/**
 * Data an adapter must survive: an empty first name, accents and emoji, an upper-case e-mail, one e-mail on two
 * users, a disabled user, a number with a leading zero (⚠ whether 3CX allows one is unverified), a user with no
 * mobile, a very long DisplayName, an apostrophe (filter quoting), and a user 3CX's own M365 sync made (Tags MS).
 * Numbers assume ENL 3; with another ENL they are still held, just of "wrong" length, as after an ENL change.
 */
const USERS: SeedUser[] = [
  { number: '100', firstName: 'Ada', lastName: 'Lovelace', email: 'ada.lovelace@contoso.com', mobile: '+447700900100', tags: ['MS'] },
  { number: '101', firstName: '', lastName: 'Nakamura', email: 'nakamura@contoso.com', mobile: '+81312345678' },
  { number: '102', firstName: 'José', lastName: 'Núñez-Güell', email: 'jose.nunez@contoso.com', mobile: '+34600000102' },
  { number: '103', firstName: 'Zoë 🎧', lastName: 'Brontë', email: 'zoe.bronte@contoso.com', mobile: '' },
  { number: '104', firstName: 'Grace', lastName: 'Hopper', email: 'GRACE.HOPPER@CONTOSO.COM', mobile: '+12025550104' },
  { number: '105', firstName: 'Shared', lastName: 'Reception', email: 'reception@contoso.com', mobile: '' },
  { number: '106', firstName: 'Front', lastName: 'Desk', email: 'reception@contoso.com', mobile: '' },
  { number: '107', firstName: 'Former', lastName: 'Employee', email: 'former.employee@contoso.com', enabled: false, mobile: '' },
  { number: '012', firstName: 'Leading', lastName: 'Zero', email: 'leading.zero@contoso.com', mobile: '+4930120012' },
  { number: '108', firstName: 'Noah', lastName: 'Mobile', email: 'noah@contoso.com', mobile: null },
  {
    number: '109',
    firstName: 'Maximilian',
    lastName: 'Wolfeschlegelsteinhausenbergerdorff',
    email: 'max.w@contoso.com',
    displayName: LONG_NAME,
    mobile: '',
  },
  { number: '110', firstName: 'Seán', lastName: "O'Brien", email: "sean.o'brien@contoso.com", mobile: '+353870000110' },
];

const CONTACTS: Array<Partial<SimContact>> = [
  {
    FirstName: 'Acme',
    LastName: 'Support',
    CompanyName: 'Acme Ltd',
    Email: 'support@acme.example',
    PhoneNumber: '+442071234567',
    Business: '+442071234500',
  },
  {
    FirstName: 'Émilie',
    LastName: 'Durand',
    CompanyName: 'Fournisseur SA',
    Title: 'Account manager',
    PhoneNumber: '+33612345678',
    Tag: 'manual',
  },
  { FirstName: '', LastName: 'Night Line', CompanyName: 'Facilities', Business: '+18005550199' },
];

export function seedMessy(directory: PbxDirectory): void {
  const defaultGroup = directory.defaultGroup.id;
  for (const seed of USERS) {
    const id = directory.newDnId();
    directory.users.set(id, {
      id,
      number: seed.number,
      firstName: seed.firstName,
      lastName: seed.lastName,
      displayName: seed.displayName ?? derivedName(seed.firstName, seed.lastName),
      derivedDisplayName: seed.displayName === undefined,
      email: seed.email,
      mobile: seed.mobile === undefined ? '' : seed.mobile,
      outboundCallerId: '',
      enabled: seed.enabled ?? true,
      tags: seed.tags ?? [],
      primaryGroupId: defaultGroup,
      language: 'EN',
      groups: [{ groupId: defaultGroup, roleName: 'users' }],
      secrets: newSecrets(seed.number),
    });
  }
  directory.addOtherDn('800', 'RingGroup', 'Sales Ring Group');
  directory.addOtherDn('801', 'Ivr', 'Main Menu');
  for (const seed of CONTACTS) {
    const contact = newContact(directory.newContactId(), seed);
    directory.contacts.set(contact.Id, contact);
  }
}
