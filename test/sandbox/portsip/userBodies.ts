import { z } from 'zod';

const phone = z.string().max(32).nullable().optional();
const text128 = z.string().max(128).nullable().optional();
const email = z.string().max(128).regex(/^[^\s@]+@[^\s@]+$/, 'must be an email address');
const contactFields = { mobile_phone: phone, work_phone: phone, home_phone: phone, address: text128, department: text128 };

/** POST /api/users — the spec's required fields and limits (display_name ≤128 as of v22.6). Unknown fields are ignored. */
export const CreateUserBody = z.object({
  name: z.string().min(1).max(64).regex(/^[A-Za-z0-9_\-'.]+$/, "only letters, digits and _ - ' .").refine((n) => !n.startsWith('.') && !n.endsWith('.'), 'must not start or end with a period'),
  password: z.string(),
  email,
  display_name: z.string().min(1).max(128),
  role: z.string().min(1).max(64),
  extension_number: z.string().regex(/^[0-9]{3,64}$/, 'must be 3-64 digits'),
  extension_password: z.string().min(1),
  voicemail_pin: z.string(),
  enabled: z.boolean().optional(),
  ...contactFields,
});

const IMMUTABLE = ['name', 'password', 'role', 'extension_number', 'extension_password'];

/** POST /api/users/{id} — a merge: missing fields stay, "" or null clears. Immutable fields are refused. */
export const UpdateUserBody = z
  .object({
    email: email.optional(),
    display_name: z.string().min(1).max(128).optional(),
    enabled: z.boolean().optional(),
    ...contactFields,
  })
  .passthrough()
  .superRefine((body, ctx) => {
    for (const key of IMMUTABLE) if (key in body) ctx.addIssue({ code: 'custom', path: [key], message: `${key} cannot be changed` });
  });

export const SignInBody = z.object({ username: z.string().min(1).max(64), password: z.string(), domain: z.string().max(280).optional() });
export const RefreshBody = z.object({ refresh_token: z.string().min(1) });
export const BindingBody = z.object({ id: z.string().min(1) });
