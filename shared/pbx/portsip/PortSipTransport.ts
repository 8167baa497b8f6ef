import { type TokenBucketRateLimiter } from '../../core/http/TokenBucketRateLimiter';
import { PacedPbxExchange, type PbxHttpAnswer } from '../PacedPbxExchange';

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
 * as "extension number in use" (CONFLICT), which the engine resolves with findNumberOwner.
 */
export class PortSipTransport {
  private readonly exchange: PacedPbxExchange;

  constructor(options: PortSipTransportOptions) {
    const { apiRoot, ...pacing } = options;
    this.exchange = new PacedPbxExchange({
      ...pacing,
      product: 'PortSIP',
      root: apiRoot,
      displayPath: (path) => `/api${path}`,
      isRetryableStatus: (status) => status === 429 || status >= 500,
    });
  }

  /** HTTP requests sent so far, sign-ins and retries included. */
  requestCount(): number {
    return this.exchange.requestCount();
  }

  async send(method: PortSipMethod, path: string, body?: unknown, token?: string): Promise<PortSipAnswer> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    return this.exchange.send({ method, path, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  }
}
