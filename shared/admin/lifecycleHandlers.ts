import { HttpRequest, type HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { type Services } from '../app/Services';
import { type TenantRecord } from '../app/TenantStore';
import { type FeatureContextDeps, featureContext } from '../app/featureContext';
import { withWriterLease } from '../app/withWriterLease';
import { enqueueSubscriptionMaintenance } from '../app/enqueueSubscriptionMaintenance';
import { ensurePolling } from '../app/pollingChain';
import { releasePbxEventTarget } from '../app/pbxEventRegistration';
import { requestTenantSync } from '../app/requestTenantSync';
import { parseAppServicePrincipal } from '../console/appServicePrincipal';
import { type TenantConfig } from '../config/TenantConfig';
import { AppError } from '../core/errors/AppError';
import { ensureError } from '../core/errors/ensureError';
import { json } from '../core/http/jsonResponses';
import { readJsonBody } from '../core/http/readJsonBody';
import { matchingEtag, parseIfMatch } from '../core/http/ifMatch';
import { type Logger } from '../core/logging/Logger';
import { type AuditActor, type AuditEntry } from '../engine/AuditTrail';
import { newRunId } from '../engine/newRunId';
import { type Feature, type FeatureTeardownRequest, type FeatureTeardownResult } from '../features/Feature';
import { FeatureNameSchema } from '../features/FeatureName';
import { TenantSubscriptions } from '../subscriptions/TenantSubscriptions';
import { allowOnlyQuery, booleanQuery, tenantIdParam } from './pathParams';
import { type DeleteTenantDeps, deleteTenant } from './tenantHandlers';

/*
 * Pause / resume a feature, disable / enable a tenant, disconnect a tenant (docs/LIFECYCLE.md), each recorded
 * in the tenant's audit trail with who did it.
 */

/** What pause and disconnect take: what becomes of the PBX records, and the confirmation (absent: a preview). */
export const TeardownBodySchema = z
  .object({
    pbxRecords: z.enum(['delete', 'retain'], {
      error: 'must be "delete" (the connector deletes what it created) or "retain" (left on the PBX, no longer managed)',
    }),
    confirm: z.literal(true, { error: 'must be true to act (leave it out for the preview)' }).optional(),
  })
  .strict();

export const AuditQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) });

/**
 * Who made an admin API request, for the audit trail: the App Service principal when App Service Authentication
 * fronts the app (CONSOLE_AUTH=appService: only then does App Service strip a forged `x-ms-client-principal`),
 * else the admin key (the function key says no more than that). The console reuses it.
 */
export function auditActorOf(request: Pick<HttpRequest, 'headers'>, env: NodeJS.ProcessEnv = process.env): AuditActor {
  if (env.CONSOLE_AUTH?.trim() === 'appService') {
    const principal = parseAppServicePrincipal(request.headers.get('x-ms-client-principal'));
    if (principal) return { kind: 'appService', name: principal.name.slice(0, 256) };
  }
  return { kind: 'adminKey', name: 'admin key' };
}

/**
 * Records an entry after the action happened. The action is done either way, so a failure to record is
 * logged and reported in the answer (`auditRecorded: false`) rather than turned into an error that invites a retry.
 */
export async function recordAudit(
  deps: Pick<Services, 'audit'>,
  entry: Omit<AuditEntry, 'at'> & { at?: string },
  log: Logger,
): Promise<boolean> {
  try {
    await deps.audit.record({ ...entry, at: entry.at ?? new Date().toISOString() });
    return true;
  } catch (err) {
    log.error('could not record the audit entry', { tenant: entry.tenantId, action: entry.action, error: ensureError(err).message });
    return false;
  }
}

/** What the lifecycle routes use. */
export type LifecycleDeps = DeleteTenantDeps &
  FeatureContextDeps &
  Pick<Services, 'tenants' | 'features' | 'leases' | 'audit' | 'queue' | 'pollCycles' | 'connectorsFor' | 'runs'>;

function featureParam(deps: Pick<Services, 'features'>, request: HttpRequest): Feature {
  const parsed = FeatureNameSchema.safeParse(request.params.feature ?? '');
  if (!parsed.success) throw new AppError('INVALID', `invalid feature name: ${parsed.error.issues[0]?.message}`);
  if (!deps.features.has(parsed.data)) {
    const known = deps.features.features.map((f) => f.manifest.name).join(', ');
    throw new AppError('NOT_FOUND', `there is no feature ${parsed.data}; the features are ${known}`);
  }
  return deps.features.get(parsed.data);
}

async function existingTenant(deps: Pick<Services, 'tenants'>, id: string): Promise<TenantRecord> {
  const tenant = await deps.tenants.get(id);
  if (!tenant) throw new AppError('NOT_FOUND', `tenant ${id} does not exist`);
  return tenant;
}

