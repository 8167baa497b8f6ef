import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { TenantConfigRequestSchema } from '../config/tenantConfigInputSchemas';
import { AppError, isAppError } from '../core/errors/AppError';
import { json } from '../core/http/jsonResponses';
import { readJsonBody } from '../core/http/readJsonBody';
import { type TenantRecord } from '../app/TenantStore';
import { type Services, type TenantStateStoreName } from '../app/Services';
import { allowOnlyQuery, tenantIdParam } from './pathParams';
import { redactSecrets, restoreRedactedSecrets } from './redactSecrets';
import { type IfMatch, matchingEtag, parseIfMatch } from '../core/http/ifMatch';
import { ensureError } from '../core/errors/ensureError';
import { type EnqueueSubscriptionMaintenanceDeps, enqueueSubscriptionMaintenance } from '../app/enqueueSubscriptionMaintenance';
import { ensurePolling } from '../app/pollingChain';
import { releasePbxEventTarget } from '../app/pbxEventRegistration';
import { type SubscriptionUpkeepDeps, TenantSubscriptions } from '../subscriptions/TenantSubscriptions';
import { type ForgetTenantSubscriptionsDeps, forgetTenantSubscriptions } from '../subscriptions/forgetTenantSubscriptions';
import { Logger } from '../core/logging/Logger';
import { deleteTenantSecrets } from '../platform/secrets/tenantSecrets';
import { forgetTenantGraphCredential } from '../app/graphCredentials';
import { pbxSupportsOf } from '../pbx/pbxSupportsOf';
import { type TenantConfig } from '../config/TenantConfig';

/** A tenant as the API shows it: secret values in its configuration (the sandbox Graph `token`) read "***". */
const view = (t: TenantRecord) => ({
  id: t.id,
  config: redactSecrets(t.config),
  etag: t.etag,
  createdAt: t.createdAt,
  updatedAt: t.updatedAt,
});

export async function listTenants(deps: Pick<Services, 'tenants'>): Promise<HttpResponseInit> {
  const invalid: { id: string; error: string }[] = [];
  const tenants = await deps.tenants.list({ onInvalid: (id, err) => invalid.push({ id, error: err.message }) });
  // A stored configuration that no longer validates is listed apart, so it can be found and fixed by PUT.
  return json(200, { value: tenants.map(view), ...(invalid.length ? { invalid } : {}) });
}

export async function getTenant(deps: Pick<Services, 'tenants'>, request: HttpRequest): Promise<HttpResponseInit> {
  const id = tenantIdParam(request);
  allowOnlyQuery(request, []);
  const tenant = await deps.tenants.get(id);
  if (!tenant) throw new AppError('NOT_FOUND', `tenant ${id} does not exist`);
  return json(200, view(tenant), { etag: tenant.etag });
}

/** The tenant, null when missing, or 'invalid' when its stored configuration no longer validates (PUT fixes it, DELETE removes it). */
async function tenantOrInvalid(deps: Pick<Services, 'tenants'>, id: string): Promise<TenantRecord | 'invalid' | null> {
  try {
    return await deps.tenants.get(id);
  } catch (err) {
    if (isAppError(err, 'CONFIG')) return 'invalid';
    throw err;
  }
}

// The shape of a Table Storage ETag: the only kind worth sending to the store for a row we cannot read.
const TABLE_ETAG = /^W\/"datetime'[0-9A-Za-z%.:-]{1,64}'"$/;

/**
 * The ETag a conditional write of an existing tenant uses: none without If-Match; the current one when
 * If-Match is `*` or lists it (weak comparison), so the store still refuses a write that lost a race;
 * otherwise 412. For a row whose configuration no longer validates the current ETag is unknown here, so
 * a Table-shaped tag goes to the store to decide.
 */
function writeCondition(id: string, tenant: TenantRecord | 'invalid', ifMatch: IfMatch | undefined): string | undefined {
  if (!ifMatch) return undefined;
  if (tenant === 'invalid') {
    if (ifMatch.any) return '*';
    const tag = ifMatch.tags.find((t) => TABLE_ETAG.test(t));
    if (tag) return tag;
    throw new AppError('PRECONDITION_FAILED', `tenant ${id}: If-Match does not match its current ETag`);
  }
  const etag = matchingEtag(ifMatch, tenant.etag);
  if (etag === undefined)
    throw new AppError(
      'PRECONDITION_FAILED',
      `tenant ${id} was changed: If-Match does not match its current ETag ${tenant.etag}; GET it again`,
    );
  return etag;
}

/**
 * PUT: creates (201) or replaces (200) a tenant; If-Match makes a replace conditional. A body without
 * schemaVersion is today's shape; an older version is migrated; a newer one is refused (422).
 */
