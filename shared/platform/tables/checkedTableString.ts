import { AppError } from '../../core/errors/AppError';

/** Table string properties hold at most 64 KiB: 32K UTF-16 code units. */
export const MAX_TABLE_STRING = 32 * 1024;

/** The text, or AppError INTERNAL when it would not fit in one property (never truncated silently). */
export function checkedTableString(text: string, what: string): string {
  if (text.length > MAX_TABLE_STRING) {
    throw new AppError('INTERNAL', `${what} is too large for a table property (${text.length} characters, at most ${MAX_TABLE_STRING})`);
  }
  return text;
}
