import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { AppError } from '../../core/errors/AppError';
import { type TokenBucketRateLimiter } from '../../core/http/TokenBucketRateLimiter';
import { retryDelay } from '../../core/http/retryDelay';
import { withSpan } from '../../platform/telemetry/tracing';

export type ThreeCxMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface ThreeCxRequest {
  method: ThreeCxMethod;
  /** Path from the origin, with its query: `/xapi/v1/Users?$select=…` or `/connect/token`. */
  path: string;
  headers: Record<string, string>;
  /** Already serialised (JSON, or the token request's form). */
  body?: string;
}

/** An HTTP answer: the status, the body (parsed JSON, else text, else undefined), the Retry-After header. */
export interface ThreeCxAnswer {
  status: number;
  body: unknown;
  retryAfter: string | null;
}

export interface ThreeCxExchangeOptions {
  /** scheme://host[:port] of the PBX. */
  origin: string;
  limiter: TokenBucketRateLimiter;
  fetch: typeof fetch;
  maxRetries: number;
  timeoutMs: number;
}

type Outcome = ThreeCxAnswer | { failure: unknown };

/**
 * What is retried here. A 500 is not: on 3CX it is mostly a deterministic failure (some `$filter`s on some
 * builds), and it comes back as TRANSIENT so the job, not this request, is retried later.
 */
const isRetryableStatus = (status: number) => status === 429 || status === 502 || status === 503 || status === 504;

const pathOnly = (path: string) => path.split('?')[0]!;

function describeFailure(failure: unknown, timeoutMs: number): string {
  if (failure instanceof Error && failure.name === 'TimeoutError') return `no answer within ${timeoutMs / 1000} s`;
  const cause = failure instanceof Error ? (failure.cause as { code?: unknown } | undefined) : undefined;
  const message = failure instanceof Error ? failure.message : String(failure);
  return typeof cause?.code === 'string' ? `${message} (${cause.code})` : message;
}

function parseBody(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * One HTTP exchange with the PBX: paced by the rate limiter (request starts per minute and requests in
 * flight), retried on 429, 502, 503, 504 and network failures up to `maxRetries` times with backoff, honouring
 * Retry-After (seconds or an HTTP date; a 429 also holds every other request of this connection for that
 * long). Other statuses come back as they are. Retrying a write is safe: PATCH and DELETE are idempotent, and
 * a POST /Users whose first answer was lost comes back ALREADY_IN_USE (CONFLICT), which the sync engine
 * resolves with findNumberOwner. Neither headers nor bodies are ever recorded (they carry the client secret,
 * the token, and in user reads the SIP secrets).
 */
export class ThreeCxExchange {
  private sent = 0;
  private readonly serverAddress: string;

  constructor(private readonly options: ThreeCxExchangeOptions) {
    this.serverAddress = new URL(options.origin).host;
  }

  /** HTTP requests sent so far, token requests and retries included. */
  requestCount(): number {
    return this.sent;
  }

  async send(request: ThreeCxRequest): Promise<ThreeCxAnswer> {
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await this.once(request);
      if ('status' in outcome && !isRetryableStatus(outcome.status)) return outcome;
      if (attempt > this.options.maxRetries) {
        if ('status' in outcome) return outcome;
        throw new AppError(
          'TRANSIENT',
          `3CX ${request.method} ${pathOnly(request.path)} failed after ${attempt} attempts: ` +
            describeFailure(outcome.failure, this.options.timeoutMs),
        );
      }
      const delay = retryDelay(attempt, 'status' in outcome ? outcome.retryAfter : null);
      if ('status' in outcome && outcome.status === 429) this.options.limiter.pauseFor(delay);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  private async once(request: ThreeCxRequest): Promise<Outcome> {
    await this.options.limiter.acquire();
    try {
      this.sent += 1;
      // fetch (undici) is not auto-instrumented: one client span per exchange, path without its query string.
      const attributes = {
        'http.request.method': request.method,
        'url.path': pathOnly(request.path),
        'server.address': this.serverAddress,
      };
      return await withSpan('pbx request', { kind: SpanKind.CLIENT, attributes }, async (span) => {
        const answer = await this.request(request);
        span.setAttribute('http.response.status_code', answer.status);
        if (answer.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR, message: `3CX answered ${answer.status}` });
        return answer;
      });
    } catch (failure) {
      if (failure instanceof AppError) throw failure;
      return { failure };
    } finally {
      this.options.limiter.release();
    }
  }

  private async request(request: ThreeCxRequest): Promise<ThreeCxAnswer> {
    const response = await this.options.fetch(`${this.options.origin}${request.path}`, {
      method: request.method,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      signal: AbortSignal.timeout(this.options.timeoutMs),
      // Never follow a redirect: it would re-send the client secret or the bearer token wherever it points.
      redirect: 'manual',
    });
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      throw new AppError(
        'CONFIG',
        `3CX ${request.method} ${pathOnly(request.path)} answered ${response.status} (a redirect); the connector follows no ` +
          'redirects, so set pbx.baseUrl to the URL the PBX serves XAPI on',
        { upstreamStatus: response.status },
      );
    }
    const text = await response.text();
    return { status: response.status, body: parseBody(text), retryAfter: response.headers.get('retry-after') };
  }
}
