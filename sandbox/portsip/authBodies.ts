import { z } from 'zod';

/** POST /api/auth/sign_in; `domain` is required for tenant users, absent only for system admins. */
export const SignInBody = z.object({
  username: z.string().min(1).max(64),
  password: z.string(),
  domain: z.string().min(1).max(280).optional(),
});

export const RefreshBody = z.object({ refresh_token: z.string().min(1) });
