import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { AppError } from '../core/errors/AppError';
import { json } from '../core/http/jsonResponses';
import { type Services } from '../app/Services';
import { requestSync } from '../app/requestSync';
import { runUserSync } from '../features/users/runUserSync';
import { booleanQuery, tenantIdParam } from './pathParams';

function modeQuery(request: HttpRequest): 'full' | 'delta' {
  const mode = request.query.get('mode') ?? 'full';
  if (mode !== 'full' && mode !== 'delta') throw new AppError('INVALID', 'query parameter mode must be full or delta');
  return mode;
}

/**
 * POST /tenants/{id}/sync — "Sync now". Queues a run and answers 202 with its id; with ?dryRun=true it
 * reads Graph and the PBX, returns the plan, and writes nothing (no PBX write, no token, no link).
 */
export async function syncTenant(services: Services, request: HttpRequest): Promise<HttpResponseInit> {
  const id = tenantIdParam(request);
  const dryRun = booleanQuery(request, 'dryRun');
  const mode = modeQuery(request);
  const tenant = await services.tenants.get(id);
  if (!tenant) throw new AppError('NOT_FOUND', `tenant ${id} does not exist`);
  if (!tenant.config.enabled || !tenant.config.users.enabled) throw new AppError('CONFLICT', `tenant ${id} (or its user sync) is disabled`);

  if (dryRun) {
    const connectors = await services.connectorsFor(tenant);
    const result = await runUserSync(
      {
        tenantId: id,
        options: tenant.config.users,
        directoryReader: connectors.directoryReader,
        pbx: connectors.pbx,
        deltaStates: services.deltaStates,
        links: services.links,
        pendingUsers: services.pendingUsers,
        concurrency: services.syncConcurrency,
      },
      { mode, dryRun: true },
    );
    return json(200, { dryRun: true, ...result });
  }
  const { runId } = await requestSync(services, { tenantId: id, mode, trigger: 'manual' });
  const location = `/api/tenants/${id}/runs/${runId}`;
  return json(202, { runId, status: 'queued', mode, location }, { location });
}
