import { CONTACT_SELECT } from '../../shared/graph/OutlookContact';

/** A postal address as Outlook keeps it. */
export interface SandboxPhysicalAddress {
  street?: string | null | undefined;
  city?: string | null | undefined;
  state?: string | null | undefined;
  postalCode?: string | null | undefined;
  countryOrRegion?: string | null | undefined;
}

/** The Outlook contact properties the sandbox models (Graph v1.0 `contact`), as a control request sets them. */
export interface SandboxContactFields {
  displayName?: string | null | undefined;
  givenName?: string | null | undefined;
  surname?: string | null | undefined;
  companyName?: string | null | undefined;
  jobTitle?: string | null | undefined;
  emailAddresses?: { name?: string | null | undefined; address?: string | null | undefined }[] | null | undefined;
  businessPhones?: string[] | null | undefined;
  mobilePhone?: string | null | undefined;
  homePhones?: string[] | null | undefined;
  businessAddress?: SandboxPhysicalAddress | null | undefined;
  personalNotes?: string | null | undefined;
}

/** A contact with the properties Outlook itself maintains. */
export interface SandboxContact extends SandboxContactFields {
  id: string;
  parentFolderId: string;
  changeKey: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
}

/**
 * Every property a contact answers with; `$select` may name only these. The modelled properties are the ones the
 * connector selects, so the sandbox cannot drift from what production asks for.
 */
export const CONTACT_PROPERTY_NAMES = ['id', ...CONTACT_SELECT, 'parentFolderId', 'createdDateTime', 'lastModifiedDateTime'] as const;

/** Collections Outlook always reports (empty rather than absent); the rest are null when unset. */
const COLLECTIONS = new Set(['emailAddresses', 'businessPhones', 'homePhones']);

/** A contact as Graph shows it: every selected property, null (or [] for collections) when unset. */
export function projectContact(contact: SandboxContact, properties: readonly string[]): Record<string, unknown> {
  const source = contact as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = { '@odata.etag': `W/"${contact.changeKey}"` };
  for (const p of properties) {
    const value = source[p];
    // No copy: the projection is serialised at once and never kept.
    out[p] = value === undefined || value === null ? (COLLECTIONS.has(p) ? [] : null) : value;
  }
  return out;
}
