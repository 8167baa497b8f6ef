import { createSelfSignedCertificate, type SelfSignedCertificate } from '../../shared/platform/certificates/selfSignedCertificate';

export const HOUR = 3600_000;

/** A fresh self-signed RSA certificate with its key, valid from a minute ago for a day unless told otherwise. */
export function testCertificate(
  subject: string,
  notBefore = Date.now() - 60_000,
  notAfter = Date.now() + 24 * HOUR,
): Promise<SelfSignedCertificate> {
  return createSelfSignedCertificate({ subject, notBefore: new Date(notBefore), notAfter: new Date(notAfter) });
}

/** The message a promise rejects with (a credential's refusal, say); no rejection fails the test. */
export async function failureMessageOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  throw new Error('expected a failure');
}
