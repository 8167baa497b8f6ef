import { z } from 'zod';

/** 3CX returns blank text as null or leaves it out (the spec marks nothing required); we use '' for "blank". */
const text = z
  .string()
  .nullish()
  .transform((v) => v ?? '');

/** XAPI keys are int32; the ports carry ids as strings. */
const id = z.number().int().transform(String);

/** `POST /connect/token`. Since 20.0.9 `expires_in` is seconds, before that minutes (threeCxTokenLifetime.ts). */
export const TokenAnswerSchema = z.object({
  access_token: z.string().min(1),
  // ⚠ Some OAuth servers send it as a string; both are read.
  expires_in: z.union([z.number().positive(), z.string().regex(/^\d+$/).transform(Number)]).nullish(),
  token_type: z.string().nullish(),
});
export type TokenAnswer = z.infer<typeof TokenAnswerSchema>;

/**
 * A user as the connector reads it: only the `$select`ed fields. zod drops every other key, so even a PBX that
 * ignored `$select` could not get `AuthPassword`, `VMPIN` or `DeskphonePassword` past this point.
 */
export const ThreeCxUserSchema = z.object({
  Id: id,
  Number: z.string(),
  FirstName: text,
  LastName: text,
  DisplayName: text,
  EmailAddress: text,
  Mobile: text,
  OutboundCallerID: text,
  // ⚠ Blank is taken as the default, enabled.
  Enabled: z
    .boolean()
    .nullish()
    .transform((v) => v ?? true),
});
export type ThreeCxUser = z.infer<typeof ThreeCxUserSchema>;

/** The `$select` every read of Users carries (ThreeCxTransport refuses a Users read without one). */
export const USER_SELECT = 'Id,Number,FirstName,LastName,DisplayName,EmailAddress,Mobile,OutboundCallerID,Enabled';

/** `POST /Users` and `POST /Contacts` answer 201 with the entity; we keep its Id and nothing else. */
export const CreatedSchema = z.object({ Id: id.optional() });

/** Whatever holds a DN number (user, ring group, queue, IVR, trunk…): `GET /Peers`. */
export const PeerSchema = z.object({
  Id: id.optional(),
  Number: text,
  Name: text,
  Type: text,
});
export const PEER_SELECT = 'Id,Number,Name,Type';

export const ThreeCxContactSchema = z.object({
  Id: id,
  FirstName: text,
  LastName: text,
  CompanyName: text,
  Title: text,
  Email: text,
  Business: text,
  Business2: text,
  PhoneNumber: text,
  Home: text,
});
export type ThreeCxContact = z.infer<typeof ThreeCxContactSchema>;
export const CONTACT_SELECT = 'Id,FirstName,LastName,CompanyName,Title,Email,Business,Business2,PhoneNumber,Home';

/** An OData collection page. */
export const collectionSchema = <T extends z.ZodType>(item: T) => z.object({ value: z.array(item) });

/** The readiness probe's answers (only the fields it reads). */
export const SystemStatusSchema = z.object({ Version: z.string().nullish() });
export const LicenseSchema = z.object({ IsEnterprise: z.boolean().nullish() });
export const SystemParametersSchema = z.object({ ENL: z.number().int().nullish() });
export const Microsoft365IntegrationSchema = z.object({
  AdUsers: z.object({ IsEnabled: z.boolean().nullish(), SyncType: z.string().nullish() }).nullish(),
});

/** The OData error envelope; every part optional because 3CX's auth middleware answers 401 with no body at all. */
export const ErrorEnvelopeSchema = z.object({
  error: z.object({
    code: z.string().nullish(),
    message: z.string().nullish(),
    target: z.string().nullish(),
    details: z.array(z.object({ code: z.string().nullish(), message: z.string().nullish(), target: z.string().nullish() })).nullish(),
  }),
});

/** `/connect/token` failures: the OAuth shape `{error, error_description}`. */
export const TokenErrorSchema = z.object({ error: z.string() });
