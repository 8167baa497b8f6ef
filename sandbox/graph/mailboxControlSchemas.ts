import { z } from 'zod';

const text = z.string().max(1024).nullable().optional();
const phones = z.array(z.string().max(64)).max(20).nullable().optional();

/** A contact's fields as the control API takes them; null clears one (in an edit), a left-out one stays. */
const contactFields = {
  displayName: text,
  givenName: text,
  surname: text,
  companyName: text,
  jobTitle: text,
  emailAddresses: z
    .array(z.object({ name: text, address: text }).strict())
    .max(3)
    .nullable()
    .optional(),
  businessPhones: phones,
  mobilePhone: text,
  homePhones: phones,
  businessAddress: z
    .object({ street: text, city: text, state: text, postalCode: text, countryOrRegion: text })
    .strict()
    .nullable()
    .optional(),
  personalNotes: z.string().max(32_768).nullable().optional(),
};

/** `PATCH /_sandbox/mailboxes/{mailbox}/contacts/{id}`: at least one field. */
export const ContactPatchSchema = z
  .object(contactFields)
  .strict()
  .refine((p) => Object.keys(p).length > 0, 'name at least one property');

/** `POST /_sandbox/mailboxes/{mailbox}/contacts`: into `folderId` (default: the default folder). */
export const NewContactSchema = z.object({ ...contactFields, folderId: z.string().min(1).max(1024).optional() }).strict();

/** `POST /_sandbox/mailboxes/{mailbox}/contacts/seed`: many generated contacts at once (no notifications). */
export const SeedContactsSchema = z
  .object({ count: z.int().min(1).max(100_000), folderId: z.string().min(1).max(1024).optional(), seed: z.int().optional() })
  .strict();

/** `POST /_sandbox/mailboxes/{mailbox}/contactFolders`: below `parentFolderId` (default: the default folder). */
export const NewContactFolderSchema = z
  .object({ displayName: z.string().min(1).max(255), parentFolderId: z.string().min(1).max(1024).optional() })
  .strict();

/** `POST /_sandbox/mailboxes`: a shared mailbox (an Entra user with accountEnabled false). */
export const NewSharedMailboxSchema = z
  .object({ address: z.email().max(256), displayName: z.string().min(1).max(256), id: z.uuid().optional() })
  .strict();

/** `PUT /_sandbox/users/{id}/photo`: given bytes (base64), or generated ones of `sizeBytes`. */
export const PhotoSchema = z
  .object({
    base64: z.string().max(60_000).optional(),
    contentType: z.enum(['image/jpeg', 'image/png', 'image/gif']).optional(),
    sizeBytes: z.int().min(4).max(20_000_000).optional(),
    size: z.int().min(48).max(648).optional(),
  })
  .strict()
  .refine((p) => p.base64 === undefined || p.sizeBytes === undefined, {
    message: 'give base64 or sizeBytes, not both',
    path: ['sizeBytes'],
  });

/** `POST /_sandbox/photos`: a generated photo for each of these users (or every live user). */
export const BulkPhotosSchema = z
  .object({
    userIds: z.array(z.string().min(1).max(256)).max(100_000).optional(),
    allUsers: z.literal(true).optional(),
    sizeBytes: z.int().min(4).max(1_000_000).optional(),
  })
  .strict()
  .refine((p) => (p.userIds === undefined) !== (p.allUsers === undefined), 'give userIds or allUsers');
