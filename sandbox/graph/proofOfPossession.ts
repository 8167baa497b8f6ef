import { z } from 'zod';
import { parseCompactJwt, verifyJwtSignature } from '../entra/compactJwt';
import { type ProofKey } from '../entra/EntraSandbox';

/** The `aud` of an addKey/removeKey proof: the Azure AD Graph application id, as Microsoft's docs require. */
export const PROOF_AUDIENCE = '00000002-0000-0000-c000-000000000000';
/** Longest proof lifetime (exp - nbf) Graph accepts. */
export const MAX_PROOF_LIFETIME_SECONDS = 600;

const ProofHeaderSchema = z.looseObject({ alg: z.literal('RS256'), x5t: z.string().optional() });
const ProofClaimsSchema = z.looseObject({ aud: z.string(), iss: z.string(), nbf: z.number(), exp: z.number() });

export type ProofResult = { ok: true; keyId: string } | { ok: false; reason: string };

/**
 * The proof of possession addKey and removeKey require: a JWT signed (RS256) with the private key of one of the
 * application's certificates that is valid now, aud = PROOF_AUDIENCE, iss = the application's OBJECT id, and
 * nbf..exp at most 10 minutes wide and containing now. With an `x5t` header the certificate it names is used,
 * else every valid one is tried; an app without a valid certificate cannot prove anything.
 */
export function checkProof(proof: string, expected: { objectId: string; keys: readonly ProofKey[]; now: number }): ProofResult {
  const jwt = parseCompactJwt(proof);
  if (!jwt) return { ok: false, reason: 'the proof is not a compact JWT' };
  const header = ProofHeaderSchema.safeParse(jwt.header);
  if (!header.success) return { ok: false, reason: 'the proof must be signed with RS256' };
  const claims = ProofClaimsSchema.safeParse(jwt.payload);
  if (!claims.success) return { ok: false, reason: 'the proof must carry aud, iss, nbf and exp' };
  const { aud, iss, nbf, exp } = claims.data;
  if (aud !== PROOF_AUDIENCE) return { ok: false, reason: `aud must be ${PROOF_AUDIENCE}` };
  if (iss !== expected.objectId) return { ok: false, reason: "iss must be the application's object id" };
  if (exp - nbf > MAX_PROOF_LIFETIME_SECONDS) return { ok: false, reason: 'exp may be at most 10 minutes after nbf' };
  const nowSeconds = expected.now / 1000;
  if (nbf > nowSeconds || exp <= nowSeconds) return { ok: false, reason: 'the proof is not within its valid time range' };

  const x5t = header.data.x5t;
  if (x5t !== undefined) {
    const key = expected.keys.find((k) => k.x5t === x5t);
    if (!key) return { ok: false, reason: 'the signing certificate is not registered on the application' };
    if (!key.validNow) return { ok: false, reason: 'the signing certificate is expired or not yet valid' };
    if (!verifyJwtSignature(jwt, 'RS256', key.publicKey)) return { ok: false, reason: 'the signature is invalid' };
    return { ok: true, keyId: key.keyId };
  }
  const valid = expected.keys.filter((k) => k.validNow);
  if (valid.length === 0) return { ok: false, reason: 'the application has no valid certificate to prove possession with' };
  const signer = valid.find((k) => verifyJwtSignature(jwt, 'RS256', k.publicKey));
  if (!signer) return { ok: false, reason: 'no valid certificate of the application verifies the signature' };
  return { ok: true, keyId: signer.keyId };
}
