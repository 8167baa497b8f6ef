import { randomBytes } from 'node:crypto';

export interface TokenAnswer {
  token_type: 'Bearer';
  access_token: string;
  refresh_token: string;
  expires_in: number;
}

/** Whose session a token is: the tenant admin's, or one user's (signed in with their portal password). */
export type SessionOwner = { kind: 'admin' } | { kind: 'user'; userId: string };

interface Session {
  readonly owner: SessionOwner;
  accessToken?: string | undefined;
  refreshToken?: string | undefined;
  expiresAt: number;
}

// Opaque, 48 characters, like the spec's samples.
const newToken = () => randomBytes(36).toString('base64url');

/**
 * Bearer tokens of the tenant admin and of signed-in users. Each refresh token works once: refreshing issues a
 * new pair and the old refresh token stops working (⚠ PortSIP does not say whether it rotates; rotating is the
 * stricter case and makes clients keep the latest). Refresh tokens do not expire (⚠ their lifetime is
 * undocumented).
 */
export class SessionTokens {
  private readonly byAccess = new Map<string, Session>();
  private readonly byRefresh = new Map<string, Session>();

  constructor(
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  issue(owner: SessionOwner = { kind: 'admin' }): TokenAnswer {
    this.forgetExpired();
    const session: Session = { owner, expiresAt: 0 };
    return this.renew(session);
  }

  /** A new pair for a refresh token not used before, or undefined. */
  refresh(refreshToken: string): TokenAnswer | undefined {
    const session = this.byRefresh.get(refreshToken);
    if (!session) return undefined;
    this.byRefresh.delete(refreshToken);
    if (session.accessToken) this.byAccess.delete(session.accessToken);
    return this.renew(session);
  }

  isValid(accessToken: string): boolean {
    return this.ownerOf(accessToken) !== undefined;
  }

  /** Whose session a live access token belongs to; undefined when unknown or expired. */
  ownerOf(accessToken: string): SessionOwner | undefined {
    const session = this.byAccess.get(accessToken);
    return session !== undefined && this.now() < session.expiresAt ? session.owner : undefined;
  }

  /** Ends the session of this access token: it and its refresh token stop working. */
  signOut(accessToken: string): void {
    const session = this.byAccess.get(accessToken);
    if (!session) return;
    this.byAccess.delete(accessToken);
    if (session.refreshToken) this.byRefresh.delete(session.refreshToken);
  }

  /** Ends every session of one user (their password changed, or the user was deleted). */
  signOutUser(userId: string): void {
    const isTheirs = (session: Session) => session.owner.kind === 'user' && session.owner.userId === userId;
    for (const [token, session] of this.byAccess) if (isTheirs(session)) this.byAccess.delete(token);
    for (const [token, session] of this.byRefresh) if (isTheirs(session)) this.byRefresh.delete(token);
  }

  /** Every access token issued so far stops working; refresh tokens still do. */
  expireAccessTokens(): void {
    for (const session of this.byAccess.values()) session.accessToken = undefined;
    this.byAccess.clear();
  }

  private renew(session: Session): TokenAnswer {
    const access = newToken();
    const refresh = newToken();
    session.accessToken = access;
    session.refreshToken = refresh;
    session.expiresAt = this.now() + this.ttlSeconds * 1000;
    this.byAccess.set(access, session);
    this.byRefresh.set(refresh, session);
    return { token_type: 'Bearer', access_token: access, refresh_token: refresh, expires_in: this.ttlSeconds };
  }

  // Long benchmark runs sign in again and again; expired access tokens need not stay in memory.
  private forgetExpired(): void {
    if (this.byAccess.size < 1024) return;
    const now = this.now();
    for (const [token, session] of this.byAccess) if (session.expiresAt <= now) this.byAccess.delete(token);
  }
}
