import { AppError, type AppErrorOptions } from '../../core/errors/AppError';

/** The parts of the SDK's RestError we read (a network failure is a RestError without a status). */
interface TableFailure {
  name?: string;
  statusCode?: number;
  code?: string;
}

/**
 * Maps a Table Storage failure to our error codes; `what` names the thing ("tenant acme"). This is the one
 * place that decides which storage failures are worth retrying (TRANSIENT). Messages carry the service's
 * error code, never entity contents.
 */
export function tableErrorFor(err: unknown, what: string): AppError {
  if (err instanceof AppError) return err;
  const failure: TableFailure = typeof err === 'object' && err !== null ? err : {};
  const status = typeof failure.statusCode === 'number' && failure.statusCode > 0 ? failure.statusCode : undefined;
  const code = typeof failure.code === 'string' ? failure.code : undefined;
  const options: AppErrorOptions = { cause: err, upstreamStatus: status, upstreamCode: code };
  const detail = code ? ` (${status ?? 'no response'} ${code})` : status ? ` (${status})` : '';
  if (status === undefined) {
    // RestErrors without a status are network failures (refused, reset, timed out); anything else is a bug.
    if (failure.name === 'RestError' || failure.name === 'AbortError')
      return new AppError('TRANSIENT', `${what}: Table Storage could not be reached${detail}`, options);
    return new AppError('INTERNAL', `${what}: Table Storage call failed: ${err instanceof Error ? err.message : String(err)}`, options);
  }
  if (status === 404) return new AppError('NOT_FOUND', `${what}: not found`, options);
  if (status === 409) return new AppError('CONFLICT', `${what}: already exists${detail}`, options);
  if (status === 412) return new AppError('PRECONDITION_FAILED', `${what}: it was changed by someone else (ETag mismatch)`, options);
  if (status === 401 || status === 403) {
    return new AppError(
      'CONFIG',
      `${what}: Table Storage denied access${detail}; give the identity the Storage Table Data Contributor role`,
      options,
    );
  }
  if (status === 408 || status === 429 || status >= 500)
    return new AppError('TRANSIENT', `${what}: Table Storage is unavailable${detail}`, options);
  return new AppError('INTERNAL', `${what}: Table Storage refused the request${detail}`, options);
}
