import { validationFailed } from './PbxError';

export interface Paging {
  skip: number;
  top: number;
}

function integerParam(query: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = query.get(name);
  if (raw === null) return fallback;
  const value = /^[0-9]+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) throw validationFailed(name, `must be an integer from ${min} to ${max}`);
  return value;
}

/**
 * `skip` and `top` of every PortSIP list: top 1-100 (default 100), skip ≥ 0 (default 0). ⚠ The spec's prose
 * says "skip numbering is 1-based" while its parameters say minimum 0, default 0; the sandbox follows the
 * parameters (skip = items to leave out), so clients that de-duplicate by id survive either server.
 */
export function parsePaging(query: URLSearchParams): Paging {
  return { skip: integerParam(query, 'skip', 0, 0, Number.MAX_SAFE_INTEGER), top: integerParam(query, 'top', 100, 1, 100) };
}

/** `{count, items}` for one page of an in-memory list. */
export function pageOf<T, R>(items: readonly T[], paging: Paging, show: (item: T) => R): { count: number; items: R[] } {
  return { count: items.length, items: items.slice(paging.skip, paging.skip + paging.top).map(show) };
}