type FeatureSection = { enabled: boolean } & Record<string, unknown>;

/** The feature's section of the configuration (its name is the section's key: featureOptionSections). */
function sectionOf(config: TenantConfig, feature: Feature): FeatureSection {
  return (config as unknown as Record<string, FeatureSection>)[feature.manifest.name]!;
}

/** The configuration with the feature switched on or off. */
export function withFeatureSwitch(config: TenantConfig, feature: Feature, enabled: boolean): TenantConfig {
  return { ...config, [feature.manifest.name]: { ...sectionOf(config, feature), enabled } };
}

/**
 * The feature's options whatever its switch and the tenant's say: a feature turned off by a PUT (or a disabled
 * tenant) may still hold links, so a pause or disconnect tears down what it left.
 */
function optionsOf(config: TenantConfig, feature: Feature): unknown {
  return feature.optionsFor(withFeatureSwitch({ ...config, enabled: true }, feature, true));
}

/**
 * A feature without a teardown (contacts, phonebook, photos for now): what it wrote stays on the PBX (handed
 * over) and the engine forgets the state it knows belongs to it.
 */
async function forgetFeatureState(
  deps: Pick<Services, 'contactSources' | 'contactLinks' | 'photoStates' | 'deltaStates'>,
  tenantId: string,
  feature: Feature,
  dryRun: boolean,
): Promise<FeatureTeardownResult> {
  const name = feature.manifest.name;
  const result: FeatureTeardownResult = { deleted: 0, handedOver: 0, restored: 0, failed: 0, notes: [] };
  result.notes.push(`${name} has no teardown yet: what it wrote stays on the PBX, whatever pbxRecords says`);
  if (name === 'photos') {
    result.handedOver = (await deps.photoStates.listByTenant(tenantId)).length;
    if (!dryRun) await deps.photoStates.deleteAllForTenant(tenantId);
    return result;
  }
  const sources = await deps.contactSources.listByTenant(tenantId, name);
  for (const source of sources) {
    result.handedOver += (await deps.contactLinks.listBySource(tenantId, source.sourceKey)).length;
    if (dryRun) continue;
    await deps.contactLinks.deleteSource(tenantId, source.sourceKey);
    await deps.deltaStates.clear(tenantId, source.sourceKey);
    await deps.contactSources.delete(tenantId, source.sourceKey);
  }
  return result;
}

/**
 * One feature's teardown (or its preview), under the tenant's writer lease for the feature's lane when it acts;
 * `prepare` runs first under the same lease (pause turns the feature off there) and gives the tenant as it is then.
 */
async function tearDownFeature(
  deps: LifecycleDeps,
  tenant: TenantRecord,
  feature: Feature,
  request: FeatureTeardownRequest,
  log: Logger,
  prepare: () => Promise<TenantRecord> = async () => tenant,
): Promise<FeatureTeardownResult> {
  const name = feature.manifest.name;
  const work = async (): Promise<FeatureTeardownResult> => {
    const current = await prepare();
    if (!feature.teardown) return forgetFeatureState(deps, current.id, feature, request.dryRun);
    const connectors = await deps.connectorsFor(current, feature.manifest.lane);
    const context = featureContext(deps, current, connectors, optionsOf(current.config, feature), name, log.with({ feature: name }));
    return feature.teardown(context, request);
  };
  if (request.dryRun) return work();
  return withWriterLease(deps.leases, { tenantId: tenant.id, lane: feature.manifest.lane }, newRunId(), log, work);
}

/** Replaces the configuration only if nobody changed it since it was read (412 otherwise: read it again). */
async function replaceConfig(deps: Pick<Services, 'tenants'>, tenant: TenantRecord, config: TenantConfig): Promise<TenantRecord> {
  return deps.tenants.replace(tenant.id, config, tenant.etag);
}

/**
 * POST /tenants/{id}/features/{feature}/pause — body {pbxRecords, confirm?}. Without confirm (or with
 * ?dryRun=true) the counts it would delete, hand over and restore; with confirm the feature is turned off
 * (ETag-safe), its teardown runs under the lane's writer lease, and the audit trail records it.
 */
