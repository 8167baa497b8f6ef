import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { AppError } from '../core/errors/AppError';
import { type RunTrigger } from '../engine/RunStore';
import { type Logger } from '../core/logging/Logger';
import { json } from '../core/http/jsonResponses';
import { type Services } from '../app/Services';
import { featureContext } from '../app/featureContext';
import { type RequestTenantSyncDeps, requestTenantSync } from '../app/requestTenantSync';
import { allowOnlyQuery, booleanQuery, tenantIdParam } from './pathParams';
import { type TenantRecord } from '../app/TenantStore';
import { type Feature } from '../features/Feature';

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
  return syncNow(deps, id, syncNowQuery(deps, request), log, (runId) => `/api/tenants/${id}/runs/${runId}`);
}

/** What "Sync now" was asked for: `mode` (default full), `dryRun`, and one `feature` or every one in the reconcile. */
export interface SyncNowOptions {
  mode: 'full' | 'delta';
  dryRun: boolean;
  feature: string | undefined;
}

/** "Sync now"'s query string (`mode`, `dryRun`, `feature`): 400 for an unknown, repeated or bad parameter. */
export function syncNowQuery(deps: Pick<Services, 'features'>, request: HttpRequest): SyncNowOptions {
  allowOnlyQuery(request, ['mode', 'dryRun', 'feature']);
  return { dryRun: booleanQuery(request, 'dryRun'), mode: modeQuery(request), feature: featureQuery(deps, request) };
}

/** Who asks: the trigger its runs are recorded with, and whether a dry run lists each planned action. */
export interface SyncNowCaller {
  trigger: RunTrigger;
  /** Each planned action names the user (UPN, fields): operators see it, the PBX API gets counts only. */
  planDetail: boolean;
}

/**
 * "Sync now" for one tenant, shared by the admin API and the PBX API (shared/pbxApi): the dry run's plan
 * (200), or the queued runs (202), each with the `location` where it can be followed (`locationOf`).
 */
export async function syncNow(
  deps: SyncTenantDeps,
  id: string,
  options: SyncNowOptions,
  log: Logger,
  locationOf: (runId: string) => string,
  caller: SyncNowCaller = { trigger: 'manual', planDetail: true },
): Promise<HttpResponseInit> {
  const { mode, dryRun, feature: only } = options;
  const tenant = await deps.tenants.get(id);
  if (!tenant) throw new AppError('NOT_FOUND', `tenant ${id} does not exist`);
  const enabled = deps.features
    .enabledFor(tenant.config)
    .filter(({ feature }) => (only ? feature.manifest.name === only : feature.reconcileOnSchedule));
  if (enabled.length === 0)
    throw new AppError('CONFLICT', `tenant ${id} (or ${only ? `its ${only} feature` : 'every feature'}) is disabled`);

  if (dryRun) {
    const results = await dryRunTenant(deps, tenant, enabled, mode, log, caller.planDetail);
    return json(200, results.length === 1 ? { dryRun: true, ...results[0] } : { dryRun: true, results });
  }
  const runs = (await requestTenantSync(deps, tenant, { mode, trigger: caller.trigger, feature: only })).map((run) => ({
    ...run,
    location: locationOf(run.runId),
  }));
  const first = runs[0]!;
  return json(202, { runId: first.runId, status: 'queued', mode, location: first.location, runs }, { location: first.location });
}

/**
 * The dry run of `features` for `tenant` as given, writing nothing: the stored record ("Sync now" above), or a
 * candidate configuration not saved yet (the console's settings preview passes a TenantRecord built from it).
 */
export async function dryRunTenant(
  deps: Pick<Services, 'connectorsFor'> & Parameters<typeof featureContext>[0],
  tenant: TenantRecord,
  features: { feature: Feature; options: unknown }[],
  mode: 'full' | 'delta',
  log: Logger,
  planDetail: boolean,
) {
  const connectors = await deps.connectorsFor(tenant);
  const results = [];
  for (const { feature, options } of features) {
    const context = featureContext(deps, tenant, connectors, options, feature.manifest.name, log.with({ feature: feature.manifest.name }));
    const { plannedActions, ...preview } = await feature.sync(context, { mode, dryRun: true });
    results.push({ feature: feature.manifest.name, ...preview, ...(planDetail ? { plannedActions } : {}) });
  }
  return results;
}
