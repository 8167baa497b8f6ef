import { type OutlookContact } from '../../graph/OutlookContact';
import { type PbxContactFields } from '../../pbx/ports/PbxContact';
import { type PbxContactLimits } from '../../pbx/ports/PbxProfile';
import { cutText } from '../../engine/RunChange';

/** Why an Outlook contact is not written to the PBX (stable codes for run records). */
export type ContactSkipReason = 'missingName' | 'missingPhone';

export type MappedContact = { fields: PbxContactFields } | { skip: ContactSkipReason };

const clean = (value: string | null | undefined): string => (value ?? '').trim();
const nth = (values: readonly (string | null | undefined)[] | null | undefined, index: number): string => clean(values?.[index]);

/** "Street, Postal code City, State, Country" on one line, blank parts left out. */
function oneLineAddress(address: OutlookContact['businessAddress']): string {
  if (!address) return '';
  const town = [clean(address.postalCode), clean(address.city)].filter(Boolean).join(' ');
  return [clean(address.street).replace(/\s*\n\s*/g, ', '), town, clean(address.state), clean(address.countryOrRegion)]
    .filter(Boolean)
    .join(', ');
}

/**
 * An Outlook contact as the PBX contact the connector keeps for it, or why it keeps none. Graph v1.0 has no
 * fax or "other" number on contacts, so those PBX fields are never written. Values longer than the PBX takes
 * are cut (never refused); blank values are '' so a field cleared in Outlook clears on the PBX. Like Yeastar's
 * own rule, a contact without a name, or without a business, mobile or home number, is not written.
 */
export function contactFieldsFor(contact: OutlookContact, limits: PbxContactLimits): MappedContact {
  const givenName = clean(contact.givenName);
  const surname = clean(contact.surname);
  const displayName = clean(contact.displayName) || [givenName, surname].filter(Boolean).join(' ');
  if (!displayName) return { skip: 'missingName' };
  const text = (value: string) => cutText(value, limits.text);
  const fields: PbxContactFields = {
    displayName: cutText(displayName, limits.name),
    givenName: text(givenName),
    surname: text(surname),
    company: text(clean(contact.companyName)),
    jobTitle: text(clean(contact.jobTitle)),
    email: text(clean(contact.emailAddresses?.find((e) => clean(e.address))?.address)),
    businessPhone: text(nth(contact.businessPhones, 0)),
    businessPhone2: text(nth(contact.businessPhones, 1)),
    mobilePhone: text(clean(contact.mobilePhone)),
    homePhone: text(nth(contact.homePhones, 0)),
    homePhone2: text(nth(contact.homePhones, 1)),
    address: cutText(oneLineAddress(contact.businessAddress), limits.address),
    notes: cutText(clean(contact.personalNotes), limits.notes),
  };
  const phones = [fields.businessPhone, fields.businessPhone2, fields.mobilePhone, fields.homePhone, fields.homePhone2];
  if (!phones.some(Boolean)) return { skip: 'missingPhone' };
  return { fields };
}
