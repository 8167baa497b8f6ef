import { AppError } from '../../core/errors/AppError';

/** The ETag of a write; the service always sends one, so a missing one is a bug, not a condition to skip. */
export function etagOf(result: { etag?: string }, what: string): string {
  if (!result.etag) throw new AppError('INTERNAL', `${what}: Table Storage returned no ETag`);
  return result.etag;
}
