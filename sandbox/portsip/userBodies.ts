import { z } from 'zod';
import { UserSettingsSchema } from './userSettings';

// Zod's own wording for a missing field ("expected string, received undefined") hides what happened.
const required = (iss: { input: unknown }) => (iss.input === undefined ? 'is required' : 'must be a string');
const requiredString = () => z.string({ error: required });

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const email = () => requiredString().max(128, 'must be at most 128 characters').regex(EMAIL_SHAPE, 'must be an email address');
// ≤128 and required since v22.6 (the v22.2 spec said ≤1024, optional); the sandbox follows the newer rule.
const displayName = () => requiredString().min(1, 'must not be empty').max(128, 'must be at most 128 characters');
const phone = z.string().max(32, 'must be at most 32 characters').nullish();
const text128 = z.string().max(128, 'must be at most 128 characters').nullish();

/** The contact fields an update may change and clear ("" or null). */
const contactFields = { mobile_phone: phone, work_phone: phone, home_phone: phone, address: text128, department: text128 };

/** POST /api/users: the spec's required fields and limits. Unknown fields are ignored, as a real API does. */
export const CreateUserBody = UserSettingsSchema.extend({
  name: requiredString()
    .min(1, 'must not be empty')
    .max(64, 'must be at most 64 characters')
    .regex(/^[A-Za-z0-9_\-'.]+$/, "may contain only letters, digits and _ - ' .")
    .refine((n) => !n.startsWith('.') && !n.endsWith('.'), 'must not start or end with a period'),
  password: requiredString(),
  email: email(),
  display_name: displayName(),
  role: requiredString().min(1, 'must not be empty').max(64, 'must be at most 64 characters'),
  extension_number: requiredString().regex(/^[0-9]{3,64}$/, 'must be 3-64 digits'),
  extension_password: requiredString().min(1, 'must not be empty'),
  voicemail_pin: requiredString(),
  enabled: z.boolean().nullish(),
  ...contactFields,
});
export type CreateUserBody = z.infer<typeof CreateUserBody>;

/** Fields POST /api/users/{id} refuses: they have their own endpoints or cannot change at all. */
export const IMMUTABLE_USER_FIELDS = ['name', 'password', 'role', 'extension_number', 'extension_password'] as const;

/** POST /api/users/{id}: every field optional (a merge). email and display_name are required, so not clearable. */
export const UpdateUserBody = UserSettingsSchema.extend({
  email: email().optional(),
  display_name: displayName().optional(),
  enabled: z.boolean().optional(),
  ...contactFields,
});
export type UpdateUserBody = z.infer<typeof UpdateUserBody>;

export const BindingBody = z.object({ id: requiredString().min(1, 'must not be empty') });

/** POST /api/users/{id}/password: the new portal password (checked against the tenant policy). */
export const PasswordBody = z.object({ password: requiredString().min(1, 'must not be empty') });
