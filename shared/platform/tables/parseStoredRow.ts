import { type z } from 'zod';
import { formatZodIssues, zodIssues } from '../../config/formatZodIssues';
import { AppError, type ErrorCode } from '../../core/errors/AppError';

/**
 * Validates a row read from a table; a row that no longer matches (edited by hand, written by an older
 * version) is an AppError listing every bad column, never a half-typed object.
 */
export function parseStoredRow<T extends z.ZodType>(row: unknown, schema: T, what: string, code: ErrorCode = 'INTERNAL'): z.output<T> {
  const parsed = schema.safeParse(row);
  if (parsed.success) return parsed.data;
  throw new AppError(code, `stored ${what} is invalid:\n${formatZodIssues(parsed.error)}`, { details: zodIssues(parsed.error) });
}
