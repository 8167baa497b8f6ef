import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { AppError } from '../../core/errors/AppError';

/** The file in `.local/` that holds the local admin key (mode 0600; `.local/` is git-ignored). */
export const ADMIN_KEY_FILE = 'admin-key';

/** The local admin key, or `off` when LOCAL_ADMIN_KEY=off turned it off (the admin API then takes any caller on this machine). */
export type LocalAdminKey = { off: false; key: string; file: string; created: boolean } | { off: true };

const KEY_SHAPE = /^[A-Za-z0-9_-]{32,256}$/;

/**
 * The key the local host asks for on the admin routes, as Azure asks for a function key: read from
 * `<localDir>/admin-key`, or generated there at first start (256 random bits, base64url, written with
 * mode 0600 and without overwriting a key another start wrote at the same moment). `LOCAL_ADMIN_KEY=off`
 * (environment or local.settings.json) turns it off; any other value is refused, so a typo does not
 * silently leave the API open or locked.
 */
export function localAdminKey(env: Record<string, string | undefined>, localDir: string): LocalAdminKey {
  const setting = (env.LOCAL_ADMIN_KEY ?? '').trim();
  if (setting.toLowerCase() === 'off') return { off: true };
  if (setting !== '')
    throw new AppError('CONFIG', `LOCAL_ADMIN_KEY must be "off" or unset (the key itself is kept in ${join(localDir, ADMIN_KEY_FILE)})`);
  const file = join(localDir, ADMIN_KEY_FILE);
  let created = false;
  try {
    writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { flag: 'wx', mode: 0o600 });
    created = true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  // A copied or hand-made file may be readable by others: the key is a password, so keep it to its owner.
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  const key = readFileSync(file, 'utf8').trim();
  if (!KEY_SHAPE.test(key))
    throw new AppError(
      'CONFIG',
      `${file} does not hold an admin key (32-256 letters, digits, - or _); delete it and start again to make a new one`,
    );
  return { off: false, key, file, created };
}
