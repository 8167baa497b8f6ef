import type { HttpRequest } from '@azure/functions';
import { z } from 'zod';
import { tenantIdParam } from '../admin/pathParams';
import {
  type LifecycleDeps,
  disableTenantAction,
  disconnectTenantAction,
  enableTenantAction,
  existingTenant,
  namedFeature,
  pauseFeatureAction,
  resumeFeatureAction,
  resumeWarnings,
} from '../admin/tenantLifecycle';
import { CONSOLE_PATH } from './consoleGate';
import { type ConsoleAnswer, type ConsoleCall } from './consoleRoutes';
import {
  disconnectChoiceBody,
  disconnectDoneBody,
  disconnectPreviewBody,
  pauseChoiceBody,
  pauseDoneBody,
  pausePreviewBody,
  resumeConfirmBody,
  resumeDoneBody,
} from './lifecyclePages';
import { consoleRequester } from './consoleHandlers';

/*
 * The console's pause / resume, disable / enable and disconnect (tenantLifecycle.ts does the work, as for the
 * admin API). Destructive steps go choice → preview with counts → confirmation; each action is recorded in the
 * audit trail under the signed-in person.
 */

const tenantPath = (id: string) => `${CONSOLE_PATH}/tenants/${encodeURIComponent(id)}`;

const PbxRecordsSchema = z.enum(['delete', 'retain']);
const CHOICE_MISSING = 'Choose retain or delete.';

/** The feature of the route, once the signed-in operator's tenant is known to exist. */
async function featureOf(services: LifecycleDeps, request: HttpRequest, call: ConsoleCall) {
  const requester = consoleRequester(call);
  const tenantId = tenantIdParam(request);
  const feature = namedFeature(services, request.params.feature ?? '');
  await existingTenant(services, tenantId);
  return { requester, tenantId, feature };
}

const confirmed = (call: ConsoleCall) => call.form.get('confirm') === 'yes';

/** GET /console/tenants/{id}/features/{feature}/pause — the delete-or-retain choice. */
export async function showPause(services: LifecycleDeps, request: HttpRequest, call: ConsoleCall): Promise<ConsoleAnswer> {
  const { requester, tenantId, feature } = await featureOf(services, request, call);
  return { page: { title: `Pause ${feature.manifest.name}`, body: pauseChoiceBody(tenantId, feature.manifest.name, requester.csrfToken) } };
}

/**
 * POST /console/tenants/{id}/features/{feature}/pause (pbxRecords, confirm?) — without confirm the preview with
 * the counts; with it the feature is paused and what was done is shown.
 */
export async function postPause(services: LifecycleDeps, request: HttpRequest, call: ConsoleCall): Promise<ConsoleAnswer> {
  const { requester, tenantId, feature } = await featureOf(services, request, call);
  const name = feature.manifest.name;
  const choice = PbxRecordsSchema.safeParse(call.form.get('pbxRecords'));
  if (!choice.success)
    return { status: 422, page: { title: `Pause ${name}`, body: pauseChoiceBody(tenantId, name, requester.csrfToken, CHOICE_MISSING) } };
  const outcome = await pauseFeatureAction(
    services,
    { tenantId, feature, pbxRecords: choice.data, confirm: confirmed(call) },
    requester,
    call.log,
  );
  const body = outcome.body;
  if (body.dryRun) return { page: { title: `Pause ${name}?`, body: pausePreviewBody(tenantId, body, requester.csrfToken) } };
  return { page: { title: `${name} paused`, body: pauseDoneBody(tenantId, body, body.auditRecorded) } };
}

/**
 * POST /console/tenants/{id}/features/{feature}/resume (confirm?) — on again at once, unless resuming would do
 * something to know first (duplicate extensions): then that, and a button to resume anyway.
 */
export async function postResume(services: LifecycleDeps, request: HttpRequest, call: ConsoleCall): Promise<ConsoleAnswer> {
  const { requester, tenantId, feature } = await featureOf(services, request, call);
  const name = feature.manifest.name;
  if (!confirmed(call)) {
    const warnings = await resumeWarnings(services, await existingTenant(services, tenantId), feature);
    if (warnings.length)
      return { page: { title: `Resume ${name}?`, body: resumeConfirmBody(tenantId, name, warnings, requester.csrfToken) } };
  }
  const { body } = await resumeFeatureAction(services, { tenantId, feature }, requester, call.log);
  return { page: { title: `${name} resumed`, body: resumeDoneBody(tenantId, name, body.runs as { runId: string }[], body.tenantEnabled) } };
}

/** POST /console/tenants/{id}/disable — nothing syncs; back to the tenant page, which says so. */
export async function postDisable(services: LifecycleDeps, request: HttpRequest, call: ConsoleCall): Promise<ConsoleAnswer> {
  const requester = consoleRequester(call);
  const tenantId = tenantIdParam(request);
  await disableTenantAction(services, tenantId, requester, call.log);
  return { redirect: `${tenantPath(tenantId)}?notice=disabled` };
}

/** POST /console/tenants/{id}/enable — syncing again; back to the tenant page. */
export async function postEnable(services: LifecycleDeps, request: HttpRequest, call: ConsoleCall): Promise<ConsoleAnswer> {
  const requester = consoleRequester(call);
  const tenantId = tenantIdParam(request);
  await enableTenantAction(services, tenantId, requester, call.log);
  return { redirect: `${tenantPath(tenantId)}?notice=enabled` };
}

/** GET /console/tenants/{id}/disconnect — what disconnecting does, and the delete-or-retain choice. */
export async function showDisconnect(services: LifecycleDeps, request: HttpRequest, call: ConsoleCall): Promise<ConsoleAnswer> {
  const requester = consoleRequester(call);
  const tenantId = tenantIdParam(request);
  await existingTenant(services, tenantId);
  return { page: { title: `Disconnect ${tenantId}`, body: disconnectChoiceBody(tenantId, requester.csrfToken) } };
}

/**
 * POST /console/tenants/{id}/disconnect (pbxRecords, confirm?, confirmTenantId) — the preview with the counts
 * per feature; with confirm and the tenant id typed in, the disconnect, and what it did.
 */
export async function postDisconnect(services: LifecycleDeps, request: HttpRequest, call: ConsoleCall): Promise<ConsoleAnswer> {
  const requester = consoleRequester(call);
  const tenantId = tenantIdParam(request);
  await existingTenant(services, tenantId);
  const choice = PbxRecordsSchema.safeParse(call.form.get('pbxRecords'));
  if (!choice.success)
    return {
      status: 422,
      page: { title: `Disconnect ${tenantId}`, body: disconnectChoiceBody(tenantId, requester.csrfToken, CHOICE_MISSING) },
    };
  const typed = (call.form.get('confirmTenantId') ?? '').trim();
  const confirm = confirmed(call) && typed === tenantId;
  const answer = await disconnectTenantAction(services, { tenantId, pbxRecords: choice.data, confirm }, requester, call.log);
  if ('dryRun' in answer) {
    const error = confirmed(call) ? `That is not ${tenantId}: type the tenant id exactly to disconnect it.` : undefined;
    return {
      status: error ? 422 : 200,
      page: { title: `Disconnect ${tenantId}?`, body: disconnectPreviewBody(tenantId, answer, requester.csrfToken, error) },
    };
  }
  return { page: { title: `${tenantId} disconnected`, body: disconnectDoneBody(tenantId, answer.results, answer.auditRecorded) } };
}
