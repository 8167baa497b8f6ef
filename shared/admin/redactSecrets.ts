import { AppError } from '../core/errors/AppError';

/** What an admin answer shows in place of a secret value. */
export const REDACTED = '***';

/**
 * Configuration keys whose values are secrets themselves (not secret *names*, such as `secretName`,
 * `certificateName` or `credentialSecretName`, which stay visible): the sandbox Graph auth `token`, and
 * whatever a future auth kind might carry inline.
 */
const SECRET_KEYS = /^(token|accessToken|refreshToken|password|secret|clientSecret|apiKey|privateKey|clientState)$/i;

type Json = unknown;

/** A copy of `value` with every secret value replaced by REDACTED ("***"); everything else as it was. */
export function redactSecrets<T>(value: T): T {
  return walk(value) as T;
}

function walk(value: Json): Json {
  if (Array.isArray(value)) return value.map(walk);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key, SECRET_KEYS.test(key) && typeof inner === 'string' ? REDACTED : walk(inner)]),
  );
}

/**
 * A PUT body read back from a GET carries REDACTED where a secret was: put the stored value back (so a
 * read-edit-write round trip keeps the secret) when the object holding it is otherwise unchanged (same kind,
 * same URL…), or refuse with 422 when there is nothing stored to keep or its neighbours changed.
 */
export function restoreRedactedSecrets<T>(incoming: T, stored: unknown): T {
  const missing: string[] = [];
  const restored = restore(incoming, stored, '', missing);
  if (missing.length)
    throw new AppError(
      'UNPROCESSABLE',
      `the body is invalid: ${missing.map((path) => `${path}: is "${REDACTED}" (the redacted value a GET shows) but no stored value can be kept (none stored, or the fields beside it changed); send the real value`).join('; ')}`,
      { details: missing.map((path) => ({ path, message: `is "${REDACTED}" but no stored value can be kept; send the real value` })) },
    );
  return restored as T;
}

function restore(value: Json, stored: Json, path: string, missing: string[]): Json {
  if (Array.isArray(value))
    return value.map((item, i) => restore(item, Array.isArray(stored) ? stored[i] : undefined, `${path}.${i}`, missing));
  if (value === null || typeof value !== 'object') return value;
  const storedObject = stored !== null && typeof stored === 'object' && !Array.isArray(stored) ? (stored as Record<string, Json>) : {};
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => {
      const at = path ? `${path}.${key}` : key;
      if (SECRET_KEYS.test(key) && inner === REDACTED) {
        const kept = storedObject[key];
        // Kept only where nothing beside it changed: a stored secret never follows a new URL or kind.
        if (typeof kept === 'string' && kept !== REDACTED && sameSiblings(value as Record<string, Json>, storedObject)) return [key, kept];
        missing.push(at);
        return [key, inner];
      }
      return [key, restore(inner, storedObject[key], at, missing)];
    }),
  );
}

/** The non-secret fields of two objects are equal (compared as canonical JSON). */
function sameSiblings(a: Record<string, Json>, b: Record<string, Json>): boolean {
  const rest = (o: Record<string, Json>) => canonical(Object.fromEntries(Object.entries(o).filter(([key]) => !SECRET_KEYS.test(key))));
  return rest(a) === rest(b);
}

function canonical(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonical(inner)}`).join(',')}}`;
}
