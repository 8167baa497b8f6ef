import { AppError } from '../../errors/AppError';
import { TokenResponseSchema, TwoFactorResponseSchema } from './portSipSchemas';

export interface PortSipCredentials {
  username: string;
  password: string;
  domain: string;
}

type Send = (path: string, body: unknown) => Promise<{ status: number; body: unknown }>;

/** Time left on a token at which we refresh it rather than risk a 401 mid-run. */
const REFRESH_MARGIN_MS = 60_000;

/**
 * A tenant admin's session: signs in, refreshes before expiry, and shares one in-flight sign-in or refresh
 * between concurrent callers. Tokens and passwords never appear in errors.
 */
export class PortSipSession {
  private accessToken?: string;
  private refreshToken?: string;
  private expiresAt = 0;
  private pending?: Promise<string>;

  constructor(private readonly credentials: PortSipCredentials, private readonly send: Send, private readonly now: () => number = () => Date.now()) {}

  async token(): Promise<string> {
    if (this.accessToken && this.now() < this.expiresAt - REFRESH_MARGIN_MS) return this.accessToken;
    this.pending ??= this.renew().finally(() => (this.pending = undefined));
    return this.pending;
  }

  /** Drops the access token after a 401 so the next call signs in again. */
  invalidate(rejected: string): void {
    if (this.accessToken === rejected) this.expiresAt = 0;
  }

  private async renew(): Promise<string> {
    if (this.refreshToken) {
      const refreshed = await this.send('/auth/refresh_token', { refresh_token: this.refreshToken });
      if (refreshed.status === 200 && this.accept(refreshed.body)) return this.accessToken!;
      this.refreshToken = undefined;
    }
    const { username, password, domain } = this.credentials;
    const answer = await this.send('/auth/sign_in', { username, password, domain });
    if (answer.status === 200 && TwoFactorResponseSchema.safeParse(answer.body).success) {
      throw new AppError('UNAUTHORIZED', `PortSIP sign-in for ${username}@${domain} asks for two-factor authentication; turn it off for the connector's service account`);
    }
    if (answer.status !== 200 || !this.accept(answer.body)) {
      if (answer.status >= 500 || answer.status === 429) throw new AppError('TRANSIENT', `PortSIP sign-in failed with ${answer.status}`, { upstreamStatus: answer.status });
      throw new AppError('UNAUTHORIZED', `PortSIP sign-in failed for ${username}@${domain} (${answer.status}); check the credential secret`, { upstreamStatus: answer.status });
    }
    return this.accessToken!;
  }

  private accept(body: unknown): boolean {
    const parsed = TokenResponseSchema.safeParse(body);
    if (!parsed.success) return false;
    this.accessToken = parsed.data.access_token;
    this.refreshToken = parsed.data.refresh_token;
    this.expiresAt = this.now() + parsed.data.expires_in * 1000;
    return true;
  }
}
