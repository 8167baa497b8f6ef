import { GraphClientError } from '@microsoft/microsoft-graph-client';
import { AppError, type AppErrorOptions } from '../core/errors/AppError';

/** Error codes Graph uses for a delta token it no longer knows (documented as a 40X; seen in several cases). */
const EXPIRED_TOKEN_CODES = new Set(['syncstatenotfound', 'resyncrequired', 'syncstateinvalid']);

/** The parts of the SDK's GraphError we read (it is also what a plain network failure turns into). */
interface GraphFailure {
  statusCode?: number;
  code?: string | null;
  message?: string;
  headers?: { get(name: string): string | null };
}

/** A Retry-After header (seconds or an HTTP date) in ms; undefined when absent or unreadable. */
export function retryAfterMs(headers: { get(name: string): string | null } | undefined): number | undefined {
  const value = headers?.get?.('Retry-After');
  if (!value) return undefined;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - Date.now();
  return Number.isFinite(ms) ? Math.max(0, ms) : undefined;
}

/**
 * Maps a Graph SDK failure to our error codes; `what` names the operation ("reading user 123"). Messages
 * carry Graph's own error text, which never contains the bearer token. `permissions` names what a 403 asks
 * the admin to grant (Outlook reads need other permissions than the directory).
 */
export function graphErrorFor(err: unknown, what: string, permissions = 'User.Read.All and GroupMember.Read.All'): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof GraphClientError && err.customError instanceof AppError) return err.customError;
  const failure: GraphFailure = typeof err === 'object' && err !== null ? err : {};
  const status = typeof failure.statusCode === 'number' && failure.statusCode > 0 ? failure.statusCode : undefined;
  const code = status !== undefined && typeof failure.code === 'string' ? failure.code : undefined;
  const options: AppErrorOptions = { cause: err, upstreamStatus: status, upstreamCode: code };
  const detail = failure.message ? `: ${failure.message}` : '';
  if (status === undefined) return new AppError('TRANSIENT', `${what}: Microsoft Graph could not be reached${detail}`, options);
  if (status === 410 || (status >= 400 && status < 500 && code && EXPIRED_TOKEN_CODES.has(code.toLowerCase()))) {
    return new AppError(
      'DELTA_TOKEN_EXPIRED',
      `${what}: Graph no longer accepts the delta token (${status}${code ? ` ${code}` : ''}); a full round is needed`,
      options,
    );
  }
  if (status === 401) return new AppError('UNAUTHORIZED', `${what}: Graph rejected the app's token${detail}`, options);
  if (status === 403) {
    return new AppError(
      'FORBIDDEN',
      `${what}: Graph denied access; grant the app the application permissions ` + `${permissions} with admin consent${detail}`,
      options,
    );
  }
  if (status === 404) return new AppError('NOT_FOUND', `${what}: not found${detail}`, options);
  if (status === 429)
    return new AppError('THROTTLED', `${what}: Graph is still throttling after retries`, {
      ...options,
      retryAfterMs: retryAfterMs(failure.headers),
    });
  if (status >= 500 || status === 408) return new AppError('TRANSIENT', `${what}: Graph is unavailable (${status})${detail}`, options);
  return new AppError('INVALID', `${what}: Graph refused the request (${status})${detail}`, options);
}
