/** Default page size of Key Vault's list operations (`maxresults` may ask for fewer). */
const DEFAULT_PAGE_SIZE = 25;

/**
 * One page of a list answer: `value` and, when more remain, an absolute `nextLink` carrying a skip token, as
 * Key Vault pages (the SDK follows nextLink verbatim and adds the api-version only when the link has none).
 */
export function pageOf<T>(items: T[], url: URL, vaultUrl: string, sandboxPageSize?: number): { value: T[]; nextLink: string | null } {
  const asked = Number(url.searchParams.get('maxresults'));
  const size = Number.isInteger(asked) && asked > 0 ? Math.min(asked, DEFAULT_PAGE_SIZE) : (sandboxPageSize ?? DEFAULT_PAGE_SIZE);
  const skip = Math.max(0, Number(url.searchParams.get('$skiptoken') ?? '0') || 0);
  const value = items.slice(skip, skip + size);
  if (skip + size >= items.length) return { value, nextLink: null };
  const next = new URL(`${vaultUrl}${url.pathname}`);
  next.searchParams.set('api-version', url.searchParams.get('api-version') ?? '');
  next.searchParams.set('$skiptoken', String(skip + size));
  next.searchParams.set('maxresults', String(size));
  return { value, nextLink: next.toString() };
}
