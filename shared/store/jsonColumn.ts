import { z } from 'zod';
import { AppError } from '../errors/AppError';

/** Table string properties hold at most 32K UTF-16 characters (64 KiB). */
export const MAX_TABLE_STRING = 32 * 1024;

export function toColumn(value: unknown, what: string): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (text.length > MAX_TABLE_STRING) throw new AppError('INTERNAL', `${what} is too large for a table property (${text.length} characters)`);
  return text;
}

export function fromJsonColumn<T extends z.ZodTypeAny>(text: unknown, schema: T, what: string): z.infer<T> {
  try {
    return schema.parse(JSON.parse(String(text)));
  } catch (err) {
    throw new AppError('INTERNAL', `stored ${what} is unreadable: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
}
