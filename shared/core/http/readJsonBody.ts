import type { HttpRequest } from '@azure/functions';
import { type z } from 'zod';
import { AppError } from '../errors/AppError';
import { zodIssues } from '../../config/formatZodIssues';

export const MAX_JSON_BODY_BYTES = 256 * 1024;

/** Deeper than any configuration or notification; past it, recursive code (cloning, validation) could overflow the stack. */
export const MAX_JSON_DEPTH = 64;

/** The deepest nesting of `[` and `{` outside strings (a linear scan, before JSON.parse builds anything). */
function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) max = Math.max(max, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

// fatal: malformed or overlong sequences are refused instead of becoming U+FFFD; a leading BOM is dropped.
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads and validates a JSON body: 415 for a non-JSON content type or a charset other than UTF-8, 413 when
 * too large, 400 for bytes that are not UTF-8 (e.g. overlong sequences; a leading byte order mark is
 * ignored, as RFC 8259 allows) or malformed JSON, 422 (listing every bad field) when it does not match the
 * schema.
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
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(contentType)?.[1];
  if (charset !== undefined && !/^utf-?8$/i.test(charset))
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'the body must be UTF-8 JSON (charset=utf-8 or no charset)');
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw new AppError('PAYLOAD_TOO_LARGE', `the body must be at most ${maxBytes} bytes`);
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.byteLength > maxBytes) throw new AppError('PAYLOAD_TOO_LARGE', `the body must be at most ${maxBytes} bytes`);
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new AppError('INVALID', 'the body is not valid UTF-8');
  }
  if (nestingDepth(text) > MAX_JSON_DEPTH) throw new AppError('INVALID', `the body is nested more than ${MAX_JSON_DEPTH} levels deep`);
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
