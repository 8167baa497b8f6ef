import { type TokenBucketRateLimiter } from '../core/http/TokenBucketRateLimiter';
import { retryDelay } from '../core/http/retryDelay';

/**
 * Waits before retry number `attempt`: the PBX's Retry-After when `answer` carries one, else backoff. After a 429
 * the whole connection holds that long too (every exchange shares `limiter`), so other requests do not run into
 * the same limit meanwhile. `answer` is undefined when the try got no answer at all.
 */
export async function backOffBeforeRetry(
  limiter: TokenBucketRateLimiter,
  attempt: number,
  answer: { status: number; retryAfter: string | null } | undefined,
): Promise<void> {
  const delay = retryDelay(attempt, answer?.retryAfter ?? null);
  if (answer?.status === 429) limiter.pauseFor(delay);
  await new Promise((resolve) => setTimeout(resolve, delay));
}
