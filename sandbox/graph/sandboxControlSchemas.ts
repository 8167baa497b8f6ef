import { z } from 'zod';

const nullableString = z.string().max(256).nullable().optional();

/** A control-API user edit: the SandboxUser fields except id; null clears a field as Graph would report it. */
export const UserPatchSchema = z
  .object({
    displayName: nullableString,
    givenName: nullableString,
    surname: nullableString,
    mail: nullableString,
    userPrincipalName: z.string().min(3).max(256).optional(),
    mobilePhone: nullableString,
    businessPhones: z.array(z.string().max(64)).max(10).optional(),
    department: nullableString,
    jobTitle: nullableString,
    accountEnabled: z.boolean().optional(),
    userType: z.enum(['Member', 'Guest']).optional(),
    employeeId: nullableString,
    onPremisesExtensionAttributes: z
      .record(z.string().regex(/^extensionAttribute([1-9]|1[0-5])$/, 'must be extensionAttribute1..15'), z.string().max(1024).nullable())
      .optional(),
  })
  .strict();

export const NewUserSchema = UserPatchSchema.extend({ id: z.uuid().optional(), userPrincipalName: z.string().min(3).max(256) });

/** `POST /_sandbox/faults`: the same knobs as `GraphSandbox.faults`, for manual demos. */
export const FaultsSchema = z
  .object({
    throttleNext: z.int().min(1).max(10_000).optional(),
    retryAfterSeconds: z.int().min(0).max(3600).optional(),
    failNext: z.int().min(1).max(10_000).optional(),
    status: z.int().min(400).max(599).optional(),
    expireDeltaTokens: z.enum(['syncStateNotFound', 'gone']).optional(),
    latencyMs: z.int().min(0).max(60_000).optional(),
  })
  .strict()
  .refine((f) => Object.keys(f).length > 0, 'name at least one fault')
  .refine((f) => f.retryAfterSeconds === undefined || f.throttleNext !== undefined, {
    message: 'only applies with throttleNext',
    path: ['retryAfterSeconds'],
  })
  .refine((f) => f.status === undefined || f.failNext !== undefined, { message: 'only applies with failNext', path: ['status'] });

export type Faults = z.infer<typeof FaultsSchema>;

/** `POST /_sandbox/notifications/faults`: the same switches as `GraphSandbox.notifications`, each for the next N items. */
export const NotificationFaultsSchema = z
  .object({
    dropNext: z.int().min(1).max(10_000).optional(),
    duplicateNext: z.int().min(1).max(10_000).optional(),
    delayNext: z.int().min(1).max(10_000).optional(),
    delayMs: z.int().min(1).max(600_000).optional(),
    reorderNext: z.int().min(2).max(1000).optional(),
    forgeNext: z.int().min(1).max(10_000).optional(),
  })
  .strict()
  .refine((f) => Object.keys(f).length > 0, 'name at least one switch')
  .refine((f) => (f.delayNext === undefined) === (f.delayMs === undefined), {
    message: 'delayNext and delayMs go together',
    path: ['delayMs'],
  });

/** `POST /_sandbox/subscriptions/{id}/lifecycle`. */
export const LifecycleRequestSchema = z
  .object({
    event: z.enum(['reauthorizationRequired', 'subscriptionRemoved', 'missed']),
    tenantField: z.enum(['tenantId', 'organizationId']).optional(),
  })
  .strict();

/** A member id: a user's or a group's object id (the sandbox does not insist that it exists yet). */
const memberId = z.string().min(1).max(128);

/** A group's Graph properties as the control API takes them. */
const groupProperties = {
  displayName: z.string().min(1).max(256),
  // `Unified` makes a Microsoft 365 group, `DynamicMembership` a rule-based one.
  groupTypes: z
    .array(z.enum(['Unified', 'DynamicMembership']))
    .max(2)
    .optional(),
  securityEnabled: z.boolean().optional(),
  mailEnabled: z.boolean().optional(),
};

/** A control-API group edit: its Graph properties; at least one. */
export const GroupPatchSchema = z
  .object({ ...groupProperties, displayName: groupProperties.displayName.optional() })
  .strict()
  .refine((p) => Object.keys(p).length > 0, 'name at least one property');

/** `POST /_sandbox/groups`: without type properties, a security group. */
export const NewGroupSchema = z
  .object({ id: z.uuid().optional(), ...groupProperties, memberIds: z.array(memberId).max(10_000).optional() })
  .strict();

/** `POST /_sandbox/groups/{id}/members`: one member to add. */
export const GroupMemberSchema = z.object({ id: memberId }).strict();

/** `PUT /_sandbox/groups/{id}/members`: the whole member list. */
export const GroupMembersSchema = z.object({ memberIds: z.array(memberId).max(10_000) }).strict();
