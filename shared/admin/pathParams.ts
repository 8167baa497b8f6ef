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
