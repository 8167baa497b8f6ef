import { AppError } from '../../core/errors/AppError';
import { MAX_TABLE_STRING } from './checkedTableString';

/**
 * A text longer than one string property allows, spread over `name`, `name1`, `name2`… (each ≤ 32K
 * characters). `maxParts` keeps the entity under the service's 1 MiB entity limit.
 */
export function toLongStringColumns(name: string, text: string, maxParts: number, what: string): Record<string, string> {
  const parts = Math.max(1, Math.ceil(text.length / MAX_TABLE_STRING));
  if (parts > maxParts) {
    throw new AppError(
      'PAYLOAD_TOO_LARGE',
      `${what} is too large to store (${text.length} characters, at most ${maxParts * MAX_TABLE_STRING})`,
    );
  }
  const columns: Record<string, string> = {};
  for (let i = 0; i < parts; i += 1) columns[i === 0 ? name : `${name}${i}`] = text.slice(i * MAX_TABLE_STRING, (i + 1) * MAX_TABLE_STRING);
  return columns;
}

/** The text written by toLongStringColumns, or undefined when the row has no `name` column. */
export function fromLongStringColumns(row: Record<string, unknown>, name: string): string | undefined {
  const first = row[name];
  if (typeof first !== 'string') return undefined;
  let text = first;
  for (let i = 1; typeof row[`${name}${i}`] === 'string'; i += 1) text += row[`${name}${i}`] as string;
  return text;
}