export async function pauseFeature(deps: LifecycleDeps, request: HttpRequest, log: Logger): Promise<HttpResponseInit> {
  const id = tenantIdParam(request);
  allowOnlyQuery(request, ['dryRun']);
  const feature = featureParam(deps, request);
  const previewAsked = booleanQuery(request, 'dryRun');
  const body = await readJsonBody(request, TeardownBodySchema);
  let tenant = await existingTenant(deps, id);
  const name = feature.manifest.name;
  const wasEnabled = sectionOf(tenant.config, feature).enabled;
  if (previewAsked || body.confirm !== true) {
    const preview = await tearDownFeature(deps, tenant, feature, { pbxRecords: body.pbxRecords, dryRun: true }, log);
    return json(200, { dryRun: true, feature: name, pbxRecords: body.pbxRecords, enabled: wasEnabled, ...preview });
  }
  // Off first, under the lease: no run of the feature starts again while its records are let go.
  const result = await tearDownFeature(deps, tenant, feature, { pbxRecords: body.pbxRecords, dryRun: false }, log, async () => {
    if (wasEnabled) tenant = await replaceConfig(deps, tenant, withFeatureSwitch(tenant.config, feature, false));
    return tenant;
  });
  // Its subscriptions (and, for callState, the PBX's event URL) follow the new options.
  await enqueueSubscriptionMaintenance(deps, id, tenant.etag, 'manual');
  const auditRecorded = await recordAudit(
    deps,
    {
      tenantId: id,
      actor: auditActorOf(request),
      action: 'feature.pause',
      detail: { feature: name, pbxRecords: body.pbxRecords, wasEnabled, ...result },
    },
    log,
  );
  return json(200, { feature: name, pbxRecords: body.pbxRecords, enabled: false, ...result, auditRecorded }, { etag: tenant.etag });
}

/**
 * POST /tenants/{id}/features/{feature}/resume — turns the feature on again (ETag-safe), queues its subscription
 * upkeep, polling and, for a feature in the reconcile, a full run (which links again what it finds).
 */
export async function resumeFeature(deps: LifecycleDeps, request: HttpRequest, log: Logger): Promise<HttpResponseInit> {
  const id = tenantIdParam(request);
  allowOnlyQuery(request, []);
  const feature = featureParam(deps, request);
  let tenant = await existingTenant(deps, id);
  const name = feature.manifest.name;
  const wasEnabled = sectionOf(tenant.config, feature).enabled;
  if (!wasEnabled) tenant = await replaceConfig(deps, tenant, withFeatureSwitch(tenant.config, feature, true));
  await enqueueSubscriptionMaintenance(deps, id, tenant.etag, 'manual');
  await ensurePolling(deps, tenant, 'manual', new Date());
  const runs =
    tenant.config.enabled && feature.reconcileOnSchedule
      ? await requestTenantSync(deps, tenant, { mode: 'full', trigger: 'manual', feature: name })
      : [];
  const auditRecorded = await recordAudit(
    deps,
    { tenantId: id, actor: auditActorOf(request), action: 'feature.resume', detail: { feature: name, wasEnabled } },
    log,
  );
  return json(
    200,
    { feature: name, enabled: true, wasEnabled, tenantEnabled: tenant.config.enabled, runs, auditRecorded },
    { etag: tenant.etag },
  );
}

/**
 * POST /tenants/{id}/disable — nothing syncs (the scheduler, polling, timers and workers skip a disabled tenant),
 * its Graph subscriptions go and the PBX stops sending call events here. Links and state are kept: enable resumes.
 */
export async function disableTenant(deps: LifecycleDeps, request: HttpRequest, log: Logger): Promise<HttpResponseInit> {
  const id = tenantIdParam(request);
  allowOnlyQuery(request, []);
  let tenant = await existingTenant(deps, id);
  const wasEnabled = tenant.config.enabled;
  if (wasEnabled) tenant = await replaceConfig(deps, tenant, { ...tenant.config, enabled: false });
  const notes: string[] = [];
  let subscriptionsRemoved = 0;
  try {
    const connectors = await deps.connectorsFor(tenant);
    subscriptionsRemoved = (await new TenantSubscriptions(deps, tenant, connectors.subscriptions, log).removeAll()).length;
    await releasePbxEventTarget(deps, id, connectors.pbxEventTarget, log);
  } catch (err) {
    // The next subscription upkeep removes them (a disabled tenant keeps none); Graph expires them anyway.
    notes.push(`could not remove everything at Graph or the PBX now (${ensureError(err).message}); the subscription upkeep tries again`);
    await enqueueSubscriptionMaintenance(deps, id, tenant.etag, 'manual');
  }
  const auditRecorded = await recordAudit(
    deps,
    { tenantId: id, actor: auditActorOf(request), action: 'tenant.disable', detail: { wasEnabled, subscriptionsRemoved } },
    log,
  );
  return json(200, { enabled: false, wasEnabled, subscriptionsRemoved, notes, auditRecorded }, { etag: tenant.etag });
}

