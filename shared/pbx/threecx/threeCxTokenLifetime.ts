import { type TokenAnswer } from './threeCxSchemas';
import { isThreeCxVersionAtLeast } from './threeCxVersion';

/** 3CX's documented lifetime ("60 minutes"), used when an answer gives neither a JWT `exp` nor `expires_in`. */
const DEFAULT_LIFETIME_MS = 60 * 60_000;

/** The `exp` claim of a JWT in ms since the epoch, or undefined when the token is not a JWT with one. */
export function jwtExpiryMs(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (token.split('.').length !== 3 || !payload) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const exp = claims && typeof claims === 'object' ? (claims as { exp?: unknown }).exp : undefined;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * How long a new token lives, in ms from `now`. The token's own `exp` wins (it is what 3CX checks). Else
 * `expires_in`: seconds since 20.0.9, MINUTES before; a value ≤ 120 is read as minutes only when the PBX is
 * known to be older than 20.0.9. While the version is still unknown (the probe's own first token), seconds:
 * the shorter reading, so at worst a token is renewed early, never used after it expired.
 */
export function threeCxTokenLifetimeMs(answer: TokenAnswer, pbxVersion: string | undefined, now: number): number {
  const exp = jwtExpiryMs(answer.access_token);
  if (exp !== undefined && exp > now) return exp - now;
  const expiresIn = answer.expires_in;
  if (expiresIn === undefined || expiresIn === null) return DEFAULT_LIFETIME_MS;
  const olderThan209 = pbxVersion !== undefined && isThreeCxVersionAtLeast(pbxVersion, '20.0.9') === false;
  return olderThan209 && expiresIn <= 120 ? expiresIn * 60_000 : expiresIn * 1000;
}
