import { type PbxContact, type PbxContactFields } from '../../pbx/ports/PbxContact';

const COMPARED = [
  'email',
  'company',
  'jobTitle',
  'businessPhone',
  'businessPhone2',
  'mobilePhone',
  'homePhone',
  'homePhone2',
  'address',
  'notes',
] as const satisfies readonly (keyof PbxContactFields)[];

/**
 * Whether a PBX contact is the one a create with `written` made (PBX contacts carry no external id, so a
 * replayed create finds its earlier self by the values it wrote). The name must match as the product keeps
 * it (one name, or "given surname"); every other field must match, or read back blank where the product has
 * no such field; and at least one number must match, so a bare name never matches.
 */
export function matchesWrittenContact(found: PbxContact, written: PbxContactFields): boolean {
  const split = [written.givenName, written.surname].filter(Boolean).join(' ');
  if (found.displayName !== written.displayName && !(split && found.displayName === split)) return false;
  if (!COMPARED.every((key) => found[key] === written[key] || found[key] === '')) return false;
  const phones = ['businessPhone', 'mobilePhone', 'homePhone'] as const;
  return phones.some((key) => written[key] !== '' && found[key] === written[key]);
}
