import { z } from 'zod';
import { guid } from '../../config/guid';

/** A user reference in INCLUDE / EXCLUDE lists: an Entra object id or a user principal name. */
const userRef = z
  .string()
  .min(3)
  .max(256)
  .transform((s) => s.trim().toLowerCase());

export const UserScopeSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('ALL') }).strict(),
  z.object({ mode: z.literal('INCLUDE'), users: z.array(userRef).min(1).max(5000) }).strict(),
  z.object({ mode: z.literal('EXCLUDE'), users: z.array(userRef).min(1).max(5000) }).strict(),
  z
    .object({
      mode: z.literal('GROUPS'),
      groups: z
        .array(guid.transform((g) => g.toLowerCase()))
        .min(1)
        .max(100),
    })
    .strict(),
]);
export type UserScope = z.infer<typeof UserScopeSchema>;

/** A starting extension number: 3–13 digits, no leading zero. */
export const ExtensionStartSchema = z.string().regex(/^[1-9][0-9]{2,12}$/, 'must be 3-13 digits without a leading zero');

export const ExtensionPropertySchema = z.enum([
  'businessPhones',
  'mobilePhone',
  'employeeId',
  ...Array.from({ length: 15 }, (_, i) => `extensionAttribute${i + 1}` as const),
] as [string, ...string[]]);

/**
 * Days a number freed by a delete stays reserved before the connector gives it to anyone else (0 = reuse at
 * once), so a caller dialling a departed colleague does not reach the next hire.
 */
const quarantineDays = z.number().int().min(0).max(3650).default(30);

export const NumberingSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('fromStart'), start: ExtensionStartSchema, quarantineDays }).strict(),
  z
    .object({
      mode: z.literal('fromProperty'),
      property: ExtensionPropertySchema,
      /** Keep only the last N digits after normalising (e.g. 4 turns "+1 425 555 0101" into "0101"). */
      lastDigits: z.number().int().min(3).max(13).optional(),
      quarantineDays,
    })
    .strict(),
]);
export type Numbering = z.infer<typeof NumberingSchema>;

export const OutboundCallerIdSchema = z
  .object({
    property: ExtensionPropertySchema.exclude(['employeeId']),
    /** The PBX provider (trunk) id whose caller ID list gets the number. */
    providerId: z.string().min(1).max(128),
    /** ISO 3166-1 alpha-2 country for numbers written without a country code, e.g. "US", "DE". */
    defaultCountry: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code (e.g. "US")'),
  })
  .strict();
export type OutboundCallerIdOptions = z.infer<typeof OutboundCallerIdSchema>;

export const RemovalPolicySchema = z.enum(['delete', 'disable', 'retain']);
export type RemovalPolicy = z.infer<typeof RemovalPolicySchema>;

export const UserSyncOptionsSchema = z
  .object({
    enabled: z.boolean().default(true),
    syncGuests: z.boolean().default(false),
    scope: UserScopeSchema.default({ mode: 'ALL' }),
    numbering: NumberingSchema.default({ mode: 'fromStart', start: '1000', quarantineDays: 30 }),
    /** What happens to a linked extension when its user is disabled in Entra ID. */
    onDisabled: RemovalPolicySchema.default('disable'),
    /**
     * …when the user is deleted but still restorable (Entra keeps deleted users 30 days): by default the
     * extension stays, disabled, with its number, and a restored user gets it back enabled.
     */
    onSoftDeleted: RemovalPolicySchema.default('disable'),
    /** …when the user is deleted for good (permanently, or purged from deleted items). */
    onHardDeleted: RemovalPolicySchema.default('delete'),
    /** …when the user leaves the sync scope (list, group, guest setting). */
    onOutOfScope: RemovalPolicySchema.default('disable'),
    /** Link an existing, unlinked PBX extension with the same email instead of creating a second one. */
    adoptByEmail: z.boolean().default(false),
    /**
     * The user's office (or other) phone as the extension's outbound caller ID on one PBX provider (trunk),
     * normalised to E.164; numbers without a country code take `defaultCountry`. Off when absent.
     */
    outboundCallerId: OutboundCallerIdSchema.optional(),
    /**
     * Personal contacts and pictures are written as the user (PortSIP allows nothing else), with the portal
     * password the connector set when it created them. When that password stops working (the user changed it,
     * a reset is forced) or was never kept (users created before the connector kept them), this lets the
     * connector set a new one for users it created. The trade-off: the user's own portal password no longer
     * works, so they sign in to the PBX portal with Microsoft. Adopted users are never given a new password.
     */
    manageUserPasswords: z.boolean().default(false),
  })
  .strict();
export type UserSyncOptions = z.infer<typeof UserSyncOptionsSchema>;
