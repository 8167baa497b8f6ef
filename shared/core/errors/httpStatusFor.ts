import { AppError, type ErrorCode } from './AppError';

const statusByCode: Record<ErrorCode, number> = {
  INVALID: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNPROCESSABLE: 422,
  THROTTLED: 503,
  TRANSIENT: 503,
  DELTA_TOKEN_EXPIRED: 503,
  NOT_READY: 409,
  CONFIG: 500,
  INTERNAL: 500,
};

/** Maps an error to the HTTP status an API caller should see. */
export function httpStatusFor(err: unknown): number {
  return err instanceof AppError ? statusByCode[err.code] : 500;
}
