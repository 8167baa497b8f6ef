import { z } from 'zod';

const str = z.string().nullish().transform((v) => v ?? '');

export const TokenResponseSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.number().int().positive(),
  token_type: z.string().optional(),
});

export const TwoFactorResponseSchema = z.object({ two_factor_enabled: z.literal(true) });

export const PortSipUserSchema = z
  .object({
    id: z.string().min(1),
    name: z.string(),
    email: str,
    display_name: str,
    enabled: z.boolean().nullish().transform((v) => v ?? true),
    extension_number: z.string(),
    mobile_phone: str,
    work_phone: str,
    department: str,
  })
  .passthrough();
export type PortSipUser = z.infer<typeof PortSipUserSchema>;

export const ListPageSchema = <T extends z.ZodTypeAny>(item: T) => z.object({ count: z.number().int().min(0).optional(), items: z.array(item) });

export const NumberHolderSchema = z.object({ extension_number: z.string().nullish() }).passthrough();

export const CreatedSchema = z.object({ id: z.string().min(1) });

export const NumberOwnerSchema = z.object({
  id: z.string().min(1),
  extension_number: z.string(),
  name: z.string().nullish().transform((v) => v ?? ''),
  type: z.string(),
});

export const PasswordPolicySchema = z.object({
  min_length: z.number().int().default(6),
  max_length: z.number().int().default(32),
  contains_letters: z.boolean().default(true),
  contains_numbers: z.boolean().default(true),
  contains_special_letters: z.boolean().default(true),
  disable_sequential_characters: z.boolean().default(true),
  disable_repeating_characters: z.boolean().default(true),
  disable_account_information: z.boolean().default(true),
});
export type PasswordPolicy = z.infer<typeof PasswordPolicySchema>;

export const ErrorBodySchema = z.object({ errors: z.array(z.object({ code: z.string(), message: z.string().optional(), detail: z.unknown().optional() })).min(1) });
