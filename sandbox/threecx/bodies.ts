import { z } from 'zod';
import { CONTACT_TEXT_FIELDS } from './contactFields';
import { badRequest, fieldWarning } from './XapiError';

const text = z.string().nullable().optional();

const USER_TAGS = ['MS', 'Teams', 'Google', 'WakeUp', 'FaxServer', 'Principal', 'WeakID', 'WeakPass', 'WM', 'AI'] as const;

/** Optional, nullable text for each name: how XAPI sends most properties, and all the sandbox reads as text. */
function textFields<const Name extends string>(names: readonly Name[]): Record<Name, typeof text> {
  return Object.fromEntries(names.map((name) => [name, text])) as Record<Name, typeof text>;
}

/** The Pbx.User fields the sandbox stores; every other spec property is accepted and ignored (3CX has hundreds). */
export const userBody = z.looseObject({
  Id: z.number().int().optional(),
  Number: z.string().optional(),
  ...textFields(['FirstName', 'LastName', 'DisplayName', 'EmailAddress', 'Mobile', 'OutboundCallerID', 'Language']),
  Enabled: z.boolean().optional(),
  PrimaryGroupId: z.number().int().optional(),
  Tags: z.array(z.enum(USER_TAGS)).optional(),
  Groups: z
    .array(z.looseObject({ GroupId: z.number().int(), Rights: z.looseObject({ RoleName: z.string().optional() }).optional() }))
    .optional(),
  ...textFields(['AuthID', 'AuthPassword', 'VMPIN', 'DeskphonePassword']),
});
export type UserBody = z.infer<typeof userBody>;

export const contactBody = z.looseObject({
  ...textFields(CONTACT_TEXT_FIELDS),
  Id: z.number().int().optional(),
  ContactType: z.enum(['3CX', 'CRM', 'Google', 'M365']).optional(),
});

/** ⚠ The spec names the parameter `ids`; a documentation copy spells it `Ids`. The sandbox takes either. */
export const batchDeleteBody = z.union([z.object({ ids: z.array(z.number().int()) }), z.object({ Ids: z.array(z.number().int()) })]);

/**
 * Validates a body against a schema and against the entity's property names. OData refuses a property the type
 * does not declare; a wrong type on a known one is reported as that field's warning (⚠ exact text unverified).
 */
export function parseBody<T>(schema: z.ZodType<T>, raw: unknown, properties?: ReadonlySet<string>, typeName = ''): T {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw badRequest('The request body must be a JSON object.');
  if (properties) {
    const unknown = Object.keys(raw).find((key) => !properties.has(key) && !key.startsWith('@odata.'));
    if (unknown)
      throw badRequest(
        `The property '${unknown}' does not exist on type '${typeName}'. Make sure to only use property names that are defined by the type.`,
      );
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw fieldWarning(issue.path.map(String).join('.') || 'body', 'WARNINGS.XAPI.INVALID');
  }
  return parsed.data;
}
