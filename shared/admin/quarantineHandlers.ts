import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { AppError } from '../core/errors/AppError';
import { type Logger } from '../core/logging/Logger';
import { json } from '../core/http/jsonResponses';
import { type Services } from '../app/Services';
import { QUARANTINE_NUMBER_PATTERN } from '../engine/NumberQuarantineStore';
import { allowOnlyQuery, tenantIdParam } from './pathParams';

export type QuarantineDeps = Pick<Services, 'tenants' | 'numberQuarantine'>;

async function requireTenant(deps: Pick<Services, 'tenants'>, id: string): Promise<void> {
  if (!(await deps.tenants.get(id))) throw new AppError('NOT_FOUND', `tenant ${id} does not exist`);
}

function numberParam(request: HttpRequest): string {
  const number = request.params.number ?? '';
  if (!QUARANTINE_NUMBER_PATTERN.test(number)) throw new AppError('INVALID', 'invalid extension number: expected 1-64 digits');
  return number;
}

/** Numbers in numeric order (row keys sort as text: "999" after "1000"). */
const byNumber = (a: { number: string }, b: { number: string }) => a.number.length - b.number.length || a.number.localeCompare(b.number);

/**
 * GET /tenants/{id}/quarantine — the numbers deletes freed that are still kept from reuse: each with
 * `quarantinedAt`, `releaseAt`, the Entra object id whose extension held it, and why it was freed.
 */
export async function listQuarantine(deps: QuarantineDeps, request: HttpRequest): Promise<HttpResponseInit> {
  const id = tenantIdParam(request);
  allowOnlyQuery(request, []);
  await requireTenant(deps, id);
  const active = await deps.numberQuarantine.activeNumbers(id, new Date());
  const value = active.sort(byNumber).map(({ number, quarantinedAt, releaseAt, objectId, reason }) => ({
    number,
    quarantinedAt,
    releaseAt,
    objectId: objectId ?? null,
    reason,
  }));
  return json(200, { value });
}

/**
 * DELETE /tenants/{id}/quarantine/{number} — releases the number early (204): the next user who needs a
 * number may get it. 404 when the tenant has no such number in quarantine.
 */
export async function releaseQuarantinedNumber(deps: QuarantineDeps, request: HttpRequest, log: Logger): Promise<HttpResponseInit> {
  const id = tenantIdParam(request);
  const number = numberParam(request);
  allowOnlyQuery(request, []);
  await requireTenant(deps, id);
  if (!(await deps.numberQuarantine.release(id, number)))
    throw new AppError('NOT_FOUND', `tenant ${id} has no quarantined number ${number}`);
  log.info('quarantined number released early', { tenant: id, number });
  return { status: 204 };
}
