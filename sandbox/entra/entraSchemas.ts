import { z } from 'zod';

export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * The token request's form. Every field is optional here so a missing one gets Entra's own message (AADSTS900144
 * names the parameter) rather than a schema dump; unknown fields (MSAL's client_info, x-client-*) pass.
 */
export const TokenFormSchema = z.looseObject({
  grant_type: z.string().max(100).optional(),
  client_id: z.string().max(200).optional(),
  scope: z.string().max(2000).optional(),
  client_secret: z.string().max(1000).optional(),
  client_assertion_type: z.string().max(200).optional(),
  client_assertion: z.string().max(32_000).optional(),
});
export type TokenForm = z.infer<typeof TokenFormSchema>;

/** The claims Entra requires in a client assertion (RFC 7523 §3); nbf is optional there, exp is not. */
export const AssertionClaimsSchema = z.looseObject({
  aud: z.union([z.string(), z.array(z.string())]),
  iss: z.string(),
  sub: z.string(),
  exp: z.number(),
  nbf: z.number().optional(),
  jti: z.string().optional(),
});

export const CertificateJwtHeaderSchema = z.looseObject({
  alg: z.enum(['RS256', 'PS256']),
  x5t: z.string().optional(),
  'x5t#S256': z.string().optional(),
});

/** `GET /{directoryId}/adminconsent`: the query an admin's browser brings. */
export const AdminConsentQuerySchema = z.object({
  client_id: z.string().min(1).max(200),
  redirect_uri: z.string().min(1).max(2000).optional(),
  state: z.string().max(2000).optional(),
  scope: z.string().max(2000).optional(),
});
