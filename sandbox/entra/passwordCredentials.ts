import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

/** A client secret: Entra shows the text once, at creation, and keeps only what it needs to check it. */
export interface StoredPassword {
  keyId: string;
  displayName: string | null;
  /** The first three characters, which Graph returns so an admin can tell secrets apart. */
  hint: string;
  startDateTime: string;
  endDateTime: string;
  sha256: Buffer;
}

/** A passwordCredential as Graph returns it after creation: `secretText` null. */
export interface PasswordCredentialView {
  customKeyIdentifier: null;
  displayName: string | null;
  endDateTime: string;
  hint: string;
  keyId: string;
  secretText: null;
  startDateTime: string;
}

/** A new secret shaped like Entra's (40 characters, `Q~` after the hint). */
export function newPassword(now: number, endDateTime: string, displayName: string | null): { stored: StoredPassword; secretText: string } {
  const body = randomBytes(30).toString('base64url').replace(/[-_]/g, 'x');
  const secretText = `${body.slice(0, 3)}8Q~${body.slice(3, 37)}`;
  return {
    secretText,
    stored: {
      keyId: randomUUID(),
      displayName,
      hint: secretText.slice(0, 3),
      startDateTime: new Date(now).toISOString(),
      endDateTime,
      sha256: createHash('sha256').update(secretText).digest(),
    },
  };
}

/** Constant-time comparison of hashes, so the sandbox does not teach a timing side channel by example. */
export function passwordMatches(password: StoredPassword, candidate: string): boolean {
  return timingSafeEqual(password.sha256, createHash('sha256').update(candidate).digest());
}

export function passwordCredentialView(password: StoredPassword): PasswordCredentialView {
  return {
    customKeyIdentifier: null,
    displayName: password.displayName,
    endDateTime: password.endDateTime,
    hint: password.hint,
    keyId: password.keyId,
    secretText: null,
    startDateTime: password.startDateTime,
  };
}
