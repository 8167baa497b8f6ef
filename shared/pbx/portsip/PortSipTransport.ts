import { AppError } from '../../core/errors/AppError';
import { type TokenBucketRateLimiter } from '../../core/http/TokenBucketRateLimiter';
import { retryDelay } from '../../core/http/retryDelay';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { withSpan } from '../../platform/telemetry/tracing';

export type PortSipMethod = 'GET' | 'POST';

/** An HTTP answer from PortSIP: the status, the body (parsed JSON, else text, else undefined). */
export interface PortSipAnswer {
  status: number;
  body: unknown;
  retryAfter: string | null;
}

export interface PortSipTransportOptions {
  /** e.g. https://pbx.example.com:8887/api */
  apiRoot: string;
  limiter: TokenBucketRateLimiter;
  fetch: typeof fetch;
  maxRetries: number;
  timeoutMs: number;
}

type Outcome = PortSipAnswer | { failure: unknown };

const isRetryableStatus = (status: number) => status === 429 || status >= 500;

function describeFailure(failure: unknown, timeoutMs: number): string {
  if (failure instanceof Error && failure.name === 'TimeoutError') return `no answer within ${timeoutMs / 1000} s`;
  const cause = failure instanceof Error ? (failure.cause as { code?: unknown } | undefined) : undefined;
  const message = failure instanceof Error ? failure.message : String(failure);
  return typeof cause?.code === 'string' ? `${message} (${cause.code})` : message;
}

/**
 * One PortSIP HTTP exchange: paced by the rate limiter, retried on 429, 5xx and network failures up to
 * `maxRetries` times honouring Retry-After (a 429 also holds every other request for that long). Other
 * statuses come back as they are. Retrying a POST is safe here: the sync engine makes writes idempotent,
 * and a retried create whose first answer was lost comes back as "extension number in use" (CONFLICT),
 * which the engine resolves with findNumberOwner.
 */
export class PortSipTransport {
  private sent = 0;
  /** Host and port of the PBX API, for the span of each exchange. */
  private readonly serverAddress: string;

  constructor(private readonly options: PortSipTransportOptions) {
    this.serverAddress = new URL(options.apiRoot).host;
  }

  /** HTTP requests sent so far, sign-ins and retries included. */
  requestCount(): number {
    return this.sent;
  }

  async send(method: PortSipMethod, path: string, body?: unknown, token?: string): Promise<PortSipAnswer> {
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await this.exchange(method, path, body, token);
      if ('status' in outcome && !isRetryableStatus(outcome.status)) return outcome;
      if (attempt > this.options.maxRetries) {
        if ('status' in outcome) return outcome;
        throw new AppError(
          'TRANSIENT',
          `PortSIP ${method} /api${path.split('?')[0]} failed after ${attempt} ` +
            `attempts: ${describeFailure(outcome.failure, this.options.timeoutMs)}`,
        );
      }
      const delay = retryDelay(attempt, 'status' in outcome ? outcome.retryAfter : null);
      if ('status' in outcome && outcome.status === 429) this.options.limiter.pauseFor(delay);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  private async exchange(method: PortSipMethod, path: string, body: unknown, token: string | undefined): Promise<Outcome> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    await this.options.limiter.acquire();
    try {
      this.sent += 1;
      // fetch (undici) is not auto-instrumented, so each PBX exchange gets its own client span. The path is
      // recorded without its query string, and neither headers nor bodies are (the sign-in carries the password).
      const attributes = { 'http.request.method': method, 'url.path': `/api${path.split('?')[0]}`, 'server.address': this.serverAddress };
      return await withSpan('pbx request', { kind: SpanKind.CLIENT, attributes }, async (span) => {
        const answer = await this.request(method, path, body, headers);
        span.setAttribute('http.response.status_code', answer.status);
        if (answer.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR, message: `PortSIP answered ${answer.status}` });
        return answer;
      });
    } catch (failure) {
      if (failure instanceof AppError) throw failure;
      return { failure };
    } finally {
      this.options.limiter.release();
    }
  }

  private async request(method: PortSipMethod, path: string, body: unknown, headers: Record<string, string>): Promise<PortSipAnswer> {
    const response = await this.options.fetch(`${this.options.apiRoot}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(this.options.timeoutMs),
      // Never follow a redirect: a 307/308 would re-send the sign-in body (the admin password) or the bearer
      // token to wherever it points. The credential goes to the configured origin and nowhere else.
      redirect: 'manual',
    });
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      throw new AppError(
        'CONFIG',
        `PortSIP ${method} /api${path.split('?')[0]} answered ${response.status} (a redirect); the connector follows no ` +
          'redirects, so set pbx.baseUrl to the URL the PBX serves its API on',
        { upstreamStatus: response.status },
      );
    }
    const text = await response.text();
    return { status: response.status, body: parseBody(text), retryAfter: response.headers.get('retry-after') };
  }
}

function parseBody(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
