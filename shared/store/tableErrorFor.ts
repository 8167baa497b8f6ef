import { RestError } from '@azure/data-tables';
import { AppError } from '../errors/AppError';

/** Maps a Table Storage failure to our error codes (the one place for storage retry decisions). */
export function tableErrorFor(err: unknown, what: string): AppError {
  if (err instanceof AppError) return err;
  const status = err instanceof RestError ? err.statusCode : undefined;
  const message = `${what}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
  if (status === 404) return new AppError('NOT_FOUND', `${what}: not found`, { cause: err, upstreamStatus: status });
  if (status === 409) return new AppError('CONFLICT', `${what}: already exists`, { cause: err, upstreamStatus: status });
  if (status === 412) return new AppError('PRECONDITION_FAILED', `${what}: it was changed by someone else (ETag mismatch)`, { cause: err, upstreamStatus: status });
  if (status === 401 || status === 403) return new AppError('CONFIG', `${what}: storage access denied`, { cause: err, upstreamStatus: status });
  if (status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429) {
    return new AppError('INTERNAL', message, { cause: err, upstreamStatus: status });
  }
  return new AppError('TRANSIENT', message, { cause: err, upstreamStatus: status });
}

export async function tableCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw tableErrorFor(err, what);
  }
}
