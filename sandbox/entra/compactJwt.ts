import { constants, type KeyObject, verify } from 'node:crypto';

/** A compact JWS split into its parts; nothing in it is trusted until a signature check passes. */
export interface CompactJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** `base64url(header).base64url(payload)`: the bytes the signature covers. */
  signingInput: Buffer;
  signature: Buffer;
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

function jsonObject(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Splits `header.payload.signature`; undefined when it is not a well-formed compact JWS with JSON objects. */
export function parseCompactJwt(token: string): CompactJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((p) => BASE64URL.test(p))) return undefined;
  const [h, p, s] = parts as [string, string, string];
  const header = jsonObject(h);
  const payload = jsonObject(p);
  if (!header || !payload || s.length === 0) return undefined;
  return { header, payload, signingInput: Buffer.from(`${h}.${p}`, 'ascii'), signature: Buffer.from(s, 'base64url') };
}

/** The two algorithms Entra's clients use with certificates: RS256 (older MSAL, proofs) and PS256 (MSAL with x5t#S256). */
export type CertificateJwtAlgorithm = 'RS256' | 'PS256';

/** True when `key` (an RSA public key) verifies the JWT's signature under `alg`. Never throws. */
export function verifyJwtSignature(jwt: CompactJwt, alg: CertificateJwtAlgorithm, key: KeyObject): boolean {
  try {
    if (alg === 'RS256') return verify('sha256', jwt.signingInput, key, jwt.signature);
    // RFC 7518 §3.5: PSS with SHA-256, MGF1 SHA-256 and a salt as long as the digest.
    return verify(
      'sha256',
      jwt.signingInput,
      { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST },
      jwt.signature,
    );
  } catch {
    return false;
  }
}