export async function putTenant(
  deps: Pick<Services, 'tenants' | 'secrets' | 'certificates' | 'credentialStates' | 'features' | 'pollCycles'> &
    EnqueueSubscriptionMaintenanceDeps,
  request: HttpRequest,
): Promise<HttpResponseInit> {
  const id = tenantIdParam(request);
  allowOnlyQuery(request, []);
  const ifMatch = parseIfMatch(request.headers.get('if-match'));
  const body = await readJsonBody(request, TenantConfigRequestSchema);
  assertPbxSupportsFeatures(deps, body);
  const existing = await tenantOrInvalid(deps, id);
  if (!existing) {
    if (ifMatch)
      throw new AppError('PRECONDITION_FAILED', `tenant ${id} does not exist, so If-Match cannot match; send no If-Match to create it`);
    // A new tenant starts without secrets: anything under its derived names is left over, never inherited.
    await deleteTenantSecrets(deps.secrets, id);
    await forgetTenantGraphCredential(deps, id);
    const created = await deps.tenants.create(id, restoreRedactedSecrets(body, undefined));
    await enqueueSubscriptionMaintenance(deps, id, created.etag, 'manual');
    await ensurePolling(deps, created, 'manual', new Date());
    return json(201, view(created), { etag: created.etag, location: `/api/tenants/${id}` });
  }
  const condition = writeCondition(id, existing, ifMatch);
  // A body read back from a GET says "***" for a secret: keep the stored one (only where nothing beside it changed).
  const config = restoreRedactedSecrets(body, existing === 'invalid' ? undefined : existing.config);
  const replaced = await deps.tenants.replace(id, config, condition);
  // Subscriptions follow the new options (created, or removed when the tenant or its user sync is off).
  await enqueueSubscriptionMaintenance(deps, id, replaced.etag, 'manual');
  // Polling (presence) starts as soon as it is turned on (its chain stops by itself when turned off).
  await ensurePolling(deps, replaced, 'manual', new Date());
  return json(200, view(replaced), { etag: replaced.etag });
}

/**
 * A feature the tenant's PBX product cannot serve is refused when the configuration is written (422 naming the
 * feature and the product), not left to fail at every run: e.g. groups on 3CX, whose departments carry routing
 * and licences, so mapping Entra groups onto them is a product decision still to make.
 */
export function assertPbxSupportsFeatures(deps: Pick<Services, 'features'>, config: TenantConfig): void {
  const supports = pbxSupportsOf(config.pbx.kind);
  const refused = deps.features
    .enabledFor({ ...config, enabled: true })
    .map(({ feature }) => feature.manifest)
    .filter((manifest) => manifest.pbxCapability !== undefined && !supports[manifest.pbxCapability]);
  if (refused.length === 0) return;
  const details = refused.map((manifest) => ({
    path: `${manifest.name}.enabled`,
    message: `pbx.kind ${config.pbx.kind} does not support ${manifest.pbxCapability} in this connector: turn ${manifest.name} off`,
  }));
  throw new AppError('UNPROCESSABLE', `the body is invalid: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, { details });
}

/** What deleting a tenant uses: the tenant tables, its adapters, and removing (or forgetting) its subscriptions. */
export type DeleteTenantDeps = Pick<
  Services,
  TenantStateStoreName | 'tenants' | 'connectorsFor' | 'pbxKeys' | 'portalPasswords' | 'certificates' | 'credentialStates'
> &
  SubscriptionUpkeepDeps &
  ForgetTenantSubscriptionsDeps;

/**
 * DELETE: deletes the tenant's Graph subscriptions, then forgets the tenant, its links and delta state.
 * PBX extensions are left as they are (retained).
 */
export async function deleteTenant(deps: DeleteTenantDeps, request: HttpRequest, log: Logger = Logger.silent()): Promise<HttpResponseInit> {
  const id = tenantIdParam(request);
  allowOnlyQuery(request, []);
  const ifMatch = parseIfMatch(request.headers.get('if-match'));
  const tenant = await tenantOrInvalid(deps, id);
  if (!tenant) throw new AppError('NOT_FOUND', `tenant ${id} does not exist`);
  const condition = writeCondition(id, tenant, ifMatch);
  try {
    if (tenant === 'invalid') throw new AppError('CONFIG', 'its stored configuration is invalid');
    const connectors = await deps.connectorsFor(tenant);
    await new TenantSubscriptions(deps, tenant, connectors.subscriptions, log).removeAll();
    // The PBX stops sending its call events here (only if they come here: someone else's URL stays).
    await releasePbxEventTarget(deps, id, connectors.pbxEventTarget, log).catch((err: unknown) =>
      log.warn('could not turn the PBX event URL off; do it at the PBX', { tenant: id, error: ensureError(err).message }),
    );
  } catch (err) {
    log.warn('could not delete the Graph subscriptions of the deleted tenant; they expire on their own', {
      tenant: id,
      error: ensureError(err).message,
    });
    await forgetTenantSubscriptions(deps, id);
  }
  // Its secrets go first, so a tenant created again with this id never inherits them (Key Vault soft delete
  // included: the store frees the name when it is written again). A failure leaves the tenant, to delete again.
  await deleteTenantSecrets(deps.secrets, id);
  await forgetTenantGraphCredential(deps, id);
  await deps.tenants.delete(id, condition);
  await deps.links.deleteAllForTenant(id);
  await deps.deltaStates.clearTenant(id);
  await deps.pbxKeys.removeAllForTenant(id); // its PBX API keys stop working with it
  await deps.numberQuarantine.deleteAllForTenant(id);
  await deps.groupLinks.deleteAllForTenant(id);
  await deps.groupMembers.deleteAllForTenant(id);
  await deps.linkEventInbox.deleteAllForTenant(id);
  await deps.contactLinks.deleteAllForTenant(id);
  await deps.contactSources.deleteAllForTenant(id);
  await deps.photoStates.deleteAllForTenant(id);
  await deps.presenceStates.deleteAllForTenant(id);
  await deps.presenceHistory.deleteAllForTenant(id);
  await deps.pollCycles.deleteAllForTenant(id);
  // The users' kept portal passwords and the tenant's data keys that encrypt them.
  await deps.portalPasswords?.deleteAllForTenant(id);
  return { status: 204 };
}
