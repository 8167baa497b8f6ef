import { parseFilter, type RowPredicate } from './odataFilter';
import { badRequest } from './XapiError';

/** What an entity set allows in its query options. */
export interface EntitySetShape {
  /** The set's name in `@odata.context`, e.g. 'Users'. */
  name: string;
  /** The entity type named in errors, e.g. 'Pbx.User'. */
  typeName: string;
  /** Every property `$select`, `$filter` and `$orderby` may name (the spec's, not only what the sandbox stores). */
  properties: ReadonlySet<string>;
  /** The server-side `$top` ceiling: 100 on Users, Contacts and Peers (two independent live reports). */
  maxTop?: number;
  /** Navigation properties `$expand` may name. */
  expandable?: ReadonlySet<string>;
}

export interface ListQuery {
  top: number | undefined;
  skip: number;
  count: boolean;
  select: string[] | undefined;
  expand: string[];
  filter: RowPredicate | undefined;
  orderBy: { property: string; descending: boolean } | undefined;
}

const KNOWN_OPTIONS = new Set(['$top', '$skip', '$count', '$select', '$filter', '$orderby', '$expand']);

function wholeNumber(option: string, raw: string): number {
  if (!/^\d+$/.test(raw)) throw badRequest(`The query parameter '${option}' must be a non-negative integer, not '${raw}'.`);
  return Number(raw);
}

/** `$select`: each name must be a property of the set (OData answers 400 for an unknown one). */
export function parseSelect(raw: string | null, shape: EntitySetShape): string[] | undefined {
  if (raw === null) return undefined;
  const names = raw.split(',').map((n) => n.trim());
  for (const name of names) {
    if (!shape.properties.has(name)) throw badRequest(`Could not find a property named '${name}' on type '${shape.typeName}'.`);
  }
  return names;
}

/** `$expand`: a navigation property, optionally with a nested `$expand` (e.g. `Groups($expand=Rights)`). */
export function parseExpand(raw: string | null, shape: EntitySetShape): string[] {
  if (raw === null) return [];
  return raw.split(/,(?![^(]*\))/).map((item) => {
    const name = /^\s*([A-Za-z]+)/.exec(item)?.[1] ?? item;
    if (!shape.expandable?.has(name)) throw badRequest(`$expand: the sandbox cannot expand '${item.trim()}' on ${shape.name}.`);
    return item.trim();
  });
}

/** The query options of a list request; unknown `$` options are refused so a typo cannot silently return everything. */
export function parseListQuery(query: URLSearchParams, shape: EntitySetShape): ListQuery {
  for (const key of query.keys()) {
    if (key.startsWith('$') && !KNOWN_OPTIONS.has(key)) throw badRequest(`The sandbox does not support the query option '${key}'.`);
  }
  const topRaw = query.get('$top');
  const top = topRaw === null ? undefined : wholeNumber('$top', topRaw);
  if (top !== undefined && shape.maxTop !== undefined && top > shape.maxTop)
    throw badRequest(`The limit of '${shape.maxTop}' for Top query has been exceeded. Please adjust the query and try again.`);
  const skipRaw = query.get('$skip');
  const countRaw = query.get('$count');
  if (countRaw !== null && countRaw !== 'true' && countRaw !== 'false')
    throw badRequest(`$count must be true or false, not '${countRaw}'.`);
  const filterRaw = query.get('$filter');
  return {
    top,
    skip: skipRaw === null ? 0 : wholeNumber('$skip', skipRaw),
    count: countRaw === 'true',
    select: parseSelect(query.get('$select'), shape),
    expand: parseExpand(query.get('$expand'), shape),
    filter: filterRaw === null ? undefined : parseFilter(filterRaw, shape.properties),
    orderBy: parseOrderBy(query.get('$orderby'), shape),
  };
}

function parseOrderBy(raw: string | null, shape: EntitySetShape): ListQuery['orderBy'] {
  if (raw === null) return undefined;
  const match = /^\s*([A-Za-z]+)(?:\s+(asc|desc))?\s*$/.exec(raw);
  if (!match || !shape.properties.has(match[1]!))
    throw badRequest(`$orderby: the sandbox supports one property with asc or desc, not '${raw}'.`);
  return { property: match[1]!, descending: match[2] === 'desc' };
}

/** Keeps only the selected properties (all of them without `$select`), plus any expanded navigation properties. */
export function project(
  row: Record<string, unknown>,
  select: string[] | undefined,
  expanded: Record<string, unknown> = {},
): Record<string, unknown> {
  const base = select ? Object.fromEntries(select.map((name) => [name, row[name] ?? null])) : { ...row };
  return { ...base, ...expanded };
}

/** The `@odata.context` URL OData puts on every answer. */
export function contextUrl(baseUrl: string, set: string, select: string[] | undefined, entity = false): string {
  return `${baseUrl}/xapi/v1/$metadata#${set}${select ? `(${select.join(',')})` : ''}${entity ? '/$entity' : ''}`;
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v ?? ''));
  return text(a).localeCompare(text(b));
}

/** Filter, order, count, skip and top over full rows, then project: the answer to `GET /Set`. */
export function listAnswer(
  baseUrl: string,
  shape: EntitySetShape,
  rows: Array<Record<string, unknown>>,
  query: ListQuery,
  expand: (row: Record<string, unknown>) => Record<string, unknown> = () => ({}),
): Record<string, unknown> {
  let kept = query.filter ? rows.filter(query.filter) : [...rows];
  const order = query.orderBy;
  if (order) kept = kept.sort((a, b) => compare(a[order.property], b[order.property]) * (order.descending ? -1 : 1));
  const page = kept.slice(query.skip, query.top === undefined ? undefined : query.skip + query.top);
  return {
    '@odata.context': contextUrl(baseUrl, shape.name, query.select),
    ...(query.count ? { '@odata.count': kept.length } : {}),
    value: page.map((row) => project(row, query.select, expand(row))),
  };
}

/** A key in parentheses: `29` (the Id) or `Number='101'` (the alternate key; `''` stands for one quote). */
export type EntityKey = { id: number } | { number: string };

export function parseKey(raw: string): EntityKey {
  if (/^\d+$/.test(raw)) return { id: Number(raw) };
  const match = /^Number='((?:[^']|'')*)'$/.exec(raw);
  if (match) return { number: match[1]!.replace(/''/g, "'") };
  throw badRequest(`The key '${raw}' is not valid: use (Id) or (Number='…').`);
}
