import { type SimContact } from './PbxDirectory';

/**
 * The Pbx.Contact text fields the sandbox stores. One list, so the seed, the body schema and the routes cannot
 * disagree about which fields a contact has.
 */
export const CONTACT_TEXT_FIELDS = [
  'FirstName',
  'LastName',
  'CompanyName',
  'Department',
  'Title',
  'Email',
  'PhoneNumber',
  'Mobile2',
  'Home',
  'Business',
  'Business2',
  'BusinessFax',
  'Other',
  'Pager',
  'Tag',
] as const satisfies readonly (keyof SimContact)[];

/** Text fields of a contact as a body or the seed gives them: any may be absent or null. */
export type ContactFieldValues = { readonly [Field in (typeof CONTACT_TEXT_FIELDS)[number]]?: string | null | undefined } & {
  readonly ContactType?: string | undefined;
};

/** A contact with every field filled from the body ('' for absent text); `ContactType` is the source, '3CX' by default ⚠. */
export function newContact(id: number, body: ContactFieldValues): SimContact {
  const contact = { Id: id, ContactType: body.ContactType ?? '3CX' } as SimContact;
  for (const field of CONTACT_TEXT_FIELDS) contact[field] = body[field] ?? '';
  return contact;
}
