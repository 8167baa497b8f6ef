import { HttpRequest } from '@azure/functions';
import { type Services } from '../app/Services';
import { type TenantRecord } from '../app/TenantStore';
import { type FeatureContextDeps, featureContext } from '../app/featureContext';
import { withWriterLease } from '../app/withWriterLease';
import { enqueueSubscriptionMaintenance } from '../app/enqueueSubscriptionMaintenance';
import { ensurePolling } from '../app/pollingChain';
import { releasePbxEventTarget } from '../app/pbxEventRegistration';
import { requestTenantSync } from '../app/requestTenantSync';
import { type TenantConfig } from '../config/TenantConfig';
import { AppError } from '../core/errors/AppError';
import { ensureError } from '../core/errors/ensureError';
import { type Logger } from '../core/logging/Logger';
import { type AuditActor, type AuditEntry } from '../engine/AuditTrail';
import { newRunId } from '../engine/newRunId';
import { type Feature, type FeatureTeardownRequest, type FeatureTeardownResult } from '../features/Feature';
import { FeatureNameSchema } from '../features/FeatureName';
import { TenantSubscriptions } from '../subscriptions/TenantSubscriptions';
import { type DeleteTenantDeps, assertPbxSupportsFeatures, deleteTenant } from './tenantHandlers';

/*
 * Pause / resume a feature, disable / enable a tenant, disconnect a tenant (docs/LIFECYCLE.md): what the admin
 * API's routes (lifecycleHandlers.ts) and the console's buttons do alike, each recorded in the tenant's audit
 * trail under whoever asked.
 */

