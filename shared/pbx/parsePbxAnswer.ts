import { type z } from 'zod';
import { AppError } from '../core/errors/AppError';

/**
 * Validates a PBX answer the adapter depends on. A mismatch means a product version we do not understand, which
 * no retry fixes: INTERNAL, naming the endpoint and what the product documents (`documented`, e.g. "what its v22
 * REST API documents"). zod's issue messages name types, never the values received.
 */
export function parsePbxAnswer<T extends z.ZodType>(
  schema: T,
  body: unknown,
  endpoint: string,
  product: { name: string; documented: string },
): z.output<T> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, 5).map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
  const first = issues[0]!;
  throw new AppError(
    'INTERNAL',
    `${product.name}'s answer to ${endpoint} is not ${product.documented} (${first.path}: ${first.message}); check the ${product.name} version`,
    { details: { endpoint, issues } },
  );
}
