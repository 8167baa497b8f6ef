import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** How long a console sign-in lasts (a working day); then the key is asked for again. */
export const SESSION_LIFETIME_MS = 8 * 60 * 60 * 1000;

/** A signed-in operator: who, which session (for CSRF tokens and sign-out), until when. */
export interface ConsoleSession {
  sessionId: string;
  user: string;
  expiresAt: number;
}

const VERSION = 'v1';
const SESSION_ID = /^[A-Za-z0-9_-]{22,64}$/;

const mac = (key: Buffer, text: string) => createHmac('sha256', key).update(text, 'utf8').digest('base64url');
const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** Constant-time string comparison (SHA-256 digests first, so neither the content nor the length leaks). */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** A new session: 128 random bits of id. */
export function newSession(user: string, now: number): ConsoleSession {
  return { sessionId: randomBytes(16).toString('base64url'), user, expiresAt: now + SESSION_LIFETIME_MS };
}

/**
 * The cookie value: `v1.<session id>.<expiry ms>.<user, base64url>.<HMAC-SHA256 of the rest>`. Nothing in it is
 * secret (the user's name); the signature makes it unforgeable without the signing key.
 */
export function signSession(session: ConsoleSession, key: Buffer): string {
  const body = [VERSION, session.sessionId, String(session.expiresAt), Buffer.from(session.user, 'utf8').toString('base64url')].join('.');
  return `${body}.${mac(key, body)}`;
}

/** The session a cookie value carries, or undefined when it is malformed, tampered with, signed with another key, or expired. */
export function verifySession(value: string | undefined, key: Buffer, now: number): ConsoleSession | undefined {
  if (!value || value.length > 1024) return undefined;
  const parts = value.split('.');
  if (parts.length !== 5) return undefined;
  const [version, sessionId, expiry, user, signature] = parts as [string, string, string, string, string];
  if (!sameSecret(signature, mac(key, parts.slice(0, 4).join('.')))) return undefined;
  if (version !== VERSION || !SESSION_ID.test(sessionId) || !/^\d{1,15}$/.test(expiry)) return undefined;
  const expiresAt = Number(expiry);
  if (expiresAt <= now) return undefined;
  return { sessionId, user: Buffer.from(user, 'base64url').toString('utf8'), expiresAt };
}

/** The CSRF token of a session (or of a sign-in form's pre-session): derived, so nothing has to be stored. */
export function csrfTokenFor(binding: string, key: Buffer): string {
  return mac(key, `csrf.${binding}`);
}

/** Whether a form's token is the one its session expects; missing or wrong → false (constant time). */
export function checkCsrfToken(given: string | null | undefined, binding: string, key: Buffer): boolean {
  if (typeof given !== 'string' || given === '') return false;
  return sameSecret(given, csrfTokenFor(binding, key));
}

/** The value of one cookie in a Cookie header (the first, when repeated), or undefined. */
export function readCookie(header: string | null | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** A Set-Cookie value: HttpOnly, SameSite=Strict, on the console's path only; Secure when the request came over https. */
export function sessionCookie(name: string, value: string, options: { path: string; secure: boolean; maxAgeSeconds: number }): string {
  return [
    `${name}=${value}`,
    `Path=${options.path}`,
    `Max-Age=${options.maxAgeSeconds}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}