/** Who asked, for the audit trail; `via` names the console when the console asked. */
export interface LifecycleRequester {
  actor: AuditActor;
  via?: 'console' | undefined;
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

function recordLifecycle(
  deps: Pick<Services, 'audit'>,
  tenantId: string,
  who: LifecycleRequester,
  action: string,
  detail: Record<string, unknown>,
  log: Logger,
): Promise<boolean> {
  return recordAudit(deps, { tenantId, actor: who.actor, action, detail: who.via ? { ...detail, via: who.via } : detail }, log);
}

/** What the lifecycle actions use. */
export type LifecycleDeps = DeleteTenantDeps &
  FeatureContextDeps &
  Pick<Services, 'tenants' | 'features' | 'leases' | 'audit' | 'queue' | 'pollCycles' | 'connectorsFor' | 'runs'>;

/** The feature a route or form names (400 for a malformed name, 404 for one the registry does not have). */
export function namedFeature(deps: Pick<Services, 'features'>, name: string): Feature {
  const parsed = FeatureNameSchema.safeParse(name);
  if (!parsed.success) throw new AppError('INVALID', `invalid feature name: ${parsed.error.issues[0]?.message}`);
  if (!deps.features.has(parsed.data)) {
    const known = deps.features.features.map((f) => f.manifest.name).join(', ');
    throw new AppError('NOT_FOUND', `there is no feature ${parsed.data}; the features are ${known}`);
  }
  return deps.features.get(parsed.data);
}

export async function existingTenant(deps: Pick<Services, 'tenants'>, id: string): Promise<TenantRecord> {
  const tenant = await deps.tenants.get(id);
  if (!tenant) throw new AppError('NOT_FOUND', `tenant ${id} does not exist`);
  return tenant;
}

type FeatureSection = { enabled: boolean } & Record<string, unknown>;

/** The feature's section of the configuration (its name is the section's key: featureOptionSections). */
export function sectionOf(config: TenantConfig, feature: Feature): FeatureSection {
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

/** A feature without a teardown makes nothing on the PBX of its own: there is nothing to let go of. */
function nothingToTearDown(feature: Feature): FeatureTeardownResult {
  return { deleted: 0, handedOver: 0, restored: 0, failed: 0, notes: [`${feature.manifest.name} keeps nothing on the PBX to let go of`] };
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
    if (!feature.teardown) return nothingToTearDown(feature);
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

export type TeardownChoice = FeatureTeardownRequest['pbxRecords'];

/** A lifecycle action's answer: what the API returns as JSON, and the tenant's new ETag when the configuration changed. */
export interface LifecycleOutcome<Body> {
  body: Body;
  etag?: string | undefined;
}

export type PauseBody = { feature: string; pbxRecords: TeardownChoice; enabled: boolean } & FeatureTeardownResult &
  ({ dryRun: true } | { dryRun?: undefined; auditRecorded: boolean });

/**
 * Pauses a feature. Without `confirm` only the counts it would delete, hand over and restore. With it the
 * feature is turned off (ETag-safe), its teardown runs under the lane's writer lease, and the audit trail records it.
 */
export async function pauseFeatureAction(
  deps: LifecycleDeps,
  input: { tenantId: string; feature: Feature; pbxRecords: TeardownChoice; confirm: boolean },
  who: LifecycleRequester,
  log: Logger,
): Promise<LifecycleOutcome<PauseBody>> {
  const { tenantId: id, feature, pbxRecords } = input;
  let tenant = await existingTenant(deps, id);
  const name = feature.manifest.name;
  const wasEnabled = sectionOf(tenant.config, feature).enabled;
  if (!input.confirm) {
    const preview = await tearDownFeature(deps, tenant, feature, { pbxRecords, dryRun: true }, log);
    return { body: { dryRun: true, feature: name, pbxRecords, enabled: wasEnabled, ...preview } };
  }
  // Off first, under the lease: no run of the feature starts again while its records are let go.
  const result = await tearDownFeature(deps, tenant, feature, { pbxRecords, dryRun: false }, log, async () => {
    if (wasEnabled) tenant = await replaceConfig(deps, tenant, withFeatureSwitch(tenant.config, feature, false));
    return tenant;
  });
  // Its subscriptions (and, for callState, the PBX's event URL) follow the new options.
  await enqueueSubscriptionMaintenance(deps, id, tenant.etag, 'manual');
  const auditRecorded = await recordLifecycle(deps, id, who, 'feature.pause', { feature: name, pbxRecords, wasEnabled, ...result }, log);
  return { body: { feature: name, pbxRecords, enabled: false, ...result, auditRecorded }, etag: tenant.etag };
}

/** How many audit entries are read to find a feature's last pause. */
const AUDIT_ENTRIES_FOR_LAST_PAUSE = 100;

/**
 * What a resumed feature does with the records its last pause handed over: users links them again only by
 * e-mail adoption; the contact features copy their contacts again beside the ones handed over.
 */
function handedOverWarning(feature: string, handedOver: number, config: TenantConfig): string | undefined {
  switch (feature) {
    case 'users':
      return config.users.adoptByEmail
        ? undefined
        : `the last pause of users handed ${handedOver} extension(s) over to the PBX; with users.adoptByEmail off, resuming creates a second extension for each of those people. Turn adoptByEmail on first (Settings) to link them again by e-mail, or delete them on the PBX`;
    case 'personalContacts':
    case 'phonebook':
      return `the last pause of ${feature} handed ${handedOver} contact(s) over to the PBX; resuming copies the Outlook contacts again, beside them. Delete the handed-over ones on the PBX first if you do not want them twice`;
    default:
      return undefined;
  }
}

/** What an operator should know before resuming a feature (the console asks to confirm when there is something). */
export async function resumeWarnings(deps: Pick<Services, 'audit'>, tenant: TenantRecord, feature: Feature): Promise<string[]> {
  const name = feature.manifest.name;
  const lastPause = (await deps.audit.list(tenant.id, AUDIT_ENTRIES_FOR_LAST_PAUSE)).find(
    (e) => e.detail.feature === name && (e.action === 'feature.pause' || e.action === 'feature.resume'),
  );
  const handedOver = lastPause?.action === 'feature.pause' ? Number(lastPause.detail.handedOver ?? 0) : 0;
  if (!(handedOver > 0)) return [];
  const warning = handedOverWarning(name, handedOver, tenant.config);
  return warning ? [warning] : [];
}

export interface ResumeBody {
  feature: string;
  enabled: true;
  wasEnabled: boolean;
  tenantEnabled: boolean;
  runs: unknown[];
  warnings: string[];
  auditRecorded: boolean;
}

/**
 * Turns the feature on again (ETag-safe) and queues its subscription upkeep, polling and, for a feature in the
 * reconcile, a full run (which links again what it finds).
 */
export async function resumeFeatureAction(
  deps: LifecycleDeps,
  input: { tenantId: string; feature: Feature },
  who: LifecycleRequester,
  log: Logger,
): Promise<LifecycleOutcome<ResumeBody>> {
  const { tenantId: id, feature } = input;
  let tenant = await existingTenant(deps, id);
  const name = feature.manifest.name;
  const warnings = await resumeWarnings(deps, tenant, feature);
  const wasEnabled = sectionOf(tenant.config, feature).enabled;
  if (!wasEnabled) {
    const resumed = withFeatureSwitch(tenant.config, feature, true);
    // As PUT does: a feature the tenant's PBX cannot serve is refused (422), not left to fail at every run.
    assertPbxSupportsFeatures(deps, resumed);
    tenant = await replaceConfig(deps, tenant, resumed);
  }
  await enqueueSubscriptionMaintenance(deps, id, tenant.etag, 'manual');
  await ensurePolling(deps, tenant, 'manual', new Date());
  const runs =
    tenant.config.enabled && feature.reconcileOnSchedule
      ? await requestTenantSync(deps, tenant, { mode: 'full', trigger: 'manual', feature: name })
      : [];
  const auditRecorded = await recordLifecycle(deps, id, who, 'feature.resume', { feature: name, wasEnabled }, log);
  return {
    body: { feature: name, enabled: true, wasEnabled, tenantEnabled: tenant.config.enabled, runs, warnings, auditRecorded },
    etag: tenant.etag,
  };
}

export interface DisableBody {
  enabled: false;
  wasEnabled: boolean;
  subscriptionsRemoved: number;
  notes: string[];
  auditRecorded: boolean;
}

/**
 * Nothing syncs (the scheduler, polling, timers and workers skip a disabled tenant), its Graph subscriptions go
 * and the PBX stops sending call events here. Links and state are kept: enable resumes.
 */
export async function disableTenantAction(
  deps: LifecycleDeps,
  tenantId: string,
  who: LifecycleRequester,
  log: Logger,
): Promise<LifecycleOutcome<DisableBody>> {
  let tenant = await existingTenant(deps, tenantId);
  const wasEnabled = tenant.config.enabled;
  if (wasEnabled) tenant = await replaceConfig(deps, tenant, { ...tenant.config, enabled: false });
  const notes: string[] = [];
  let subscriptionsRemoved = 0;
  try {
    const connectors = await deps.connectorsFor(tenant);
    subscriptionsRemoved = (await new TenantSubscriptions(deps, tenant, connectors.subscriptions, log).removeAll()).length;
    await releasePbxEventTarget(deps, tenantId, connectors.pbxEventTarget, log);
  } catch (err) {
    // The next subscription upkeep removes them (a disabled tenant keeps none); Graph expires them anyway.
    notes.push(`could not remove everything at Graph or the PBX now (${ensureError(err).message}); the subscription upkeep tries again`);
    await enqueueSubscriptionMaintenance(deps, tenantId, tenant.etag, 'manual');
  }
  const auditRecorded = await recordLifecycle(deps, tenantId, who, 'tenant.disable', { wasEnabled, subscriptionsRemoved }, log);
  return { body: { enabled: false, wasEnabled, subscriptionsRemoved, notes, auditRecorded }, etag: tenant.etag };
}

export interface EnableBody {
  enabled: true;
  wasEnabled: boolean;
  maintenanceJobId: string;
  pollingStarted: unknown[];
  auditRecorded: boolean;
}

/** Syncing again: subscriptions made anew (queued upkeep), polling started. */
export async function enableTenantAction(
  deps: LifecycleDeps,
  tenantId: string,
  who: LifecycleRequester,
  log: Logger,
): Promise<LifecycleOutcome<EnableBody>> {
  let tenant = await existingTenant(deps, tenantId);
  const wasEnabled = tenant.config.enabled;
  if (!wasEnabled) tenant = await replaceConfig(deps, tenant, { ...tenant.config, enabled: true });
  const maintenanceJobId = await enqueueSubscriptionMaintenance(deps, tenantId, tenant.etag, 'manual');
  const pollingStarted = await ensurePolling(deps, tenant, 'manual', new Date());
  const auditRecorded = await recordLifecycle(deps, tenantId, who, 'tenant.enable', { wasEnabled }, log);
  return { body: { enabled: true, wasEnabled, maintenanceJobId, pollingStarted, auditRecorded }, etag: tenant.etag };
}

/** Teardown order: the status sources first (they need the users' links to reach the PBX), users last. */
function teardownOrder(features: readonly Feature[]): Feature[] {
  const rank = (f: Feature) => (f.manifest.name === 'users' ? 2 : f.manifest.lane === 'realtime' ? 0 : 1);
  return [...features].sort((a, b) => rank(a) - rank(b));
}

export type FeatureTeardownLine = { feature: string } & FeatureTeardownResult;

export type DisconnectBody =
  | { dryRun: true; pbxRecords: TeardownChoice; results: FeatureTeardownLine[] }
  | { disconnected: true; pbxRecords: TeardownChoice; results: FeatureTeardownLine[]; auditRecorded: boolean };

/**
 * Disconnects a tenant. The preview (no confirm) gives the counts per feature. With confirm: the tenant is
 * disabled (nothing starts), every feature that is on is torn down (delete or retain), then everything
 * DELETE /tenants/{id} does; the audit entry is written last and kept. `etag`, when given, must still be the
 * tenant's (412 otherwise).
 */
export async function disconnectTenantAction(
  deps: LifecycleDeps,
  input: { tenantId: string; pbxRecords: TeardownChoice; confirm: boolean; etag?: ((etag: string) => boolean) | undefined },
  who: LifecycleRequester,
  log: Logger,
): Promise<DisconnectBody> {
  const { tenantId: id, pbxRecords } = input;
  let tenant = await existingTenant(deps, id);
  if (input.etag && !input.etag(tenant.etag))
    throw new AppError(
      'PRECONDITION_FAILED',
      `tenant ${id} was changed: If-Match does not match its current ETag ${tenant.etag}; GET it again`,
    );
  const features = teardownOrder(
    deps.features.features.filter(
      (feature) => sectionOf(tenant.config, feature).enabled && optionsOf(tenant.config, feature) !== undefined,
    ),
  );
  const dryRun = !input.confirm;
  if (!dryRun && tenant.config.enabled) tenant = await replaceConfig(deps, tenant, { ...tenant.config, enabled: false });
  const results: FeatureTeardownLine[] = [];
  for (const feature of features) {
    try {
      results.push({ feature: feature.manifest.name, ...(await tearDownFeature(deps, tenant, feature, { pbxRecords, dryRun }, log)) });
    } catch (err) {
      // Nothing is deleted while a feature could not let go of its records: the tenant stays (disabled), to disconnect again.
      if (!dryRun)
        await recordLifecycle(
          deps,
          id,
          who,
          'tenant.disconnect',
          { pbxRecords, completed: false, results, failedFeature: feature.manifest.name },
          log,
        );
      throw err;
    }
  }
  if (dryRun) return { dryRun: true, pbxRecords, results };
  // DELETE's own steps (subscriptions at Graph, secrets, links, states, keys, the PBX event URL), unconditional:
  // the ETag above was checked before the tenant was disabled here.
  await deleteTenant(deps, new HttpRequest({ method: 'DELETE', url: `http://localhost/api/tenants/${id}`, params: { id } }), log);
  const auditRecorded = await recordLifecycle(deps, id, who, 'tenant.disconnect', { pbxRecords, completed: true, results }, log);
  return { disconnected: true, pbxRecords, results, auditRecorded };
}
