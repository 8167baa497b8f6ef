import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { AppError } from '../core/errors/AppError';
import { json } from '../core/http/jsonResponses';
import { allowOnlyQuery, tenantIdParam } from './pathParams';
import { type TenantStatusDeps, buildTenantStatus } from './tenantStatus';

/**
 * GET /tenants/{id}/status — the console's data as JSON, for the PBX's admins and for monitoring: connection
 * state with what to do, the last run, runs in progress, the next scheduled run, each feature's card, the Graph
 * subscriptions' health, the Graph credential's days left, the latest errors.
 */
export async function getTenantStatus(deps: TenantStatusDeps, request: HttpRequest): Promise<HttpResponseInit> {
  const id = tenantIdParam(request);
  allowOnlyQuery(request, []);
  const status = await buildTenantStatus(deps, id, new Date());
  if (!status) throw new AppError('NOT_FOUND', `tenant ${id} does not exist`);
  return json(200, status);
}
