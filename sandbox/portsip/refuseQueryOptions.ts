import { validationFailed } from './PbxError';

/**
 * The spec offers `filter`, `search` and `orderby` on most lists; the sandbox answers those it does not
 * implement with 400 instead of ignoring them, so no client silently gets an unfiltered or unsorted list.
 */
export function refuseQueryOptions(query: URLSearchParams, options: readonly string[]): void {
  for (const option of options)
    if (query.has(option)) throw validationFailed(option, `the sandbox does not support ${option} on this list`);
}
