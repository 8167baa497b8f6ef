import { randomBytes } from 'node:crypto';
import { AppError } from '../core/errors/AppError';

/** How operators prove who they are to the console. */
export type ConsoleSignIn =
  /** Locally (`npm start`): the local admin key (`.local/admin-key`), or `off` (LOCAL_ADMIN_KEY=off: no key asked). */
  | { kind: 'adminKey'; adminKey: string }
  /** In Azure: App Service Authentication in front; optionally only members of one Entra group. */
  | { kind: 'appService'; allowedGroup: string | undefined }
  /** In Azure without CONSOLE_AUTH: no way in (a function key must never travel in a browser). */
  | { kind: 'none' };

export interface ConsoleSettings {
  signIn: ConsoleSignIn;
  /** Signs session cookies and derives CSRF tokens. */
  sessionKey: Buffer;
  /** Where the key came from: CONSOLE_SESSION_KEY, or made by this process (sessions end when it stops). */
  sessionKeySource: 'setting' | 'process';
}

/** A process's own signing key: one per process, so every route of this process agrees on it. */
let processSessionKey: Buffer | undefined;

function sessionKeyFrom(env: Record<string, string | undefined>): Pick<ConsoleSettings, 'sessionKey' | 'sessionKeySource'> {
  const setting = env.CONSOLE_SESSION_KEY?.trim();
  if (setting) {
    if (setting.length < 32)
      throw new AppError('CONFIG', 'CONSOLE_SESSION_KEY must be at least 32 characters (e.g. 32 random bytes, base64)');
    return { sessionKey: Buffer.from(setting, 'utf8'), sessionKeySource: 'setting' };
  }
  processSessionKey ??= randomBytes(32);
  return { sessionKey: processSessionKey, sessionKeySource: 'process' };
}

/**
 * The function app's console settings: CONSOLE_AUTH (`appService`, or unset: the console lets nobody in),
 * CONSOLE_ALLOWED_GROUP (an Entra group object id; unset: every principal Easy Auth lets through), and
 * CONSOLE_SESSION_KEY (signs cookies and CSRF tokens; unset: a key made per process, which is fine for one
 * instance but not when the app scales out or restarts mid-session).
 */
export function consoleSettingsFromEnv(env: Record<string, string | undefined>): ConsoleSettings {
  const auth = env.CONSOLE_AUTH?.trim() ?? '';
  if (auth !== '' && auth !== 'appService')
    throw new AppError('CONFIG', `CONSOLE_AUTH must be appService or unset, not ${JSON.stringify(auth.slice(0, 32))}`);
  const group = env.CONSOLE_ALLOWED_GROUP?.trim() || undefined;
  const signIn: ConsoleSignIn = auth === 'appService' ? { kind: 'appService', allowedGroup: group } : { kind: 'none' };
  return { signIn, ...sessionKeyFrom(env) };
}

/** `npm start`'s console: the local admin key signs in; the signing key is made per process unless CONSOLE_SESSION_KEY is set. */
export function localConsoleSettings(adminKey: string, env: Record<string, string | undefined> = {}): ConsoleSettings {
  return { signIn: { kind: 'adminKey', adminKey }, ...sessionKeyFrom(env) };
}
