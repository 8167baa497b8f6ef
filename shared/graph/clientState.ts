import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh clientState: 256 random bits, base64url (43 chars; Graph allows 128). */
export function newClientState(): string {
  return randomBytes(32).toString('base64url');
}

/** What the subscription table keeps instead of the clientState itself. */
export function clientStateHash(clientState: string): string {
  return createHash('sha256').update(clientState, 'utf8').digest('hex');
}

/**
 * Whether a notification's clientState is the subscription's, in constant time: both sides are compared
 * as fixed-length SHA-256 digests, so neither the length nor the content of a guess leaks through timing.
 */
export function clientStateMatches(received: string | null | undefined, expectedHash: string): boolean {
  const expected = Buffer.from(expectedHash, 'hex');
  const actual = createHash('sha256')
    .update(received ?? '', 'utf8')
    .digest();
  return expected.length === actual.length && timingSafeEqual(actual, expected) && typeof received === 'string';
}
