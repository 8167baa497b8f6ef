import { type z } from 'zod';
import { AppError } from '../../core/errors/AppError';

/**
 * Validates a PortSIP answer. A mismatch means the PBX speaks a REST version we do not understand, which no
 * retry fixes: INTERNAL, naming the endpoint. (zod issue messages name types, never the values received.)
 */
export function parsePortSipBody<T extends z.ZodType>(schema: T, body: unknown, endpoint: string): z.output<T> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, 5).map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
  const first = issues[0]!;
  throw new AppError(
    'INTERNAL',
    `PortSIP's answer to ${endpoint} is not what its v22 REST API documents (${first.path}: ${first.message}); check the PBX version`,
    {
      details: { endpoint, issues },
    },
  );
}
