import { z } from 'zod';

const text = z.string().nullish();
const texts = z.array(z.string().nullish()).nullish();

/** A postal address as Outlook keeps it (every part optional). */
export const PhysicalAddressSchema = z
  .object({ street: text, city: text, state: text, postalCode: text, countryOrRegion: text })
  .passthrough()
  .nullish();

/**
 * An Outlook contact (Graph v1.0 `contact`) with the properties the connector maps (CONTACT_SELECT). Graph
 * sends null for blank values; unknown properties pass through unread.
 */
export const OutlookContactSchema = z
  .object({
    id: z.string().min(1).max(1024),
    displayName: text,
    givenName: text,
    surname: text,
    companyName: text,
    jobTitle: text,
    emailAddresses: z.array(z.object({ name: text, address: text }).passthrough()).nullish(),
    businessPhones: texts,
    mobilePhone: text,
    homePhones: texts,
    businessAddress: PhysicalAddressSchema,
    personalNotes: text,
    /** Changes with every edit: a cheap "did it change" before any mapping. */
    changeKey: text,
  })
  .passthrough();
export type OutlookContact = z.infer<typeof OutlookContactSchema>;

/** The properties the connector asks Graph for (delta carries `$select` into its links). */
export const CONTACT_SELECT = [
  'displayName',
  'givenName',
  'surname',
  'companyName',
  'jobTitle',
  'emailAddresses',
  'businessPhones',
  'mobilePhone',
  'homePhones',
  'businessAddress',
  'personalNotes',
  'changeKey',
] as const;

/** One page of a contact folder's delta round: contacts added or changed, ids removed, and the next link. */
export interface ContactsDeltaPage {
  contacts: OutlookContact[];
  removedIds: string[];
  nextLink?: string | undefined;
  deltaLink?: string | undefined;
}

/** A contact folder of a mailbox. */
export interface ContactFolder {
  id: string;
  displayName: string;
}
