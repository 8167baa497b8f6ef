import { DEFAULT_USER_PROPERTIES, type SandboxUser } from './SandboxUser';

/** What a request selected: the properties to return (and, for delta, to track) and its `$select` as sent. */
export interface UserSelection {
  properties: string[];
  /** Kept so a restart URL (410 Location) repeats the client's own query. */
  query: string | null;
}

/** `$select`, else Graph's default set; `id` always comes back. */
export function userSelection(url: URL): UserSelection {
  return selectionOf(url, DEFAULT_USER_PROPERTIES);
}

/** `$select`, else the resource's `defaults`; `id` always comes back. (Users and groups alike.) */
export function selectionOf(url: URL, defaults: readonly string[]): UserSelection {
  const query = url.searchParams.get('$select');
  const props = query
    ? query
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [...defaults];
  return { properties: props.includes('id') ? props : ['id', ...props], query };
}

/** Graph omits properties that were never set and sends null for cleared ones. */
export function projectUser(user: SandboxUser, properties: readonly string[]): Record<string, unknown> {
  return projectProperties(user, properties);
}

/** The named properties of a directory object that are set (users and groups alike). */
export function projectProperties(object: object, properties: readonly string[]): Record<string, unknown> {
  const source = object as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const p of properties) {
    const value = source[p];
    if (value !== undefined) out[p] = value;
  }
  return out;
}
