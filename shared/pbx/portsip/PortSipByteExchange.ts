import { AppError } from '../../core/errors/AppError';
import { type TokenBucketRateLimiter } from '../../core/http/TokenBucketRateLimiter';
import { backOffBeforeRetry } from '../backOffBeforeRetry';
import { type PbxHttpAnswer } from '../PacedPbxExchange';
import { parsePbxBody } from '../parsePbxBody';

export interface PortSipByteRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  /** Sent as application/octet-stream. */
  bytes?: Uint8Array | undefined;
}

/** An answer with its headers (an upload is named by `PortSIP-Upload-ID` and `PortSIP-Upload-Token`). */
export interface PortSipByteAnswer extends PbxHttpAnswer {
  /** Lower-case names. */
  headers: Record<string, string>;
}

export interface PortSipByteExchangeOptions {
  apiRoot: string;
  limiter: TokenBucketRateLimiter;
  fetch: typeof fetch;
  maxRetries: number;
  timeoutMs: number;
}

/**
 * The blob-upload exchanges (`/blobs/uploads…`), which PacedPbxExchange cannot carry: they send raw bytes and
 * answer with headers that matter. Paced by the connection's own limiter (one budget). Only a 429 is retried: an
 * append whose answer was lost (5xx, network) may have landed, and sending it again would add its bytes twice;
 * the caller starts a fresh upload instead. Redirects are never followed (they would carry the bearer token).
 */
export class PortSipByteExchange {
  private sent = 0;

  constructor(private readonly options: PortSipByteExchangeOptions) {}

  requestCount(): number {
    return this.sent;
  }

  async send(request: PortSipByteRequest): Promise<PortSipByteAnswer> {
    for (let attempt = 1; ; attempt += 1) {
      const answer = await this.once(request);
      if (answer.status !== 429 || attempt > this.options.maxRetries) return answer;
      await backOffBeforeRetry(this.options.limiter, attempt, answer);
    }
  }

  private async once(request: PortSipByteRequest): Promise<PortSipByteAnswer> {
    const shown = `PortSIP ${request.method} /api${request.path.split('?')[0]}`;
    await this.options.limiter.acquire();
    let response: Response;
    try {
      this.sent += 1;
      const headers = { ...request.headers, ...(request.bytes ? { 'content-type': 'application/octet-stream' } : {}) };
      response = await this.options.fetch(`${this.options.apiRoot}${request.path}`, {
        method: request.method,
        headers,
        ...(request.bytes ? { body: request.bytes as NonNullable<RequestInit['body']> } : {}),
        signal: AbortSignal.timeout(this.options.timeoutMs),
        redirect: 'manual',
      });
    } catch (failure) {
      const reason = failure instanceof Error && failure.name === 'TimeoutError' ? 'no answer in time' : 'no answer';
      throw new AppError('TRANSIENT', `${shown} failed (${reason}); the upload is started again on the next try`);
    } finally {
      this.options.limiter.release();
    }
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      throw new AppError('CONFIG', `${shown} answered ${response.status} (a redirect); the connector follows no redirects`, {
        upstreamStatus: response.status,
      });
    }
    const text = await response.text();
    return {
      status: response.status,
      body: parsePbxBody(text),
      retryAfter: response.headers.get('retry-after'),
      headers: Object.fromEntries(response.headers),
    };
  }
}
