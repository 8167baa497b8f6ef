import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  SESSION_LIFETIME_MS,
  checkCsrfToken,
  csrfTokenFor,
  newSession,
  readCookie,
  sessionCookie,
  signSession,
  verifySession,
} from '../../../shared/console/consoleSession';

const key = randomBytes(32);
const now = Date.parse('2026-12-01T08:00:00Z');

describe('console session cookies', () => {
  it('verifies a cookie it signed: same session, user and expiry (8 hours)', () => {
    const session = newSession('local admin', now);
    expect(session.expiresAt - now).toBe(SESSION_LIFETIME_MS);
    expect(SESSION_LIFETIME_MS).toBe(8 * 3600 * 1000);
    expect(verifySession(signSession(session, key), key, now + 1000)).toEqual(session);
  });

  it('refuses a tampered cookie: another user, another expiry, another signature, another key', () => {
    const value = signSession(newSession('alice', now), key);
    const [v, id, expiry, user, mac] = value.split('.') as [string, string, string, string, string];
    const forged = (parts: string[]) => verifySession(parts.join('.'), key, now);
    expect(forged([v, id, expiry, Buffer.from('mallory').toString('base64url'), mac])).toBeUndefined();
    expect(forged([v, id, String(Number(expiry) + 86_400_000), user, mac])).toBeUndefined();
    expect(forged([v, id, expiry, user, `${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`])).toBeUndefined();
    expect(verifySession(value, randomBytes(32), now)).toBeUndefined();
    expect(verifySession('garbage', key, now)).toBeUndefined();
    expect(verifySession(undefined, key, now)).toBeUndefined();
  });

  it('refuses an expired cookie', () => {
    const session = newSession('alice', now);
    expect(verifySession(signSession(session, key), key, session.expiresAt)).toBeUndefined();
    expect(verifySession(signSession(session, key), key, session.expiresAt - 1)).toBeDefined();
  });

  it('writes HttpOnly, SameSite=Strict cookies on the console path, Secure only over https', () => {
    const plain = sessionCookie('console_session', 'v', { path: '/api/console', secure: false, maxAgeSeconds: 28_800 });
    expect(plain).toBe('console_session=v; Path=/api/console; Max-Age=28800; HttpOnly; SameSite=Strict');
    expect(sessionCookie('s', 'v', { path: '/p', secure: true, maxAgeSeconds: 0 })).toMatch(/; Secure$/);
  });

  it('reads one cookie out of a Cookie header', () => {
    expect(readCookie('a=1; console_session=x.y; b=2', 'console_session')).toBe('x.y');
    expect(readCookie('a=1', 'console_session')).toBeUndefined();
    expect(readCookie(null, 'console_session')).toBeUndefined();
  });
});

describe('CSRF tokens', () => {
  it('accepts the session’s own token, refuses a missing one, another session’s and another key’s', () => {
    const token = csrfTokenFor('session.abc', key);
    expect(checkCsrfToken(token, 'session.abc', key)).toBe(true);
    expect(checkCsrfToken(null, 'session.abc', key)).toBe(false);
    expect(checkCsrfToken('', 'session.abc', key)).toBe(false);
    expect(checkCsrfToken(csrfTokenFor('session.other', key), 'session.abc', key)).toBe(false);
    expect(checkCsrfToken(csrfTokenFor('session.abc', randomBytes(32)), 'session.abc', key)).toBe(false);
    expect(checkCsrfToken(`${token}x`, 'session.abc', key)).toBe(false);
  });
});
