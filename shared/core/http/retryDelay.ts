import { parseRetryAfter } from './parseRetryAfter';

export interface RetryDelayOptions {
  /** First backoff step (attempt 1); doubles each attempt. Default 250 ms. */
  baseMs?: number;
  /** No delay is longer than this, Retry-After included. Default 30 s. */
  maxMs?: number;
  random?: () => number;
  now?: number;
}

/**
 * How long to wait before retry number `attempt` (1-based): the server's Retry-After when it sent one,
 * else exponential backoff with "equal jitter" (half the step fixed, half random, so retries spread out
 * but never collapse to zero); always capped at `maxMs`.
 */
export function retryDelay(attempt: number, retryAfter: string | null | undefined, options: RetryDelayOptions = {}): number {
  const maxMs = options.maxMs ?? 30_000;
  const serverMs = parseRetryAfter(retryAfter, options.now);
  if (serverMs !== undefined) return Math.min(maxMs, serverMs);
  const step = Math.min(maxMs, (options.baseMs ?? 250) * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + (options.random ?? Math.random)() * (step / 2));
}
