import { z } from 'zod';

const optionalString = z.string().nullish();

const ExtensionAttributesSchema = z
  .object(Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`extensionAttribute${i + 1}`, optionalString])))
  .partial()
  .passthrough()
  .nullish();

/** The user properties the connector reads (also the `$select` list). */
export const USER_SELECT = [
  'id',
  'displayName',
  'givenName',
  'surname',
  'mail',
  'userPrincipalName',
  'mobilePhone',
  'businessPhones',
  'department',
  'jobTitle',
  'accountEnabled',
  'userType',
  'employeeId',
  'onPremisesExtensionAttributes',
] as const;

/** A user as Graph returns it (from /users/delta or /users/{id}); unknown properties pass through. */
export const GraphUserSchema = z
  .object({
    id: z.string().min(1),
    displayName: optionalString,
    givenName: optionalString,
    surname: optionalString,
    mail: optionalString,
    userPrincipalName: optionalString,
    mobilePhone: optionalString,
    businessPhones: z.array(z.string()).nullish(),
    department: optionalString,
    jobTitle: optionalString,
    accountEnabled: z.boolean().nullish(),
    userType: optionalString,
    employeeId: optionalString,
    onPremisesExtensionAttributes: ExtensionAttributesSchema,
  })
  .passthrough();
export type GraphUser = z.infer<typeof GraphUserSchema>;

export const RemovedReasonSchema = z.enum(['changed', 'deleted']);

export interface RemovedUser {
  id: string;
  /** `changed` = soft-deleted (restorable), `deleted` = permanently gone. */
  reason: z.infer<typeof RemovedReasonSchema>;
}

/** One page of a users delta round. Exactly one of nextLink / deltaLink is set. */
export interface UsersDeltaPage {
  users: GraphUser[];
  removed: RemovedUser[];
  nextLink?: string;
  deltaLink?: string;
}
