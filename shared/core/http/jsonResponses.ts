import type { HttpResponseInit } from '@azure/functions';
import { AppError } from '../errors/AppError';
import { ensureError } from '../errors/ensureError';
import { httpStatusFor } from '../errors/httpStatusFor';
import { type Logger } from '../logging/Logger';

export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponseInit {
  return { status, jsonBody: body, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } };
}

/** The one place errors become HTTP answers. Unexpected errors are logged, not shown (no internals leak). */
export function errorResponse(err: unknown, log?: Logger): HttpResponseInit {
  const status = httpStatusFor(err);
  if (err instanceof AppError && status < 500) {
    return json(status, {
      error: { code: err.code, message: err.message, ...(err.details === undefined ? {} : { details: err.details }) },
    });
  }
  log?.error('request failed', { error: ensureError(err).message, code: err instanceof AppError ? err.code : undefined });
  const code = err instanceof AppError ? err.code : 'INTERNAL';
  const message = status === 503 ? 'a dependency is unavailable; try again later' : 'internal error';
  return json(status, { error: { code, message } });
}
