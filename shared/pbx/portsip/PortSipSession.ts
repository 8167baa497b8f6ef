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
  send(method: PortSipMethod, path: string, body?: unknown): Promise<PortSipAnswer>;
}

/** Refresh this long before expiry: a minute, or a tenth of a short lifetime. */
const refreshMarginMs = (lifetimeMs: number) => Math.min(60_000, lifetimeMs / 10);
const isSuccess = (status: number) => status >= 200 && status < 300;

/**
 * A tenant admin's PortSIP session: signs in, refreshes the access token shortly before `expires_in` runs
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
    return this.accept(await this.signIn());
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
    // Messages name the tenant domain, never the service account's user name (nor, of course, its password).
    const who = `the service account of ${domain}`;
    if (isSuccess(answer.status)) {
      if (TwoFactorAnswerSchema.safeParse(answer.body).success) {
        throw new AppError(
          'UNAUTHORIZED',
          `PortSIP asks ${who} for two-factor authentication; the connector signs in ` +
            `unattended, so turn two-factor authentication off for this service account`,
          { upstreamStatus: answer.status, upstreamCode: 'TWO_FACTOR_ENABLED' },
        );
      }
      return parsePortSipBody(TokenAnswerSchema, answer.body, 'POST /api/auth/sign_in');
    }
    const failure = portSipErrorFor(answer.status, answer.body, `signing in to PortSIP as ${who}`, {
      secrets: [password, username],
      retryAfterMs: parseRetryAfter(answer.retryAfter),
    });
    if (failure.code === 'THROTTLED' || failure.code === 'TRANSIENT') throw failure;
    throw new AppError(
      'UNAUTHORIZED',
      `${failure.message}; check the service account's username, password, tenant domain and that it is an enabled tenant admin`,
      {
        upstreamStatus: failure.upstreamStatus,
        upstreamCode: failure.upstreamCode,
      },
    );
  }

  private accept(tokens: TokenAnswer): string {
    const lifetimeMs = tokens.expires_in * 1000;
    this.accessToken = tokens.access_token;
    this.refreshToken = tokens.refresh_token;
    this.refreshAt = this.now() + lifetimeMs - refreshMarginMs(lifetimeMs);
    return tokens.access_token;
  }
}
