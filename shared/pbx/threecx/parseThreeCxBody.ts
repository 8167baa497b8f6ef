import { type z } from 'zod';
import { AppError } from '../../core/errors/AppError';

/**
 * Validates an XAPI answer. A mismatch means a 3CX version we do not understand, which no retry fixes:
 * INTERNAL, naming the endpoint (zod's issue messages name types, never the values received).
 */
export function parseThreeCxBody<T extends z.ZodType>(schema: T, body: unknown, endpoint: string): z.output<T> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, 5).map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
  const first = issues[0]!;
  throw new AppError(
    'INTERNAL',
    `3CX's answer to ${endpoint} is not what XAPI 20 documents (${first.path}: ${first.message}); check the 3CX version`,
    { details: { endpoint, issues } },
  );
}
