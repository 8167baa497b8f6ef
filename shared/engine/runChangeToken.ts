import { AppError } from '../core/errors/AppError';
import { RUN_CHANGE_KEY_PATTERN } from './RunChangeStore';

const VERSION = 'c1.';

/** The continuation token an API caller sees: opaque (versioned base64url), so the key format may change. */
export function encodeRunChangeToken(key: string): string {
  return Buffer.from(`${VERSION}${key}`, 'utf8').toString('base64url');
}

/** The key a token stands for; AppError INVALID for anything this API did not hand out. */
export function decodeRunChangeToken(token: string): string {
  const text = /^[A-Za-z0-9_-]{1,200}$/.test(token) ? Buffer.from(token, 'base64url').toString('utf8') : '';
  const key = text.startsWith(VERSION) ? text.slice(VERSION.length) : '';
  if (!RUN_CHANGE_KEY_PATTERN.test(key)) {
    throw new AppError('INVALID', 'query parameter continuationToken is not valid: pass back the continuationToken of the previous page');
  }
  return key;
}
