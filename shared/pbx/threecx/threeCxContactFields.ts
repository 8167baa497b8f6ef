import { type PbxContact, type PbxContactFields } from '../ports/PbxContact';
import { type ThreeCxContact } from './threeCxSchemas';
import { firstAndLast } from './threeCxUserFields';

/**
 * The port's contact fields and the 3CX `Contact` properties they are written to. Pbx.Contact has no second
 * home number, address or notes: those fields are not written (and read back as blank).
 */
const CONTACT_PROPERTIES = {
  company: 'CompanyName',
  jobTitle: 'Title',
  email: 'Email',
  businessPhone: 'Business',
  businessPhone2: 'Business2',
  // 3CX's primary number field, labelled "Mobile" in its UI.
  mobilePhone: 'PhoneNumber',
  homePhone: 'Home',
} as const satisfies Partial<Record<keyof PbxContactFields, keyof ThreeCxContact>>;

/** A 3CX contact as the port's PbxContact; 3CX has no display name, so it is "FirstName LastName". */
export function toPbxContact(contact: ThreeCxContact): PbxContact {
  return {
    id: contact.Id,
    displayName: [contact.FirstName, contact.LastName].filter(Boolean).join(' '),
    givenName: contact.FirstName,
    surname: contact.LastName,
    company: contact.CompanyName,
    jobTitle: contact.Title,
    email: contact.Email,
    businessPhone: contact.Business,
    businessPhone2: contact.Business2,
    mobilePhone: contact.PhoneNumber,
    homePhone: contact.Home,
    homePhone2: '',
    address: '',
    notes: '',
  };
}

/**
 * The 3CX properties for the given fields only. Names: givenName → FirstName, surname → LastName; the display
 * name has no field and is written as FirstName only when both split names are blank (see firstAndLast),
 * which on an update needs all three in the change (ThreeCxCompanyContacts reads the rest when it is not).
 */
export function contactBody(fields: Partial<PbxContactFields>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [field, property] of Object.entries(CONTACT_PROPERTIES) as [keyof typeof CONTACT_PROPERTIES, string][]) {
    const value = fields[field];
    if (value !== undefined) body[property] = value;
  }
  const { displayName, givenName, surname } = fields;
  if (displayName !== undefined && givenName !== undefined && surname !== undefined) {
    Object.assign(body, firstAndLast(displayName, { givenName, surname }));
  } else {
    if (givenName !== undefined) body.FirstName = givenName;
    if (surname !== undefined) body.LastName = surname;
  }
  return body;
}
