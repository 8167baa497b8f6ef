import { AppError } from '../../core/errors/AppError';
import { parseRetryAfter } from '../../core/http/parseRetryAfter';
import { type ThreeCxExchange } from './ThreeCxExchange';
import { threeCxErrorFor } from './threeCxErrorFor';
import { TokenAnswerSchema, TokenErrorSchema } from './threeCxSchemas';
import { threeCxTokenLifetimeMs } from './threeCxTokenLifetime';

export interface ThreeCxClientCredentials {
  clientId: string;
  clientSecret: string;
}

/** Renew this long before expiry: a minute, or a tenth of a short lifetime. */
const refreshMarginMs = (lifetimeMs: number) => Math.min(60_000, lifetimeMs / 10);

/**
 * The API client's access token (client-credentials grant at `/connect/token`; 3CX issues no refresh token).
 * 3CX keeps ONE active token per API client, so this fetches at most one at a time: concurrent callers share
 * the fetch in flight (single flight), and the token is renewed a minute before its own expiry.
 * ⚠ Whether a new token revokes the old one is unknown; two connections (or two Function instances) on the
 * same API client may therefore log each other out, which shows as repeated 401s.
 */
export class ThreeCxTokens {
  private accessToken: string | undefined;
  private renewAt = 0;
  private pending: Promise<string> | undefined;

  constructor(
    private readonly credentials: ThreeCxClientCredentials,
    private readonly exchange: ThreeCxExchange,
    /** The PBX version once the readiness probe read it (decides the unit of `expires_in`). */
    private readonly pbxVersion: () => string | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /** A usable token, fetching one first when there is none or it is about to expire. */
  token(): Promise<string> {
    if (this.accessToken && this.now() < this.renewAt) return Promise.resolve(this.accessToken);
    this.pending ??= this.fetchToken().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** 3CX refused `rejected` (401): the next token() fetches a new one, unless another caller already did. */
  invalidate(rejected: string): void {
    if (this.accessToken === rejected) {
      this.accessToken = undefined;
      this.renewAt = 0;
    }
  }

  private async fetchToken(): Promise<string> {
    const { clientId, clientSecret } = this.credentials;
    const form = new URLSearchParams({ client_id: clientId, client_secret: clientSecret, grant_type: 'client_credentials' });
    const answer = await this.exchange.send({
      method: 'POST',
      path: '/connect/token',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    const what = `getting a 3CX access token for API client ${clientId}`;
    if (answer.status >= 200 && answer.status < 300) {
      const parsed = TokenAnswerSchema.safeParse(answer.body);
      if (!parsed.success)
        throw new AppError('INTERNAL', `${what}: 3CX's answer has no access_token; check that pbx.baseUrl is the 3CX server`);
      const lifetimeMs = threeCxTokenLifetimeMs(parsed.data, this.pbxVersion(), this.now());
      this.accessToken = parsed.data.access_token;
      this.renewAt = this.now() + lifetimeMs - refreshMarginMs(lifetimeMs);
      return parsed.data.access_token;
    }
    const failure = threeCxErrorFor(answer.status, answer.body, what, {
      secrets: [clientSecret],
      retryAfterMs: parseRetryAfter(answer.retryAfter),
    });
    if (failure.code === 'THROTTLED' || failure.code === 'TRANSIENT') throw failure;
    // 400 invalid_client / 401: the OAuth error code is safe to show; its description is not repeated.
    const oauthError = TokenErrorSchema.safeParse(answer.body);
    const code = oauthError.success ? oauthError.data.error.replace(/[^\w.-]/g, '').slice(0, 40) : undefined;
    throw new AppError(
      'UNAUTHORIZED',
      `${what}: 3CX answered ${answer.status}${code ? ` ${code}` : ''}; check the 3CX API client id and secret ` +
        '(Admin → Integrations → API; the secret is shown once, so regenerate it if unsure)',
      { upstreamStatus: answer.status, upstreamCode: code },
    );
  }
}
