import type { HttpMethod, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { type Logger } from '../core/logging/Logger';
import { loggerFor } from '../core/logging/loggerFor';
import { errorResponse } from '../core/http/jsonResponses';
import { type Services } from '../app/Services';
import { listRunChanges } from './runChangeHandlers';
import { getRun, listRuns } from './runHandlers';
import { listSubscriptions, maintainSubscriptions } from './subscriptionHandlers';
import { createPbxKey, listPbxKeys, revokePbxKey } from './pbxKeyHandlers';
import { listQuarantine, releaseQuarantinedNumber } from './quarantineHandlers';
import { syncTenant } from './syncHandlers';
import { deleteTenant, getTenant, listTenants, putTenant } from './tenantHandlers';
import { listSecrets, putGraphSecret, putPbxSecret } from './secretHandlers';
import {
  createSharedAppCertificate,
  createTenantCertificate,
  getGraphCredential,
  getSharedAppCertificate,
  getTenantCertificate,
  rollSharedAppCertificate,
  rollTenantCertificate,
} from './certificateHandlers';
import { consentCallback, getConsent } from './consentHandlers';
import { listUserAccess } from './userAccessHandlers';
import { getPresenceStatus, getUserPresence } from './presenceHandlers';
import { getCallStateStatus } from './callStateHandlers';
import { tenantIdParam } from './pathParams';
import { getTenantStatus } from './statusHandlers';
import { auditActorOf, disableTenant, disconnectTenant, enableTenant, listAudit, pauseFeature, resumeFeature } from './lifecycleHandlers';
import { recordAudit } from './tenantLifecycle';

export interface AdminRoute {
  name: string;
  route: string;
  methods: HttpMethod[];
  /**
   * Default `function` (the host's key). `anonymous` only for a route a browser reaches without the key
   * (Entra's consent redirect), which authenticates its request in code.
   */
  authLevel?: 'anonymous' | 'function';
  /** Given the process's services; each handler declares (and uses) only the part it needs. */
  handle(services: Services, request: HttpRequest, log: Logger): Promise<HttpResponseInit>;
}

/** The admin HTTP API; registered by functions/adminApi.ts and served by the local host alike. */
export const adminRoutes: AdminRoute[] = [
  { name: 'listTenants', route: 'tenants', methods: ['GET'], handle: (s) => listTenants(s) },
  { name: 'getTenant', route: 'tenants/{id}', methods: ['GET'], handle: getTenant },
  { name: 'putTenant', route: 'tenants/{id}', methods: ['PUT'], handle: audited(putTenant, putTenantAudit) },
  {
    name: 'deleteTenant',
    route: 'tenants/{id}',
    methods: ['DELETE'],
    // A deleted tenant's trail goes with it (unlike a disconnect's, which is the record of who disconnected).
    handle: async (services, request, log) => {
      const answer = await deleteTenant(services, request, log);
      await services.audit.deleteAllForTenant(tenantIdParam(request));
      return answer;
    },
  },
  { name: 'syncTenant', route: 'tenants/{id}/sync', methods: ['POST'], handle: audited(syncTenant, syncAudit) },
  // Pause / resume a feature, disable / enable and disconnect a tenant (docs/LIFECYCLE.md), and who did what.
  { name: 'pauseFeature', route: 'tenants/{id}/features/{feature}/pause', methods: ['POST'], handle: pauseFeature },
  { name: 'resumeFeature', route: 'tenants/{id}/features/{feature}/resume', methods: ['POST'], handle: resumeFeature },
  { name: 'disableTenant', route: 'tenants/{id}/disable', methods: ['POST'], handle: disableTenant },
  { name: 'enableTenant', route: 'tenants/{id}/enable', methods: ['POST'], handle: enableTenant },
  { name: 'disconnectTenant', route: 'tenants/{id}/disconnect', methods: ['POST'], handle: disconnectTenant },
  { name: 'listAudit', route: 'tenants/{id}/audit', methods: ['GET'], handle: (s, request) => listAudit(s, request) },
  { name: 'listRuns', route: 'tenants/{id}/runs', methods: ['GET'], handle: listRuns },
  { name: 'getRun', route: 'tenants/{id}/runs/{runId}', methods: ['GET'], handle: getRun },
  { name: 'listRunChanges', route: 'tenants/{id}/runs/{runId}/changes', methods: ['GET'], handle: listRunChanges },
  { name: 'listSubscriptions', route: 'tenants/{id}/subscriptions', methods: ['GET'], handle: listSubscriptions },
  { name: 'maintainSubscriptions', route: 'tenants/{id}/subscriptions/maintain', methods: ['POST'], handle: maintainSubscriptions },
  { name: 'createPbxKey', route: 'tenants/{id}/pbx-keys', methods: ['POST'], handle: createPbxKey },
  { name: 'listPbxKeys', route: 'tenants/{id}/pbx-keys', methods: ['GET'], handle: listPbxKeys },
  { name: 'revokePbxKey', route: 'tenants/{id}/pbx-keys/{keyId}', methods: ['DELETE'], handle: revokePbxKey },
  // Numbers freed by deletes, kept from reuse until their release date; an admin may release one early.
  { name: 'listQuarantine', route: 'tenants/{id}/quarantine', methods: ['GET'], handle: listQuarantine },
  { name: 'releaseQuarantinedNumber', route: 'tenants/{id}/quarantine/{number}', methods: ['DELETE'], handle: releaseQuarantinedNumber },
  // Whether the connector can act as each synced user on the PBX (personal contacts, pictures), and why not.
  { name: 'listUserAccess', route: 'tenants/{id}/user-access', methods: ['GET'], handle: listUserAccess },
  // Teams presence → PBX status: the polling's state, and each user's status decisions.
  { name: 'getPresenceStatus', route: 'tenants/{id}/presence', methods: ['GET'], handle: getPresenceStatus },
  { name: 'getUserPresence', route: 'tenants/{id}/presence/users/{userId}', methods: ['GET'], handle: getUserPresence },
  // Everything the console shows about a tenant, as JSON (monitoring, the PBX's admins).
  { name: 'getTenantStatus', route: 'tenants/{id}/status', methods: ['GET'], handle: getTenantStatus },
  // PBX calls → Teams presence: whether the PBX's events reach the connector, and who shows a PBX call.
  { name: 'getCallStateStatus', route: 'tenants/{id}/callstate', methods: ['GET'], handle: getCallStateStatus },
  // The tenant's own secrets, write-only (values are never returned; names derive from the tenant id).
  { name: 'listSecrets', route: 'tenants/{id}/secrets', methods: ['GET'], handle: listSecrets },
  { name: 'putPbxSecret', route: 'tenants/{id}/secrets/pbx', methods: ['PUT'], handle: audited(putPbxSecret, secretAudit('pbx')) },
  { name: 'putGraphSecret', route: 'tenants/{id}/secrets/graph', methods: ['PUT'], handle: audited(putGraphSecret, secretAudit('graph')) },
  // The Graph credential's health, and the certificate the connector makes and rolls (auth kind managedCertificate).
  { name: 'getGraphCredential', route: 'tenants/{id}/graph-credential', methods: ['GET'], handle: getGraphCredential },
  { name: 'getTenantCertificate', route: 'tenants/{id}/certificate', methods: ['GET'], handle: getTenantCertificate },
  { name: 'createTenantCertificate', route: 'tenants/{id}/certificate', methods: ['POST'], handle: createTenantCertificate },
  { name: 'rollTenantCertificate', route: 'tenants/{id}/certificate/roll', methods: ['POST'], handle: rollTenantCertificate },
  // The operator's shared multi-tenant app (auth kind sharedApp): its certificate, and each tenant's admin consent.
  { name: 'getSharedAppCertificate', route: 'shared-app/certificate', methods: ['GET'], handle: getSharedAppCertificate },
  { name: 'createSharedAppCertificate', route: 'shared-app/certificate', methods: ['POST'], handle: createSharedAppCertificate },
  { name: 'rollSharedAppCertificate', route: 'shared-app/certificate/roll', methods: ['POST'], handle: rollSharedAppCertificate },
  { name: 'getConsent', route: 'tenants/{id}/consent', methods: ['GET'], handle: getConsent },
  { name: 'consentCallback', route: 'consent/callback', methods: ['GET'], authLevel: 'anonymous', handle: consentCallback },
];

/** The audit entry of a successful answer, or undefined for none (an error answer records nothing). */
type AuditOf = (request: HttpRequest, answer: HttpResponseInit) => { action: string; detail: Record<string, unknown> } | undefined;

/** A handler whose successful answers are recorded in the tenant's audit trail, with who asked. */
function audited(handle: (services: Services, request: HttpRequest, log: Logger) => Promise<HttpResponseInit>, auditOf: AuditOf) {
  return async (services: Services, request: HttpRequest, log: Logger): Promise<HttpResponseInit> => {
    const answer = await handle(services, request, log);
    const entry = auditOf(request, answer);
    if (entry) await recordAudit(services, { tenantId: tenantIdParam(request), actor: auditActorOf(request), ...entry }, log);
    return answer;
  };
}

function putTenantAudit(_request: HttpRequest, answer: HttpResponseInit): ReturnType<AuditOf> {
  return {
    action: answer.status === 201 ? 'tenant.create' : 'tenant.update',
    detail: { etag: (answer.headers as Record<string, string> | undefined)?.etag },
  };
}

/** A secret written: which one, never its value. */
function secretAudit(secret: 'pbx' | 'graph'): AuditOf {
  return () => ({ action: 'secret.write', detail: { credential: secret } });
}

function syncAudit(request: HttpRequest, answer: HttpResponseInit): ReturnType<AuditOf> {
  return {
    action: answer.status === 200 ? 'sync.dryRun' : 'sync.now',
    detail: { mode: request.query.get('mode') ?? 'full', feature: request.query.get('feature') ?? 'every feature in the reconcile' },
  };
}

/** Wraps a route handler: errors become JSON answers with the right status (errorResponse). */
export function adminHandler(route: AdminRoute, services: () => Promise<Services>) {
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const log = loggerFor(context).with({ tenant: request.params.id });
    try {
      return await route.handle(await services(), request, log);
    } catch (err) {
      return errorResponse(err, log);
    }
  };
}
