/**
 * Stable error codes used across ports. Adapters translate wire errors into these; the HTTP layer maps
 * them to status codes in one place (httpStatusFor) and the sync engine decides retries in one place
 * (isRetryable).
 */
export type ErrorCode =
  | 'INVALID'
  | 'UNPROCESSABLE'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PRECONDITION_FAILED'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'THROTTLED'
  | 'TRANSIENT'
  | 'DELTA_TOKEN_EXPIRED'
  | 'CONFIG'
  /** A tenant cannot work as configured yet (a credential it names is missing or unusable): fix the tenant. */
  | 'NOT_READY'
  | 'INTERNAL';

export interface AppErrorOptions {
  cause?: unknown;
  /** Machine-readable detail, safe to show to an API caller (never secrets). */
  details?: unknown;
  retryAfterMs?: number | undefined;
  /** The upstream HTTP status, when the error came from Graph or the PBX. */
  upstreamStatus?: number | undefined;
  /** The upstream error code (e.g. PortSIP VALIDATE_FAILED, Graph syncStateNotFound). */
  upstreamCode?: string | undefined;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  readonly retryAfterMs?: number | undefined;
  readonly upstreamStatus?: number | undefined;
  readonly upstreamCode?: string | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options.details;
    this.retryAfterMs = options.retryAfterMs;
    this.upstreamStatus = options.upstreamStatus;
    this.upstreamCode = options.upstreamCode;
  }
}

export function isAppError(err: unknown, code?: ErrorCode): err is AppError {
  return err instanceof AppError && (code === undefined || err.code === code);
}
