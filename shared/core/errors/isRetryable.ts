import { AppError } from './AppError';

/**
 * The single place that decides whether a failure is worth retrying later (the job is retried and the
 * checkpoint is not advanced) or is final for that item (recorded, reported, retried on the next run).
 */
export function isRetryable(err: unknown): boolean {
  if (err instanceof AppError) return err.code === 'THROTTLED' || err.code === 'TRANSIENT';
  // Unknown failures (network resets, timeouts, bugs in a dependency) are treated as transient: retrying
  // is safe because every write is idempotent, and giving up would lose a change.
  return true;
}
