import { type HttpRequest } from '@azure/functions';
import { randomBytes } from 'node:crypto';
import { isInAllowedGroup, parseAppServicePrincipal } from './appServicePrincipal';
import { type ConsoleSettings } from './consoleSettings';
import {
  SESSION_LIFETIME_MS,
  checkCsrfToken,
  csrfTokenFor,
  newSession,
  readCookie,
  sameSecret,
  sessionCookie,
  signSession,
  verifySession,
} from './consoleSession';

/** Every console route lives below this path (Functions' route prefix `api`, as the admin API). */
export const CONSOLE_PATH = '/api/console';
export const SESSION_COOKIE = 'console_session';
/** The sign-in form's pre-session: binds the form's CSRF token to this browser before anyone is signed in. */
export const SIGN_IN_COOKIE = 'console_signin';
const SIGN_IN_FORM_LIFETIME_S = 30 * 60;

/** Who is asking, as far as the console is concerned. */
export type ConsoleVisitor =
  | { kind: 'operator'; user: string; csrfToken: string; csrfBinding: string; sessionId?: string; signOut: 'form' | 'appService' }
  /** Must sign in first (no session, or it expired, was signed out or tampered with). */
  | { kind: 'stranger' }
  /** Signed in by App Service but not allowed (not in CONSOLE_ALLOWED_GROUP). */
  | { kind: 'refused'; user: string }
  /** The console has no way in configured (Azure without CONSOLE_AUTH=appService). */
  | { kind: 'closed' };

/** Whether the request reached the app over https (directly, or per the front end's X-Forwarded-Proto). */
export function cameOverHttps(request: HttpRequest): boolean {
  const forwarded = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  return new URL(request.url).protocol === 'https:' || forwarded === 'https';
}

/**
 * Why a POST must be refused as coming from another site, or undefined: an `Origin` other than this app's
 * (including `null`), or `Sec-Fetch-Site` cross-site / same-site. A request with neither (curl) still needs
 * the CSRF token.
 */
export function foreignPostReason(request: HttpRequest): string | undefined {
  const own = new URL(request.url);
  const owns = [own.origin.toLowerCase()];
  if (cameOverHttps(request)) owns.push(`https://${own.host}`.toLowerCase());
  const origin = request.headers.get('origin');
  if (origin !== null && !owns.includes(origin.toLowerCase())) return `a form of another origin (${origin.slice(0, 100)})`;
  const site = request.headers.get('sec-fetch-site');
  if (site !== null && site !== 'same-origin' && site !== 'none') return `a ${site.slice(0, 20)} request`;
  return undefined;
}

/**
 * The console's sign-in and sessions, per process: which visitor a request is, the cookies that sign one in
 * and out, and the CSRF tokens of their forms. Sessions live in signed cookies; signing out also remembers the
 * session id here until it would have expired, so a copied cookie stops working at once (in this process).
 */
export class ConsoleGate {
  private readonly signedOut = new Map<string, number>();

  constructor(readonly settings: ConsoleSettings) {}

  identify(request: HttpRequest, now: number): ConsoleVisitor {
    const { signIn, sessionKey } = this.settings;
    if (signIn.kind === 'none') return { kind: 'closed' };
    if (signIn.kind === 'appService') {
      const principal = parseAppServicePrincipal(request.headers.get('x-ms-client-principal'));
      if (!principal) return { kind: 'stranger' };
      if (!isInAllowedGroup(principal, signIn.allowedGroup)) return { kind: 'refused', user: principal.name };
      const csrfBinding = `principal.${principal.id}`;
      return {
        kind: 'operator',
        user: principal.name,
        csrfBinding,
        csrfToken: csrfTokenFor(csrfBinding, sessionKey),
        signOut: 'appService',
      };
    }
    const session = verifySession(readCookie(request.headers.get('cookie'), SESSION_COOKIE), sessionKey, now);
    if (!session || this.isSignedOut(session.sessionId, now)) return { kind: 'stranger' };
    const csrfBinding = `session.${session.sessionId}`;
    return {
      kind: 'operator',
      user: session.user,
      sessionId: session.sessionId,
      csrfBinding,
      csrfToken: csrfTokenFor(csrfBinding, sessionKey),
      signOut: 'form',
    };
  }

  /** Whether a POST's `csrf` field is the visitor's token (constant time). */
  checkCsrf(visitor: ConsoleVisitor & { kind: 'operator' }, given: string | null): boolean {
    return checkCsrfToken(given, visitor.csrfBinding, this.settings.sessionKey);
  }

  /** The sign-in form's token and the cookie that binds it to this browser (reusing the browser's pre-session if it has one). */
  signInForm(request: HttpRequest): { csrfToken: string; setCookie?: string } {
    const existing = readCookie(request.headers.get('cookie'), SIGN_IN_COOKIE);
    const preSession = existing && /^[A-Za-z0-9_-]{22}$/.test(existing) ? existing : randomBytes(16).toString('base64url');
    const csrfToken = csrfTokenFor(`signin.${preSession}`, this.settings.sessionKey);
    if (preSession === existing) return { csrfToken };
    const setCookie = sessionCookie(SIGN_IN_COOKIE, preSession, {
      path: CONSOLE_PATH,
      secure: cameOverHttps(request),
      maxAgeSeconds: SIGN_IN_FORM_LIFETIME_S,
    });
    return { csrfToken, setCookie };
  }

  /** Whether the sign-in form was posted from the form this browser was given. */
  checkSignInCsrf(request: HttpRequest, given: string | null): boolean {
    const preSession = readCookie(request.headers.get('cookie'), SIGN_IN_COOKIE);
    if (!preSession) return false;
    return checkCsrfToken(given, `signin.${preSession}`, this.settings.sessionKey);
  }

  /** Whether the key is the admin key (constant time); with the key off (LOCAL_ADMIN_KEY=off) anyone on the machine is let in. */
  isAdminKey(given: string | null): boolean {
    const { signIn } = this.settings;
    if (signIn.kind !== 'adminKey') return false;
    if (signIn.adminKey === 'off') return true;
    return sameSecret(given ?? '', signIn.adminKey);
  }

  /** The Set-Cookie of a new session for `user`. */
  startSession(request: HttpRequest, user: string, now: number): string {
    const session = newSession(user, now);
    return sessionCookie(SESSION_COOKIE, signSession(session, this.settings.sessionKey), {
      path: CONSOLE_PATH,
      secure: cameOverHttps(request),
      maxAgeSeconds: SESSION_LIFETIME_MS / 1000,
    });
  }

  /** Forgets the session and answers the Set-Cookie that removes it from the browser. */
  endSession(request: HttpRequest, sessionId: string | undefined, now: number): string {
    if (sessionId) this.signedOut.set(sessionId, now + SESSION_LIFETIME_MS);
    for (const [id, until] of this.signedOut) if (until <= now) this.signedOut.delete(id);
    return sessionCookie(SESSION_COOKIE, '', { path: CONSOLE_PATH, secure: cameOverHttps(request), maxAgeSeconds: 0 });
  }

  private isSignedOut(sessionId: string, now: number): boolean {
    const until = this.signedOut.get(sessionId);
    return until !== undefined && until > now;
  }
}
