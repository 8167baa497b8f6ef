import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { AppError } from '../core/errors/AppError';
import { json } from '../core/http/jsonResponses';
import { type Services } from '../app/Services';
import { allowOnlyQuery, runIdParam, tenantIdParam } from './pathParams';

async function requireTenant(deps: Pick<Services, 'tenants'>, id: string): Promise<void> {
  if (!(await deps.tenants.get(id))) throw new AppError('NOT_FOUND', `tenant ${id} does not exist`);
}

export async function getRun(deps: Pick<Services, 'tenants' | 'runs'>, request: HttpRequest): Promise<HttpResponseInit> {
  const id = tenantIdParam(request);
  const runId = runIdParam(request);
  allowOnlyQuery(request, []);
  await requireTenant(deps, id);
  const run = await deps.runs.get(id, runId);
  if (!run) throw new AppError('NOT_FOUND', `run ${runId} does not exist for tenant ${id}`);
  return json(200, run);
}

/** GET /tenants/{id}/runs?limit=N — newest first (default 20, at most 100). */
export async function listRuns(deps: Pick<Services, 'tenants' | 'runs'>, request: HttpRequest): Promise<HttpResponseInit> {
  const id = tenantIdParam(request);
  allowOnlyQuery(request, ['limit']);
  const limitText = request.query.get('limit') ?? '20';
  const limit = Number(limitText);
  if (!/^\d+$/.test(limitText) || limit < 1 || limit > 100)
    throw new AppError('INVALID', 'query parameter limit must be an integer from 1 to 100');
  await requireTenant(deps, id);
  return json(200, { value: await deps.runs.list(id, limit) });
}
