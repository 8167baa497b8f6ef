import { type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { type Services } from '../app/Services';
import { parseAppServicePrincipal } from '../console/appServicePrincipal';
import { AppError } from '../core/errors/AppError';
import { json } from '../core/http/jsonResponses';
import { readJsonBody } from '../core/http/readJsonBody';
import { matchingEtag, parseIfMatch } from '../core/http/ifMatch';
import { type Logger } from '../core/logging/Logger';
import { type AuditActor } from '../engine/AuditTrail';
import { allowOnlyQuery, booleanQuery, tenantIdParam } from './pathParams';
import {
  type LifecycleDeps,
  type LifecycleRequester,
  disableTenantAction,
  disconnectTenantAction,
  enableTenantAction,
  namedFeature,
  pauseFeatureAction,
  resumeFeatureAction,
} from './tenantLifecycle';

/*
 * The admin API's lifecycle routes (docs/LIFECYCLE.md): requests parsed and answered here, the actions
 * themselves in tenantLifecycle.ts, which the console's buttons use too.
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

const requesterOf = (request: HttpRequest): LifecycleRequester => ({ actor: auditActorOf(request) });

/**
 * POST /tenants/{id}/features/{feature}/pause — body {pbxRecords, confirm?}. Without confirm (or with
 * ?dryRun=true) the counts it would delete, hand over and restore; with confirm the feature is turned off and
 * its teardown runs (pauseFeatureAction).
 */
export async function pauseFeature(deps: LifecycleDeps, request: HttpRequest, log: Logger): Promise<HttpResponseInit> {
  const tenantId = tenantIdParam(request);
  allowOnlyQuery(request, ['dryRun']);
  const feature = namedFeature(deps, request.params.feature ?? '');
  const previewAsked = booleanQuery(request, 'dryRun');
  const body = await readJsonBody(request, TeardownBodySchema);
  const confirm = !previewAsked && body.confirm === true;
  const outcome = await pauseFeatureAction(deps, { tenantId, feature, pbxRecords: body.pbxRecords, confirm }, requesterOf(request), log);
  return json(200, outcome.body, outcome.etag ? { etag: outcome.etag } : {});
}

/** POST /tenants/{id}/features/{feature}/resume — the feature on again, its upkeep, polling and a full run queued. */
export async function resumeFeature(deps: LifecycleDeps, request: HttpRequest, log: Logger): Promise<HttpResponseInit> {
  const tenantId = tenantIdParam(request);
  allowOnlyQuery(request, []);
  const feature = namedFeature(deps, request.params.feature ?? '');
  const outcome = await resumeFeatureAction(deps, { tenantId, feature }, requesterOf(request), log);
  return json(200, outcome.body, { etag: outcome.etag! });
}

/** POST /tenants/{id}/disable — nothing syncs; subscriptions and the PBX's event URL go; links and state kept. */
export async function disableTenant(deps: LifecycleDeps, request: HttpRequest, log: Logger): Promise<HttpResponseInit> {
  const tenantId = tenantIdParam(request);
  allowOnlyQuery(request, []);
  const outcome = await disableTenantAction(deps, tenantId, requesterOf(request), log);
  return json(200, outcome.body, { etag: outcome.etag! });
}

/** POST /tenants/{id}/enable — syncing again: subscriptions made anew (queued upkeep), polling started. */
export async function enableTenant(deps: LifecycleDeps, request: HttpRequest, log: Logger): Promise<HttpResponseInit> {
  const tenantId = tenantIdParam(request);
  allowOnlyQuery(request, []);
  const outcome = await enableTenantAction(deps, tenantId, requesterOf(request), log);
  return json(200, outcome.body, { etag: outcome.etag! });
}

/**
 * POST /tenants/{id}/disconnect — body {pbxRecords, confirm?}, optional If-Match. The preview (no confirm, or
 * ?dryRun=true) gives the counts per feature; with confirm every feature is torn down and the tenant deleted.
 */
export async function disconnectTenant(deps: LifecycleDeps, request: HttpRequest, log: Logger): Promise<HttpResponseInit> {
  const tenantId = tenantIdParam(request);
  allowOnlyQuery(request, ['dryRun']);
  const previewAsked = booleanQuery(request, 'dryRun');
  const ifMatch = parseIfMatch(request.headers.get('if-match'));
  const body = await readJsonBody(request, TeardownBodySchema);
  const answer = await disconnectTenantAction(
    deps,
    {
      tenantId,
      pbxRecords: body.pbxRecords,
      confirm: !previewAsked && body.confirm === true,
      etag: ifMatch ? (etag) => matchingEtag(ifMatch, etag) !== undefined : undefined,
    },
    requesterOf(request),
    log,
  );
  return json(200, answer);
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