/** POST /tenants/{id}/enable — syncing again: subscriptions made anew (queued upkeep), polling started. */
export async function enableTenant(deps: LifecycleDeps, request: HttpRequest, log: Logger): Promise<HttpResponseInit> {
  const id = tenantIdParam(request);
  allowOnlyQuery(request, []);
  let tenant = await existingTenant(deps, id);
  const wasEnabled = tenant.config.enabled;
  if (!wasEnabled) tenant = await replaceConfig(deps, tenant, { ...tenant.config, enabled: true });
  const maintenanceJobId = await enqueueSubscriptionMaintenance(deps, id, tenant.etag, 'manual');
  const pollingStarted = await ensurePolling(deps, tenant, 'manual', new Date());
  const auditRecorded = await recordAudit(
    deps,
    { tenantId: id, actor: auditActorOf(request), action: 'tenant.enable', detail: { wasEnabled } },
    log,
  );
  return json(200, { enabled: true, wasEnabled, maintenanceJobId, pollingStarted, auditRecorded }, { etag: tenant.etag });
}

/** Teardown order: the status sources first (they need the users' links to reach the PBX), users last. */
function teardownOrder(features: readonly Feature[]): Feature[] {
  const rank = (f: Feature) => (f.manifest.name === 'users' ? 2 : f.manifest.lane === 'realtime' ? 0 : 1);
  return [...features].sort((a, b) => rank(a) - rank(b));
}

/**
 * POST /tenants/{id}/disconnect — body {pbxRecords, confirm?}. The preview (no confirm, or ?dryRun=true) gives
 * the counts per feature. With confirm: the tenant is disabled (nothing starts), every feature that is on is torn
 * down (delete or retain), then everything DELETE /tenants/{id} does; the audit entry is written last and kept.
 */
export async function disconnectTenant(deps: LifecycleDeps, request: HttpRequest, log: Logger): Promise<HttpResponseInit> {
  const id = tenantIdParam(request);
  allowOnlyQuery(request, ['dryRun']);
  const previewAsked = booleanQuery(request, 'dryRun');
  const ifMatch = parseIfMatch(request.headers.get('if-match'));
  const body = await readJsonBody(request, TeardownBodySchema);
  let tenant = await existingTenant(deps, id);
  if (ifMatch && matchingEtag(ifMatch, tenant.etag) === undefined)
    throw new AppError(
      'PRECONDITION_FAILED',
      `tenant ${id} was changed: If-Match does not match its current ETag ${tenant.etag}; GET it again`,
    );
  const features = teardownOrder(
    deps.features.features.filter(
      (feature) => sectionOf(tenant.config, feature).enabled && optionsOf(tenant.config, feature) !== undefined,
    ),
  );
  const dryRun = previewAsked || body.confirm !== true;
  if (!dryRun && tenant.config.enabled) tenant = await replaceConfig(deps, tenant, { ...tenant.config, enabled: false });
  const results: ({ feature: string } & FeatureTeardownResult)[] = [];
  for (const feature of features) {
    try {
      results.push({
        feature: feature.manifest.name,
        ...(await tearDownFeature(deps, tenant, feature, { pbxRecords: body.pbxRecords, dryRun }, log)),
      });
    } catch (err) {
      if (!dryRun) {
        // Nothing is deleted while a feature could not let go of its records: the tenant stays (disabled), to disconnect again.
        await recordAudit(
          deps,
          {
            tenantId: id,
            actor: auditActorOf(request),
            action: 'tenant.disconnect',
            detail: { pbxRecords: body.pbxRecords, completed: false, results, failedFeature: feature.manifest.name },
          },
          log,
        );
      }
      throw err;
    }
  }
  if (dryRun) return json(200, { dryRun: true, pbxRecords: body.pbxRecords, results });
  // DELETE's own steps (subscriptions at Graph, secrets, links, states, keys, the PBX event URL), unconditional:
  // the If-Match above was checked before the tenant was disabled here.
  await deleteTenant(deps, new HttpRequest({ method: 'DELETE', url: `http://localhost/api/tenants/${id}`, params: { id } }), log);
  const auditRecorded = await recordAudit(
    deps,
    {
      tenantId: id,
      actor: auditActorOf(request),
      action: 'tenant.disconnect',
      detail: { pbxRecords: body.pbxRecords, completed: true, results },
    },
    log,
  );
  return json(200, { disconnected: true, pbxRecords: body.pbxRecords, results, auditRecorded });
}

/**
 * GET /tenants/{id}/audit?limit=N — the newest entries. A disconnected tenant's trail is kept, so this answers
 * for a tenant that no longer exists too (an empty list for one that never did).
 */
export async function listAudit(deps: Pick<Services, 'audit'>, request: HttpRequest): Promise<HttpResponseInit> {
  const id = tenantIdParam(request);
  allowOnlyQuery(request, ['limit']);
  const parsed = AuditQuerySchema.safeParse({ limit: request.query.get('limit') ?? undefined });
  if (!parsed.success) throw new AppError('INVALID', 'query parameter limit must be a whole number from 1 to 500');
  return json(200, { value: await deps.audit.list(id, parsed.data.limit) });
}
