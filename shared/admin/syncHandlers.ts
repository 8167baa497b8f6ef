import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { AppError } from '../core/errors/AppError';
import { type Logger } from '../core/logging/Logger';
import { json } from '../core/http/jsonResponses';
import { type Services } from '../app/Services';
import { featureContext } from '../app/featureContext';
import { type RequestTenantSyncDeps, requestTenantSync } from '../app/requestTenantSync';
import { booleanQuery, tenantIdParam } from './pathParams';

function modeQuery(request: HttpRequest): 'full' | 'delta' {
  const mode = request.query.get('mode') ?? 'full';
  if (mode !== 'full' && mode !== 'delta') throw new AppError('INVALID', 'query parameter mode must be full or delta');
  return mode;
}

function featureQuery(deps: Pick<Services, 'features'>, request: HttpRequest): string | undefined {
  const feature = request.query.get('feature') ?? undefined;
  if (feature !== undefined && !deps.features.has(feature)) {
    const known = deps.features.features.map((f) => f.manifest.name).join(', ');
    throw new AppError('INVALID', `query parameter feature must be one of: ${known}`);
  }
  return feature;
}

/** What "Sync now" uses: the tenant, its features and adapters; a dry run's feature context; queuing the runs. */
export type SyncTenantDeps = Pick<Services, 'tenants' | 'features' | 'connectorsFor'> &
  Parameters<typeof featureContext>[0] &
  RequestTenantSyncDeps;

/**
 * POST /tenants/{id}/sync[?feature=…] — "Sync now". Queues a run of every feature that is on for the
 * tenant and takes part in its reconcile (or of the one named) and answers 202 with the run ids; with
 * ?dryRun=true it reads Graph and the PBX, returns each plan, and writes nothing (no PBX write, no token, no
 * link). One feature's answer keeps its fields at the top level (`runId`, `location`; a dry run's counts).
 */
export async function syncTenant(deps: SyncTenantDeps, request: HttpRequest, log: Logger): Promise<HttpResponseInit> {
  const id = tenantIdParam(request);
  const dryRun = booleanQuery(request, 'dryRun');
  const mode = modeQuery(request);
  const only = featureQuery(deps, request);
  const tenant = await deps.tenants.get(id);
  if (!tenant) throw new AppError('NOT_FOUND', `tenant ${id} does not exist`);
  const enabled = deps.features
    .enabledFor(tenant.config)
    .filter(({ feature }) => (only ? feature.manifest.name === only : feature.reconcileOnSchedule));
  if (enabled.length === 0)
    throw new AppError('CONFLICT', `tenant ${id} (or ${only ? `its ${only} feature` : 'every feature'}) is disabled`);

  if (dryRun) {
    const connectors = await deps.connectorsFor(tenant);
    const results = [];
    for (const { feature, options } of enabled) {
      const context = featureContext(deps, tenant, connectors, options, log.with({ feature: feature.manifest.name }));
      results.push({ feature: feature.manifest.name, ...(await feature.sync(context, { mode, dryRun: true })) });
    }
    return json(200, results.length === 1 ? { dryRun: true, ...results[0] } : { dryRun: true, results });
  }
  const runs = (await requestTenantSync(deps, tenant, { mode, trigger: 'manual', feature: only })).map((run) => ({
    ...run,
    location: `/api/tenants/${id}/runs/${run.runId}`,
  }));
  const first = runs[0]!;
  return json(202, { runId: first.runId, status: 'queued', mode, location: first.location, runs }, { location: first.location });
}
