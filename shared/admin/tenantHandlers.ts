import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { TenantConfigRequestSchema } from '../config/tenantConfigInputSchemas';
import { AppError, isAppError } from '../core/errors/AppError';
import { json } from '../core/http/jsonResponses';
import { readJsonBody } from '../core/http/readJsonBody';
import { type TenantRecord } from '../app/TenantStore';
import { type Services } from '../app/Services';
import { tenantIdParam } from './pathParams';
import { ensureError } from '../core/errors/ensureError';
import { type EnqueueSubscriptionMaintenanceDeps, enqueueSubscriptionMaintenance } from '../app/enqueueSubscriptionMaintenance';
import { type SubscriptionUpkeepDeps, TenantSubscriptions } from '../subscriptions/TenantSubscriptions';
import { type ForgetTenantSubscriptionsDeps, forgetTenantSubscriptions } from '../subscriptions/forgetTenantSubscriptions';
import { Logger } from '../core/logging/Logger';

const view = (t: TenantRecord) => ({ id: t.id, config: t.config, etag: t.etag, createdAt: t.createdAt, updatedAt: t.updatedAt });

export async function listTenants(deps: Pick<Services, 'tenants'>): Promise<HttpResponseInit> {
  const invalid: { id: string; error: string }[] = [];
  const tenants = await deps.tenants.list({ onInvalid: (id, err) => invalid.push({ id, error: err.message }) });
  // A stored configuration that no longer validates is listed apart, so it can be found and fixed by PUT.
  return json(200, { value: tenants.map(view), ...(invalid.length ? { invalid } : {}) });
}

export async function getTenant(deps: Pick<Services, 'tenants'>, request: HttpRequest): Promise<HttpResponseInit> {
  const id = tenantIdParam(request);
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

/**
 * PUT: creates (201) or replaces (200) a tenant; If-Match makes a replace conditional. A body without
 * schemaVersion is today's shape; an older version is migrated; a newer one is refused (422).
 */
export async function putTenant(
  deps: Pick<Services, 'tenants'> & EnqueueSubscriptionMaintenanceDeps,
  request: HttpRequest,
): Promise<HttpResponseInit> {
  const id = tenantIdParam(request);
  const config = await readJsonBody(request, TenantConfigRequestSchema);
  const ifMatch = request.headers.get('if-match') ?? undefined;
  const existing = await tenantOrInvalid(deps, id);
  if (!existing) {
    if (ifMatch) throw new AppError('PRECONDITION_FAILED', `tenant ${id} does not exist`);
    const created = await deps.tenants.create(id, config);
    await enqueueSubscriptionMaintenance(deps, id, created.etag, 'manual');
    return json(201, view(created), { etag: created.etag, location: `/api/tenants/${id}` });
  }
  const replaced = await deps.tenants.replace(id, config, ifMatch);
  // Subscriptions follow the new options (created, or removed when the tenant or its user sync is off).
  await enqueueSubscriptionMaintenance(deps, id, replaced.etag, 'manual');
  return json(200, view(replaced), { etag: replaced.etag });
}

/** What deleting a tenant uses: the tenant tables, its adapters, and removing (or forgetting) its subscriptions. */
export type DeleteTenantDeps = Pick<Services, 'tenants' | 'links' | 'deltaStates' | 'connectorsFor'> &
  SubscriptionUpkeepDeps &
  ForgetTenantSubscriptionsDeps;

/**
 * DELETE: deletes the tenant's Graph subscriptions, then forgets the tenant, its links and delta state.
 * PBX extensions are left as they are (retained).
 */
export async function deleteTenant(deps: DeleteTenantDeps, request: HttpRequest, log: Logger = Logger.silent()): Promise<HttpResponseInit> {
  const id = tenantIdParam(request);
  const ifMatch = request.headers.get('if-match') ?? undefined;
  const tenant = await tenantOrInvalid(deps, id);
  if (!tenant) throw new AppError('NOT_FOUND', `tenant ${id} does not exist`);
  if (tenant !== 'invalid' && ifMatch && ifMatch !== '*' && ifMatch !== tenant.etag)
    throw new AppError('PRECONDITION_FAILED', `tenant ${id} was changed since ${ifMatch}`);
  try {
    if (tenant === 'invalid') throw new AppError('CONFIG', 'its stored configuration is invalid');
    const connectors = await deps.connectorsFor(tenant);
    await new TenantSubscriptions(deps, tenant, connectors.subscriptions, log).removeAll();
  } catch (err) {
    log.warn('could not delete the Graph subscriptions of the deleted tenant; they expire on their own', {
      tenant: id,
      error: ensureError(err).message,
    });
    await forgetTenantSubscriptions(deps, id);
  }
  await deps.tenants.delete(id, ifMatch);
  await deps.links.deleteAllForTenant(id);
  await deps.deltaStates.clearTenant(id);
  return { status: 204 };
}
