import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { AppError } from '../core/errors/AppError';
import { type TokenBucketRateLimiter } from '../core/http/TokenBucketRateLimiter';
import { backOffBeforeRetry } from './backOffBeforeRetry';
import { parsePbxBody } from './parsePbxBody';
import { withSpan } from '../platform/telemetry/tracing';

export interface PbxHttpRequest {
  method: string;
  /** From the adapter's root, with its query: `/users?…`, `/xapi/v1/Users?$select=…`. */
  path: string;
  headers: Record<string, string>;
  /** Already serialised (JSON, or a token request's form). */
  body?: string;
}

/** An HTTP answer: the status, the body (parsed JSON, else text, else undefined), the Retry-After header. */
export interface PbxHttpAnswer {
  status: number;
  body: unknown;
  retryAfter: string | null;
}

export interface PacedPbxExchangeOptions {
  /** For messages and spans, e.g. "PortSIP". */
  product: string;
  /** Prepended to every path: the API root (PortSIP's `…/api`) or the PBX's origin (3CX). */
  root: string;
  /** How a path is named in messages and spans (PortSIP's paths are shown under `/api`). */
  displayPath(path: string): string;
  /** Which statuses are worth another try here (the rest come back as they are). */
  isRetryableStatus(status: number): boolean;
  limiter: TokenBucketRateLimiter;
  fetch: typeof fetch;
  maxRetries: number;
  timeoutMs: number;
}

type Outcome = PbxHttpAnswer | { failure: unknown };

function describeFailure(failure: unknown, timeoutMs: number): string {
  if (failure instanceof Error && failure.name === 'TimeoutError') return `no answer within ${timeoutMs / 1000} s`;
  const cause = failure instanceof Error ? (failure.cause as { code?: unknown } | undefined) : undefined;
  const message = failure instanceof Error ? failure.message : String(failure);
  return typeof cause?.code === 'string' ? `${message} (${cause.code})` : message;
}

/**
 * One HTTP exchange with a PBX, as every adapter needs it: paced by the rate limiter (request starts per minute
 * and requests in flight), retried on the product's retryable statuses and network failures up to `maxRetries`
 * times, honouring Retry-After (a 429 also holds every other request of the connection for that long). Other
 * statuses come back as they are. Redirects are never followed: one would re-send a credential or a bearer token
 * wherever it points. Neither headers nor bodies are recorded; each exchange is a client span named by its path
 * without the query.
 */
export class PacedPbxExchange {
  private sent = 0;
  private readonly serverAddress: string;

  constructor(private readonly options: PacedPbxExchangeOptions) {
    this.serverAddress = new URL(options.root).host;
  }

  /** HTTP requests sent so far, sign-ins, token requests and retries included. */
  requestCount(): number {
    return this.sent;
  }

  async send(request: PbxHttpRequest): Promise<PbxHttpAnswer> {
    const { product, maxRetries, timeoutMs, limiter } = this.options;
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await this.once(request);
      if ('status' in outcome && !this.options.isRetryableStatus(outcome.status)) return outcome;
      if (attempt > maxRetries) {
        if ('status' in outcome) return outcome;
        throw new AppError(
          'TRANSIENT',
          `${product} ${request.method} ${this.shown(request)} failed after ${attempt} attempts: ${describeFailure(outcome.failure, timeoutMs)}`,
        );
      }
      await backOffBeforeRetry(limiter, attempt, 'status' in outcome ? outcome : undefined);
    }
  }

  private shown(request: PbxHttpRequest): string {
    return this.options.displayPath(request.path.split('?')[0]!);
  }

  private async once(request: PbxHttpRequest): Promise<Outcome> {
    await this.options.limiter.acquire();
    try {
      this.sent += 1;
      // fetch (undici) is not auto-instrumented, so each exchange gets its own client span.
      const attributes = { 'http.request.method': request.method, 'url.path': this.shown(request), 'server.address': this.serverAddress };
      return await withSpan('pbx request', { kind: SpanKind.CLIENT, attributes }, async (span) => {
        const answer = await this.request(request);
        span.setAttribute('http.response.status_code', answer.status);
        if (answer.status >= 500)
          span.setStatus({ code: SpanStatusCode.ERROR, message: `${this.options.product} answered ${answer.status}` });
        return answer;
      });
    } catch (failure) {
      if (failure instanceof AppError) throw failure;
      return { failure };
    } finally {
      this.options.limiter.release();
    }
  }

  private async request(request: PbxHttpRequest): Promise<PbxHttpAnswer> {
    const response = await this.options.fetch(`${this.options.root}${request.path}`, {
      method: request.method,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      signal: AbortSignal.timeout(this.options.timeoutMs),
      redirect: 'manual',
    });
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      throw new AppError(
        'CONFIG',
        `${this.options.product} ${request.method} ${this.shown(request)} answered ${response.status} (a redirect); the connector ` +
          'follows no redirects, so set pbx.baseUrl to the URL the PBX serves its API on',
        { upstreamStatus: response.status },
      );
    }
    const text = await response.text();
    return { status: response.status, body: parsePbxBody(text), retryAfter: response.headers.get('retry-after') };
  }
}
