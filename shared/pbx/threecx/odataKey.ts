import { AppError } from '../../core/errors/AppError';

/**
 * A string as an OData literal inside a URL path or `$filter`: quoted, with each `'` doubled (OData's only
 * escape inside a string literal) and then percent-encoded, so `O'Brien` becomes `'O''Brien'` on the wire and
 * no value can close the literal early or add a query option.
 */
export function odataString(value: string): string {
  return `'${encodeURIComponent(value.replace(/'/g, "''"))}'`;
}

/**
 * An entity id as an OData key. XAPI ids are int32; anything else cannot name an entity, so it is NOT_FOUND
 * (callers treat that as "no such user/contact") rather than sent.
 */
export function odataId(id: string, what: string): string {
  if (!/^-?\d{1,10}$/.test(id)) throw new AppError('NOT_FOUND', `${what}: 3CX ids are numbers, so there is no ${JSON.stringify(id)}`);
  return id;
}
