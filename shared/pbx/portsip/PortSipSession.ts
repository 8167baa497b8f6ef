import { AppError } from '../../core/errors/AppError';
import { parseRetryAfter } from '../../core/http/parseRetryAfter';
import { parsePortSipBody } from './parsePortSipBody';
import { portSipErrorFor } from './portSipErrorFor';
import { type TokenAnswer, TokenAnswerSchema, TwoFactorAnswerSchema } from './portSipSchemas';
import type { PortSipMethod, PortSipAnswer } from './PortSipTransport';

export interface PortSipCredentials {
  username: string;
  password: string;
  /** The tenant's SIP domain: signing in with it makes this a tenant-admin session (docs/PORTSIP.md). */
  domain: string;
}

export interface PortSipSender {
  send(method: PortSipMethod, path: string, body?: unknown, token?: string): Promise<PortSipAnswer>;
}

/** PortSIP said no to the credentials: refused outright, or it asks for a one-time code (two-factor sign-in). */
export interface SignInRefusal {
  kind: 'rejected' | 'twoFactor';
  upstreamStatus: number;
  upstreamCode: string | undefined;
  /** The message the default refusal would carry (PortSIP's words without any secret). */
  message: string;
}

export interface PortSipSessionOptions {
  /**
   * Turns a refused sign-in into the error callers see; default: UNAUTHORIZED, asking to check the service
   * account (a user session reports why it cannot act as the user instead).
   */
  refused?: (refusal: SignInRefusal) => Error;
  /**
   * Runs once after each new sign-in (not after a refresh) with the new access token, before the session uses
   * it; throwing refuses the session (a user whom PortSIP asks to choose a new password first).
   */
  verify?: (accessToken: string) => Promise<void>;
  /** Names who signs in, in messages; default "the service account of <domain>" (never its user name). */
  who?: string;
}

/** The tenant admin's refused sign-in: UNAUTHORIZED, saying what to fix on the service account. */
function adminRefusal(refusal: SignInRefusal): AppError {
  const options = { upstreamStatus: refusal.upstreamStatus, upstreamCode: refusal.upstreamCode };
  if (refusal.kind === 'twoFactor')
    return new AppError(
      'UNAUTHORIZED',
      `${refusal.message}; the connector signs in unattended, so turn two-factor authentication off for this service account`,
      options,
    );
  return new AppError(
    'UNAUTHORIZED',
    `${refusal.message}; check the service account's username, password, tenant domain and that it is an enabled tenant admin`,
    options,
  );
}

/** Refresh this long before expiry: a minute, or a tenth of a short lifetime. */
const refreshMarginMs = (lifetimeMs: number) => Math.min(60_000, lifetimeMs / 10);
const isSuccess = (status: number) => status >= 200 && status < 300;

/**
 * A PortSIP session, the tenant admin's (the default) or a user's (PortSipUserSessions): signs in, refreshes the access token shortly before `expires_in` runs
 * out (keeping the latest refresh token, and signing in afresh when a refresh fails), and shares one
 * in-flight sign-in or refresh between concurrent callers. Tokens and passwords never appear in errors.
 */
export class PortSipSession {
  private accessToken: string | undefined;
  private refreshToken: string | undefined;
  private refreshAt = 0;
  private pending: Promise<string> | undefined;

  constructor(
    private readonly credentials: PortSipCredentials,
    private readonly sender: PortSipSender,
    private readonly now: () => number = Date.now,
    private readonly options: PortSipSessionOptions = {},
  ) {}

  /** A usable access token (signing in or refreshing first when needed). */
  token(): Promise<string> {
    if (this.accessToken && this.now() < this.refreshAt) return Promise.resolve(this.accessToken);
    this.pending ??= this.renew().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** The PBX refused `rejected` (401): the next token() renews, unless another caller already did. */
  invalidate(rejected: string): void {
    if (this.accessToken === rejected) this.refreshAt = 0;
  }

  private async renew(): Promise<string> {
    if (this.refreshToken) {
      const refreshed = await this.refresh(this.refreshToken);
      if (refreshed) return this.accept(refreshed);
      this.refreshToken = undefined;
    }
    const tokens = await this.signIn();
    await this.options.verify?.(tokens.access_token);
    return this.accept(tokens);
  }

  /** The new tokens, or undefined when the refresh did not work (expired or revoked refresh token, outage…). */
  private async refresh(refreshToken: string): Promise<TokenAnswer | undefined> {
    try {
      const answer = await this.sender.send('POST', '/auth/refresh_token', { refresh_token: refreshToken });
      return isSuccess(answer.status) ? TokenAnswerSchema.parse(answer.body) : undefined;
    } catch {
      return undefined;
    }
  }

  private async signIn(): Promise<TokenAnswer> {
    const { username, password, domain } = this.credentials;
    const answer = await this.sender.send('POST', '/auth/sign_in', { username, password, domain });
    // Admin messages name the tenant domain, never the service account's user name (nor, of course, its password).
    const who = this.options.who ?? `the service account of ${domain}`;
    const refused = this.options.refused ?? adminRefusal;
    if (isSuccess(answer.status)) {
      if (TwoFactorAnswerSchema.safeParse(answer.body).success) {
        throw refused({
          kind: 'twoFactor',
          upstreamStatus: answer.status,
          upstreamCode: 'TWO_FACTOR_ENABLED',
          message: `PortSIP asks ${who} for two-factor authentication`,
        });
      }
      return parsePortSipBody(TokenAnswerSchema, answer.body, 'POST /api/auth/sign_in');
    }
    const failure = portSipErrorFor(answer.status, answer.body, `signing in to PortSIP as ${who}`, {
      secrets: this.options.who ? [password] : [password, username],
      retryAfterMs: parseRetryAfter(answer.retryAfter),
    });
    if (failure.code === 'THROTTLED' || failure.code === 'TRANSIENT') throw failure;
    throw refused({ kind: 'rejected', upstreamStatus: answer.status, upstreamCode: failure.upstreamCode, message: failure.message });
  }

  private accept(tokens: TokenAnswer): string {
    const lifetimeMs = tokens.expires_in * 1000;
    this.accessToken = tokens.access_token;
    this.refreshToken = tokens.refresh_token;
    this.refreshAt = this.now() + lifetimeMs - refreshMarginMs(lifetimeMs);
    return tokens.access_token;
  }
}
