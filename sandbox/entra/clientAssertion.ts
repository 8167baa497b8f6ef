import { certificateIsValid, type StoredCertificate } from './certificateCredentials';
import { parseCompactJwt, verifyJwtSignature } from './compactJwt';
import { entraErrors } from './entraErrors';
import { AssertionClaimsSchema, CertificateJwtHeaderSchema } from './entraSchemas';

/** Leeway for a client clock slightly ahead of Entra's on nbf. */
const NOT_BEFORE_SKEW_SECONDS = 300;

export interface ClientAssertionCheck {
  assertion: string;
  clientId: string;
  /** The directory's token endpoint URL: the audience MSAL puts in the assertion. */
  tokenEndpoint: string;
  certificates: readonly StoredCertificate[];
  /** Certificate validity clock (the sandbox's `now`). */
  now: number;
  /** Assertion freshness clock (epoch ms; see EntraSandboxOptions.assertionClock). */
  assertionNow: number;
}

/**
 * A certificate client assertion (private_key_jwt) as Entra checks it: well-formed, iss = sub = client_id,
 * aud = the token endpoint, inside exp/nbf, signed (RS256 or PS256) by a certificate registered on the app and
 * valid now. The key is picked by `x5t#S256` or `x5t` when present, else every valid certificate is tried.
 * Throws EntraOAuthError; returns the keyId of the certificate that signed it and the header's shape.
 */
export function checkClientAssertion(check: ClientAssertionCheck): { keyId: string; format: string } {
  const jwt = parseCompactJwt(check.assertion);
  if (!jwt) throw entraErrors.malformedAssertion('The assertion is not a compact JWS.');
  const header = CertificateJwtHeaderSchema.safeParse(jwt.header);
  if (!header.success) throw entraErrors.malformedAssertion("The header's alg must be RS256 or PS256.");
  const claims = AssertionClaimsSchema.safeParse(jwt.payload);
  if (!claims.success) throw entraErrors.malformedAssertion('The assertion lacks aud, iss, sub or exp.');
  const { aud, iss, sub, exp, nbf } = claims.data;
  if (iss !== check.clientId || sub !== check.clientId) throw entraErrors.assertionIssuer();
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (!audiences.includes(check.tokenEndpoint)) throw entraErrors.assertionAudience(check.tokenEndpoint);
  const nowSeconds = check.assertionNow / 1000;
  if (exp <= nowSeconds || (nbf !== undefined && nbf > nowSeconds + NOT_BEFORE_SKEW_SECONDS)) throw entraErrors.assertionTime();

  const { alg } = header.data;
  // What the client sent, for tests that pin MSAL's format ('PS256 x5t#S256', 'RS256 x5t', ...).
  const format = [alg, ...['x5t', 'x5t#S256', 'x5c'].filter((h) => h in jwt.header)].join(' ');
  const sha256 = header.data['x5t#S256'];
  const sha1 = header.data.x5t;
  const named = sha256 ?? sha1;
  if (named !== undefined) {
    const certificate = check.certificates.find((c) => (sha256 !== undefined ? c.x5tS256 === sha256 : c.x5t === sha1));
    const thumbprint = Buffer.from(named, 'base64url').toString('hex').toUpperCase();
    if (!certificate) throw entraErrors.assertionSignature('The key was not found.', thumbprint);
    if (!certificateIsValid(certificate, check.now)) throw entraErrors.assertionSignature('The key used is expired.', thumbprint);
    if (!verifyJwtSignature(jwt, alg, certificate.publicKey)) throw entraErrors.assertionSignature('The signature is invalid.', thumbprint);
    return { keyId: certificate.keyId, format };
  }
  const valid = check.certificates.filter((c) => certificateIsValid(c, check.now));
  const signer = valid.find((c) => verifyJwtSignature(jwt, alg, c.publicKey));
  if (!signer) throw entraErrors.assertionSignature('The key was not found.', undefined);
  return { keyId: signer.keyId, format };
}
