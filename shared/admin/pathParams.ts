import type { HttpRequest } from '@azure/functions';
import { TenantIdSchema } from '../config/TenantConfig';
import { AppError } from '../core/errors/AppError';
import { RunIdSchemaPattern } from '../engine/newRunId';

export function tenantIdParam(request: HttpRequest): string {
  const parsed = TenantIdSchema.safeParse(request.params.id ?? '');
  if (!parsed.success) throw new AppError('INVALID', `invalid tenant id: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

export function runIdParam(request: HttpRequest): string {
  const runId = request.params.runId ?? '';
  if (!RunIdSchemaPattern.test(runId)) throw new AppError('INVALID', 'invalid run id: expected 13 digits, a dash and 8 hex characters');
  return runId;
}

/** A boolean query flag: absent → false; "true"/"false" accepted; anything else is a 400. */
export function booleanQuery(request: HttpRequest, name: string): boolean {
  const value = request.query.get(name);
  if (value === null || value === 'false') return false;
  if (value === 'true' || value === '') return true;
  throw new AppError('INVALID', `query parameter ${name} must be true or false`);
}

/**
 * Refuses (400) a query parameter the route does not know (a typo such as `dryrun=true` would otherwise
 * be ignored, and run a real sync) or one given twice (`limit=1&limit=500`: which one counts?). `code` is
 * always allowed: it is the function key, which Azure Functions accepts in the query string. Names in
 * `repeatable` may repeat (a list, e.g. `outcome`).
 */
export function allowOnlyQuery(request: HttpRequest, names: readonly string[], repeatable: readonly string[] = []): void {
  const seen = new Set<string>();
  for (const name of request.query.keys()) {
    if (name !== 'code' && !names.includes(name)) {
      const known = names.length ? `it knows ${names.join(', ')}` : 'it takes none';
      throw new AppError('INVALID', `unknown query parameter ${JSON.stringify(name.slice(0, 64))}: ${known}`);
    }
    if (seen.has(name) && !repeatable.includes(name)) throw new AppError('INVALID', `query parameter ${name} is given more than once`);
    seen.add(name);
  }
}
