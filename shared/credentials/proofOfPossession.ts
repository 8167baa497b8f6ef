import { createHash, createPrivateKey, randomUUID, sign } from 'node:crypto';

/** The audience Graph's addKey and removeKey require in the proof (the legacy Azure AD Graph resource id). */
export const PROOF_AUDIENCE = '00000002-0000-0000-c000-000000000000';
/** Graph accepts a proof whose exp is at most 10 minutes after its nbf; ours lives 5, with a minute back for clock skew. */
const PROOF_LIFETIME_SECONDS = 5 * 60;
const CLOCK_SKEW_SECONDS = 60;

const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/**
 * The proof-of-possession token Graph's application addKey / removeKey ask for: a JWT signed (RS256) with the
 * private key of a certificate the application already has, whose issuer is the application's OBJECT id.
 * `x5t` names the signing certificate so Graph checks one key, not all.
 */
export function signProofOfPossession(input: {
  privateKeyPem: string;
  certificateDer: Buffer;
  applicationObjectId: string;
  now: Date;
}): string {
  const issuedAt = Math.floor(input.now.getTime() / 1000);
  const header = { alg: 'RS256', typ: 'JWT', x5t: base64url(createHash('sha1').update(input.certificateDer).digest()) };
  const claims = {
    aud: PROOF_AUDIENCE,
    iss: input.applicationObjectId,
    nbf: issuedAt - CLOCK_SKEW_SECONDS,
    exp: issuedAt - CLOCK_SKEW_SECONDS + PROOF_LIFETIME_SECONDS,
    jti: randomUUID(),
  };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const signature = sign('sha256', Buffer.from(signingInput), createPrivateKey(input.privateKeyPem));
  return `${signingInput}.${base64url(signature)}`;
}
