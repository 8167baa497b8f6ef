import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { AppError } from '../core/errors/AppError';
import { json } from '../core/http/jsonResponses';
import { type Services } from '../app/Services';
import { type EnqueueSubscriptionMaintenanceDeps, enqueueSubscriptionMaintenance } from '../app/enqueueSubscriptionMaintenance';
import { debounceWindowStart } from '../app/jobs/debounceWindow';
import { allowOnlyQuery, tenantIdParam } from './pathParams';

/**
 * Admin-requested maintenance collapses per tenant and window of this length: the window's start is in the
 * message id, so the queue's duplicate detection (Service Bus, and the in-process queue) drops the repeats
 * of a double click or a script's loop. Maintenance reads the subscription table when it runs, so one job
 * per minute loses nothing; the renewSubscriptions timer runs every 30 minutes besides.
 */
export const MANUAL_MAINTENANCE_WINDOW_MS = 60_000;

/** GET /tenants/{id}/subscriptions — the tenant's Graph subscriptions from our table (no clientState data). */
export async function listSubscriptions(
  deps: Pick<Services, 'tenants' | 'subscriptions' | 'notifications'>,
  request: HttpRequest,
): Promise<HttpResponseInit> {
  const id = tenantIdParam(request);
  allowOnlyQuery(request, []);
  if (!(await deps.tenants.get(id))) throw new AppError('NOT_FOUND', `tenant ${id} does not exist`);
  const records = await deps.subscriptions.listForTenant(id);
  return json(200, {
    notificationsEnabled: deps.notifications.endpoints !== undefined,
    value: records.map(({ clientStateHash: _hash, clientStateSecretName: _secret, ...visible }) => visible),
  });
}

/**
 * POST /tenants/{id}/subscriptions/maintain — queue a maintenance job now (202 with its id). Repeats within
 * MANUAL_MAINTENANCE_WINDOW_MS answer the same job id and queue nothing more.
 */
export async function maintainSubscriptions(
  deps: Pick<Services, 'tenants'> & EnqueueSubscriptionMaintenanceDeps,
  request: HttpRequest,
): Promise<HttpResponseInit> {
  const id = tenantIdParam(request);
  allowOnlyQuery(request, []);
  if (!(await deps.tenants.get(id))) throw new AppError('NOT_FOUND', `tenant ${id} does not exist`);
  const now = new Date();
  const window = new Date(debounceWindowStart(now, MANUAL_MAINTENANCE_WINDOW_MS)).toISOString();
  const jobId = await enqueueSubscriptionMaintenance(deps, id, `manual-${window}`, 'manual', now);
  return json(202, { queued: true, jobId, location: `/api/tenants/${id}/subscriptions` });
}
