import { type z } from 'zod';
import { PbxError, validationFailed } from './PbxError';

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A request body checked against its schema; the first problem becomes 400 VALIDATE_FAILED naming the field. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  if (!isJsonObject(body)) throw new PbxError(400, 'VALIDATE_FAILED', 'The request body must be a JSON object', { field: 'body' });
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw validationFailed(issue.path.map(String).join('.') || 'body', issue.message);
}
