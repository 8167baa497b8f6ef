import { z } from 'zod';

const text = (max: number) => z.string().max(max, `must be at most ${max} characters`).nullish();
const name = () =>
  z
    .string({ error: (iss) => (iss.input === undefined ? 'is required' : 'must be a string') })
    .min(1, 'must not be empty')
    .max(64, 'must be at most 64 characters');

/** The contact fields other than `name`, with the spec's limits (reference/portsip.md §4); "" or null clears. */
export const CONTACT_TEXT_FIELDS = {
  email: text(128),
  company: text(128),
  title: text(128),
  business: text(128),
  business2: text(128),
  mobile_phone: text(128),
  mobile_phone2: text(128),
  home_phone: text(128),
  home_phone2: text(128),
  other: text(128),
  business_fax: text(128),
  home_fax: text(128),
  address: text(128),
  notes: text(1024),
};
export type ContactTextField = keyof typeof CONTACT_TEXT_FIELDS;
export const CONTACT_TEXT_FIELD_NAMES = Object.keys(CONTACT_TEXT_FIELDS) as ContactTextField[];

/**
 * POST /api/contacts and /api/user/contacts. ⚠ The spec marks no field required; a contact without a name is
 * useless in a phonebook, so the sandbox requires `name` (1–64) on create, as it does for groups. Unknown
 * fields (`favorite` too: it has its own endpoints) are ignored, as a real API does.
 */
export const CreateContactBody = z.object({ name: name(), ...CONTACT_TEXT_FIELDS });

/** POST …/contacts/{id}: a merge; a field left out stays, "" or null clears it (⚠ undocumented, as for users). */
export const UpdateContactBody = z.object({ name: name().optional(), ...CONTACT_TEXT_FIELDS });
