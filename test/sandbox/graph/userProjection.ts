import { DEFAULT_USER_PROPERTIES, SandboxUser } from './SandboxUser';

/** The properties a request asked for (`$select`, else Graph's default set); `id` always comes back. */
export function selectedProperties(url: URL): string[] {
  const raw = url.searchParams.get('$select');
  const props = raw ? raw.split(',').map((s) => s.trim()).filter(Boolean) : DEFAULT_USER_PROPERTIES;
  return props.includes('id') ? props : ['id', ...props];
}

/** Graph omits properties that were never set and sends null for cleared ones. */
export function projectUser(user: SandboxUser, select: readonly string[]): Record<string, unknown> {
  const source = user as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const p of select) {
    const value = source[p];
    if (value !== undefined) out[p] = value;
  }
  return out;
}
