import { AppError } from '../../core/errors/AppError';

/**
 * What the service refuses in a key (`/`, `\`, `#`, `?`, control characters) and `|`, which joins the parts
 * of our compound keys: an id holding one would read as two parts, or fall into another id's key range.
 */
const UNFIT_KEY_CHARACTER = /[/\\#?|\p{Cc}]/u;
/** Keys hold at most 1 KiB; a compound key is built of a few parts, each far shorter than that. */
const MAX_KEY_PART = 256;

/** The id, or AppError INVALID when it cannot be (a part of) a partition or row key. */
export function checkedKeyPart(id: string, what: string): string {
  if (id.length === 0 || id.length > MAX_KEY_PART || UNFIT_KEY_CHARACTER.test(id)) {
    throw new AppError(
      'INVALID',
      `${what} ${JSON.stringify(id.slice(0, 64))} cannot be a table key: 1-${MAX_KEY_PART} characters without / \\ # ? | or control characters`,
    );
  }
  return id;
}
