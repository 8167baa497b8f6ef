import { AppError } from '../errors/AppError';

const EXPIRED_TOKEN_CODES = new Set(['syncstatenotfound', 'resyncrequired', 'syncstateinvalid']);

interface GraphFailure {
  statusCode?: number;
  code?: string;
  message?: string;
  headers?: Headers;
}

/** Maps a Graph SDK failure (GraphError / GraphClientError / network error) to our error codes. */
export function graphErrorFor(err: unknown, what: string): AppError {
  if (err instanceof AppError) return err;
  const failure = (typeof err === 'object' && err !== null ? err : {}) as GraphFailure;
  const status = typeof failure.statusCode === 'number' && failure.statusCode > 0 ? failure.statusCode : undefined;
  const code = failure.code ?? undefined;
  const options = { cause: err, upstreamStatus: status, upstreamCode: code };
  const detail = failure.message ? `: ${failure.message}` : '';
  if (status === 410 || (status !== undefined && status < 500 && code && EXPIRED_TOKEN_CODES.has(code.toLowerCase()))) {
    return new AppError('DELTA_TOKEN_EXPIRED', `${what}: the delta token expired or was reset by Graph (${status} ${code ?? ''})`.trim(), options);
  }
  if (status === 401) return new AppError('UNAUTHORIZED', `${what}: Graph rejected the app's credentials${detail}`, options);
  if (status === 403) return new AppError('FORBIDDEN', `${what}: Graph denied access; grant the app the application permissions User.Read.All and GroupMember.Read.All (admin consent)${detail}`, options);
  if (status === 404) return new AppError('NOT_FOUND', `${what}: not found`, options);
  if (status === 429) {
    const retryAfter = Number(failure.headers?.get?.('Retry-After'));
    return new AppError('THROTTLED', `${what}: Graph is throttling requests`, { ...options, retryAfterMs: Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined });
  }
  if (status === undefined || status >= 500 || status === 408) return new AppError('TRANSIENT', `${what}: Graph is unavailable${detail}`, options);
  return new AppError('INVALID', `${what}: Graph refused the request (${status})${detail}`, options);
}
