import { type TokenBucketRateLimiter } from '../../core/http/TokenBucketRateLimiter';
import { PacedPbxExchange, type PbxHttpAnswer } from '../PacedPbxExchange';
import { type PortSipByteAnswer, PortSipByteExchange } from './PortSipByteExchange';

export type PortSipMethod = 'GET' | 'POST';

/** An HTTP answer from PortSIP: the status, the body (parsed JSON, else text, else undefined). */
export type PortSipAnswer = PbxHttpAnswer;

export interface PortSipTransportOptions {
  /** e.g. https://pbx.example.com:8887/api */
  apiRoot: string;
  limiter: TokenBucketRateLimiter;
  fetch: typeof fetch;
  maxRetries: number;
  timeoutMs: number;
}

/**
 * One PortSIP HTTP exchange (PacedPbxExchange): retried on 429, 5xx and network failures. Retrying a POST is
 * safe here: the sync engine makes writes idempotent, and a retried create whose first answer was lost comes back
 * as "extension number in use" (CONFLICT), which the engine resolves with findNumberOwner. Blob uploads take
 * their own exchange (raw bytes, answer headers, only 429 retried) under the same limiter.
 */
export class PortSipTransport {
  private readonly exchange: PacedPbxExchange;
  private readonly bytes: PortSipByteExchange;

  constructor(options: PortSipTransportOptions) {
    const { apiRoot, ...pacing } = options;
    this.exchange = new PacedPbxExchange({
      ...pacing,
      product: 'PortSIP',
      root: apiRoot,
      displayPath: (path) => `/api${path}`,
      isRetryableStatus: (status) => status === 429 || status >= 500,
    });
    this.bytes = new PortSipByteExchange(options);
  }

  /** HTTP requests sent so far, sign-ins, uploads and retries included. */
  requestCount(): number {
    return this.exchange.requestCount() + this.bytes.requestCount();
  }

  async send(method: PortSipMethod, path: string, body?: unknown, token?: string): Promise<PortSipAnswer> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    return this.exchange.send({ method, path, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  }

  /** A blob-upload request: optional raw bytes and extra headers; the answer keeps its headers. */
  async sendBytes(
    method: PortSipMethod,
    path: string,
    request: { bytes?: Uint8Array | undefined; headers?: Record<string, string> | undefined },
    token?: string,
  ): Promise<PortSipByteAnswer> {
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    if (token) headers.authorization = `Bearer ${token}`;
    return this.bytes.send({ method, path, headers, bytes: request.bytes });
  }
}
