import { type TokenBucketRateLimiter } from '../../core/http/TokenBucketRateLimiter';
import { PacedPbxExchange, type PbxHttpAnswer, type PbxHttpRequest } from '../PacedPbxExchange';

export type ThreeCxMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** A request from the origin, with its query: `/xapi/v1/Users?$select=…` or `/connect/token`. */
export type ThreeCxRequest = PbxHttpRequest & { method: ThreeCxMethod };
export type ThreeCxAnswer = PbxHttpAnswer;

export interface ThreeCxExchangeOptions {
  /** scheme://host[:port] of the PBX. */
  origin: string;
  limiter: TokenBucketRateLimiter;
  fetch: typeof fetch;
  maxRetries: number;
  timeoutMs: number;
}

/**
 * One HTTP exchange with 3CX (PacedPbxExchange). What is retried here: 429, 502, 503, 504 and network failures.
 * A 500 is not: on 3CX it is mostly a deterministic failure (some `$filter`s on some builds), and it comes back as
 * TRANSIENT so the job, not this request, is retried later. Retrying a write is safe: PATCH and DELETE are
 * idempotent, and a POST /Users whose first answer was lost comes back ALREADY_IN_USE (CONFLICT), which the sync
 * engine resolves with findNumberOwner.
 */
export class ThreeCxExchange extends PacedPbxExchange {
  constructor(options: ThreeCxExchangeOptions) {
    const { origin, ...pacing } = options;
    super({
      ...pacing,
      product: '3CX',
      root: origin,
      displayPath: (path) => path,
      isRetryableStatus: (status) => status === 429 || status === 502 || status === 503 || status === 504,
    });
  }
}
