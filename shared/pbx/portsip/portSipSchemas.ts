import { z } from 'zod';

/** PortSIP returns blank fields as null (docs/PORTSIP.md); we use '' for "blank". */
const text = z
  .string()
  .nullish()
  .transform((v) => v ?? '');

/** `POST /api/auth/sign_in` and `POST /api/auth/refresh_token` when a token is issued. */
export const TokenAnswerSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.number().int().positive(),
  token_type: z.string().nullish(),
});
export type TokenAnswer = z.infer<typeof TokenAnswerSchema>;

/** `POST /api/auth/sign_in` answers oneOf: a token, or this when the account has two-factor authentication on. */
export const TwoFactorAnswerSchema = z.object({ two_factor_enabled: z.literal(true) });

/**
 * One entry of a user's `outbound_caller_ids` (`GET /api/users/{id}`; list items do not carry the list). Other
 * fields (v22.6 adds `display_name`) pass through untouched, so an entry we keep is sent back as it came.
 */
export const OutboundCallerIdEntrySchema = z
  .object({
    provider_id: z.string(),
    caller_id: z.string(),
    preferred: z.boolean().nullish(),
    description: z.string().nullish(),
  })
  .loose();
export type OutboundCallerIdEntry = z.infer<typeof OutboundCallerIdEntrySchema>;

/** A user from `GET /api/users/{id}` or an item of `GET /api/users` (the summary has the same fields we use). */
export const PortSipUserSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  extension_number: z.string(),
  display_name: text,
  email: text,
  mobile_phone: text,
  work_phone: text,
  department: text,
  // Blank means the default, which is enabled.
  enabled: z
    .boolean()
    .nullish()
    .transform((v) => v ?? true),
  // Only a read by id has it (absent in list items: unknown, not empty).
  outbound_caller_ids: z.array(OutboundCallerIdEntrySchema).nullish(),
});
export type PortSipUser = z.infer<typeof PortSipUserSchema>;

/** Every PortSIP list: `{count, items}` (count is the total, not the page size). */
export const listPageSchema = <T extends z.ZodType>(item: T) =>
  z.object({ count: z.number().int().min(0).nullish(), items: z.array(item) });

/** An item of the ring group, call queue, conference room and virtual receptionist (/ivrs) lists. */
export const NumberHolderSchema = z.object({ id: z.string().nullish(), extension_number: z.string().nullish() });

/** `POST /api/users` → 201. */
export const CreatedSchema = z.object({ id: z.string().min(1) });

/** `GET /api/extension_numbers/{n}` → 200 when the number is taken (404 when free). */
export const NumberOwnerSchema = z.object({
  id: z.string().min(1),
  extension_number: z.string(),
  name: text,
  type: z.string(),
});

/** `GET /api/tenant/password_policy`; absent fields take the spec's defaults. */
export const PasswordPolicySchema = z.object({
  min_length: z.number().int().min(1).default(6),
  max_length: z.number().int().min(1).default(32),
  contains_letters: z.boolean().default(true),
  contains_numbers: z.boolean().default(true),
  contains_special_letters: z.boolean().default(true),
  disable_sequential_characters: z.boolean().default(true),
  disable_repeating_characters: z.boolean().default(true),
  disable_account_information: z.boolean().default(true),
});
export type PasswordPolicy = z.infer<typeof PasswordPolicySchema>;

/** A 4xx body: `{"errors":[{code, message, detail?}]}`; new codes may appear over time. */
export const ErrorBodySchema = z.object({
  errors: z.array(z.object({ code: z.string(), message: z.string().nullish(), detail: z.unknown().optional() })).min(1),
});

/** An item of `GET /api/groups` (and the fields we use of `GET /api/groups/{id}`). */
export const PortSipGroupSchema = z.object({ id: z.string().min(1), name: z.string(), description: text });

/** `GET /api/groups/{id}/members`: no paging, no `count`. */
export const GroupMembersSchema = z.object({ items: z.array(z.object({ extension_number: z.string() })).nullish() });

/**
 * A company contact (`/api/contacts`) or personal contact (`/api/user/contacts`), by id or as a list item (the
 * same fields). Fields the connector does not map (`mobile_phone2`, `other`, faxes, `favorite`, `sync_type`) are
 * left out.
 */
export const PortSipContactSchema = z.object({
  id: z.string().min(1),
  name: text,
  email: text,
  company: text,
  title: text,
  business: text,
  business2: text,
  mobile_phone: text,
  home_phone: text,
  home_phone2: text,
  address: text,
  notes: text,
});
export type PortSipContact = z.infer<typeof PortSipContactSchema>;

/** `GET /api/auth/user`: who the token belongs to, and whether PortSIP wants a new password first. */
export const AuthUserSchema = z.object({
  role: z.string().nullish(),
  password_verified: z.boolean().nullish(),
  password_force_reset: z
    .boolean()
    .nullish()
    .transform((v) => v ?? false),
});

/** `POST /api/blobs/uploads` → 202: the upload is named by these two headers (lower-cased as fetch gives them). */
export const UploadStartedSchema = z.object({
  'portsip-upload-id': z.string().min(1),
  'portsip-upload-token': z.string().min(1),
});

/**
 * `GET /api/users/{id}/status` (admin) and `GET /api/user/status` (as the user). `status` and `presence` are
 * kept as text: v22.3 renamed values (AVAILABLE → ONLINE, ON_CALL → OTHER_CALL) and added RINGING, so a value
 * a later version adds must not fail the read. `registration` is not used.
 */
export const PortSipUserStatusSchema = z.object({
  status: z.string().nullish(),
  presence: z.string().nullish(),
  presence_note: text,
  enable_dnd: z
    .boolean()
    .nullish()
    .transform((v) => v ?? false),
});
