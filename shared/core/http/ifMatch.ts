import { AppError } from '../errors/AppError';

/** A parsed If-Match header: `*` (any current representation), or a list of entity tags as sent. */
export type IfMatch = { any: true } | { any: false; tags: string[] };

const MAX_IF_MATCH_LENGTH = 1024;
// RFC 9110 §8.8.3: entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE; etagc = %x21 / %x23-7E / obs-text.
const ENTITY_TAG = /^(W\/)?"[\x21\x23-\x7e\x80-\xff]*"$/;

/**
 * Parses an If-Match header (RFC 9110 §13.1.1): absent → undefined; `*`; or a comma-separated list of
 * entity tags, each quoted (`"…"` or `W/"…"`). Anything else is a 400 saying what was expected, so a
 * malformed header never reaches the store.
 */
export function parseIfMatch(header: string | null | undefined): IfMatch | undefined {
  if (header === null || header === undefined) return undefined;
  const text = header.trim();
  const expected = 'send * or the ETag from the last GET, quoted (e.g. W/"datetime\'…\'")';
  if (text === '') throw new AppError('INVALID', `the If-Match header is empty; ${expected}`);
  if (text.length > MAX_IF_MATCH_LENGTH)
    throw new AppError('INVALID', `the If-Match header is longer than ${MAX_IF_MATCH_LENGTH} characters`);
  if (text === '*') return { any: true };
  const tags = splitTags(text);
  if (!tags || tags.length === 0 || tags.some((tag) => !ENTITY_TAG.test(tag)))
    throw new AppError('INVALID', `the If-Match header is not * or a list of quoted entity tags; ${expected}`);
  return { any: false, tags };
}

/** Splits on commas outside quotes (a tag may hold a comma); undefined when a quote is left open. */
function splitTags(text: string): string[] | undefined {
  const tags: string[] = [];
  let current = '';
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    if (char === ',' && !quoted) {
      tags.push(current.trim());
      current = '';
    } else current += char;
  }
  if (quoted) return undefined;
  tags.push(current.trim());
  return tags.filter((tag) => tag !== '');
}

/** The opaque part of an entity tag: weak comparison (RFC 9110 §8.8.3.2), since Table Storage ETags are weak. */
const opaque = (tag: string) => (tag.startsWith('W/') ? tag.slice(2) : tag);

/**
 * Which of the header's tags matches `currentEtag` (returned as the stored ETag, so the conditional write
 * uses exactly it), or undefined when none does. `*` matches any existing resource.
 */
export function matchingEtag(ifMatch: IfMatch, currentEtag: string): string | undefined {
  if (ifMatch.any) return currentEtag;
  return ifMatch.tags.some((tag) => opaque(tag) === opaque(currentEtag)) ? currentEtag : undefined;
}
