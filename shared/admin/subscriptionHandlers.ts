import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { AppError } from '../core/errors/AppError';
import { json } from '../core/http/jsonResponses';
import { type Services } from '../app/Services';
import { type EnqueueSubscriptionMaintenanceDeps, enqueueSubscriptionMaintenance } from '../app/enqueueSubscriptionMaintenance';
import { tenantIdParam } from './pathParams';

/** GET /tenants/{id}/subscriptions — the tenant's Graph subscriptions from our table (no clientState data). */
export async function listSubscriptions(
  deps: Pick<Services, 'tenants' | 'subscriptions' | 'notifications'>,
  request: HttpRequest,
): Promise<HttpResponseInit> {
  const id = tenantIdParam(request);
  if (!(await deps.tenants.get(id))) throw new AppError('NOT_FOUND', `tenant ${id} does not exist`);
  const records = await deps.subscriptions.listForTenant(id);
  return json(200, {
    notificationsEnabled: deps.notifications.endpoints !== undefined,
    value: records.map(({ clientStateHash: _hash, clientStateSecretName: _secret, ...visible }) => visible),
  });
}

/** POST /tenants/{id}/subscriptions/maintain — queue a maintenance job now (202). */
export async function maintainSubscriptions(
  deps: Pick<Services, 'tenants'> & EnqueueSubscriptionMaintenanceDeps,
  request: HttpRequest,
): Promise<HttpResponseInit> {
  const id = tenantIdParam(request);
  if (!(await deps.tenants.get(id))) throw new AppError('NOT_FOUND', `tenant ${id} does not exist`);
  const now = new Date();
  await enqueueSubscriptionMaintenance(deps, id, `manual-${now.getTime()}`, 'manual', now);
  return json(202, { queued: true, location: `/api/tenants/${id}/subscriptions` });
}
