import type { HttpRequest } from '@azure/functions';
import { type z } from 'zod';
import { AppError } from '../errors/AppError';
import { zodIssues } from '../../config/formatZodIssues';

export const MAX_JSON_BODY_BYTES = 256 * 1024;

/**
 * Reads and validates a JSON body: 415 for a non-JSON content type, 413 when too large, 400 for malformed
 * JSON, 422 (listing every bad field) when it does not match the schema.
 */
export async function readJsonBody<T extends z.ZodTypeAny>(
  request: HttpRequest,
  schema: T,
  maxBytes = MAX_JSON_BODY_BYTES,
): Promise<z.infer<T>> {
  const contentType = request.headers.get('content-type') ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(contentType)) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'the body must be JSON (Content-Type: application/json)');
  }
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw new AppError('PAYLOAD_TOO_LARGE', `the body must be at most ${maxBytes} bytes`);
  const text = await request.text();
  if (Buffer.byteLength(text) > maxBytes) throw new AppError('PAYLOAD_TOO_LARGE', `the body must be at most ${maxBytes} bytes`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError('INVALID', 'the body is not valid JSON');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issues = zodIssues(parsed.error);
    throw new AppError('UNPROCESSABLE', `the body is invalid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, {
      details: issues,
    });
  }
  return parsed.data;
}
