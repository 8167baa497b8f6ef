import { AppError } from '../../core/errors/AppError';

/**
 * The one delta message of the debounce window that `now` falls into: a deterministic id (so duplicate
 * detection drops every later notification of the window) delivered at the end of the window. The queue's
 * duplicate detection window must be at least `windowMs`, or a late notification would slip through as a
 * second job (harmless, since delta jobs are idempotent, but wasted work).
 */
export function debouncedDeltaMessage(
  tenantId: string,
  feature: string,
  now: Date,
  windowMs: number,
): { messageId: string; scheduledEnqueueTime: Date } {
  if (!Number.isSafeInteger(windowMs) || windowMs <= 0)
    throw new AppError('CONFIG', `debounce window must be a positive whole number of milliseconds, got ${windowMs}`);
  const nowMs = now.getTime();
  if (!Number.isFinite(nowMs)) throw new AppError('INVALID', 'debounce time must be a valid Date');
  const windowStart = debounceWindowStart(now, windowMs);
  return { messageId: `delta:${tenantId}:${feature}:${windowStart}`, scheduledEnqueueTime: new Date(windowStart + windowMs) };
}

/** The start (epoch ms) of the debounce window `now` falls into. */
export function debounceWindowStart(now: Date, windowMs: number): number {
  return Math.floor(now.getTime() / windowMs) * windowMs;
}
