import { z } from 'zod';
import {
  AuditListSchema,
  AuditQuerySchema,
  DisableResultSchema,
  DisconnectPreviewSchema,
  DisconnectResultSchema,
  EnableResultSchema,
  LifecycleQuerySchema,
  PausePreviewSchema,
  PauseResultSchema,
  ResumeResultSchema,
  TeardownBodySchema,
  CallStateStatusSchema,
  CertificateQuerySchema,
  CertificateRollQuerySchema,
  CertificateRollSchema,
  ConsentCallbackQuerySchema,
  ConsentSchema,
  EmptyBodySchema,
  ErrorBodySchema,
  GraphCredentialSchema,
  GraphSecretBodySchema,
  HealthSchema,
  HtmlPageSchema,
  MaintenanceQueuedSchema,
  ManagedCertificateViewSchema,
  PbxDryRunSchema,
  PbxEventsAcceptedSchema,
  PbxEventsBodySchema,
  PbxKeyCreatedSchema,
  PbxKeyListSchema,
  PbxSecretBodySchema,
  PbxStatusQuerySchema,
  PbxStatusSchema,
  PresenceStatusSchema,
  QuarantineListSchema,
  RunChangesPageSchema,
  RunChangesQuerySchema,
  RunListSchema,
  RunSchema,
  RunsQuerySchema,
  SecretListSchema,
  SubscriptionListSchema,
  SyncDryRunSchema,
  SyncQueuedSchema,
  SyncQuerySchema,
  TenantStatusSchema,
  TenantConfigBodySchema,
  TenantListSchema,
  TenantViewSchema,
  UserAccessListSchema,
  UserPresenceQuerySchema,
  UserPresenceSchema,
} from './adminApiSchemas';

/** One answer of an operation: JSON by default; `contentType` for another body, `files` for alternative downloads. */
export interface DocumentedResponse {
  description: string;
  schema?: z.ZodType;
  /** The media type `schema` is sent as (default application/json). */
  contentType?: string;
  /** Other media types the same status may carry, as a file (e.g. a certificate as PEM or DER). */
  files?: string[];
  /** Response headers worth knowing, name → what it holds. */
  headers?: Record<string, string>;
}

/** What the OpenAPI description says about one route (by its name in adminRoutes or pbxRoutes). */
export interface DocumentedOperation {
  summary: string;
  description?: string;
  tags: string[];
  query?: z.ZodObject;
  body?: z.ZodType;
  /** Default true when there is a body; false where an empty body is allowed too (the PBX sync). */
  bodyRequired?: boolean;
  /** Request headers the route reads, name → what it does. */
  requestHeaders?: Record<string, string>;
  responses: Record<number, DocumentedResponse>;
}

/** What each error status means on these routes; every one answers the error body (jsonResponses.ts). */
const ERROR_MEANINGS: Record<number, string> = {
  400: 'a malformed path parameter, an unknown, repeated or bad query parameter, or a body that is not UTF-8 JSON',
  401: 'no PBX key, or a malformed, unknown or revoked one (WWW-Authenticate says which scheme)',
  403: 'a valid PBX key of another tenant, or an events-only key on another route',
  404: 'no such tenant (or item of it)',
  405: 'the route does not take this method',
  409: "a conflict with the tenant's state: disabled, the wrong auth kind, or NOT_READY (a secret to write first; details name it)",
  412: 'If-Match does not match the current ETag (or the tenant does not exist)',
  413: 'the body is too large',
  415: 'the body is not JSON (Content-Type: application/json, UTF-8)',
  422: 'the body is invalid: details list every bad field',
  503: 'another run holds the writer lease of the lane: try again shortly (nothing was torn down)',
  429: 'one sync and one dry run a minute per key: try again after Retry-After; nothing was queued',
};

/** The error answers of `statuses`, each with the error body. */
function errors(...statuses: number[]): Record<number, DocumentedResponse> {
  const answers: Record<number, DocumentedResponse> = {};
  for (const status of statuses) {
    answers[status] = { description: ERROR_MEANINGS[status] ?? 'an error', schema: ErrorBodySchema };
    if (status === 401) answers[status].headers = { 'WWW-Authenticate': 'Bearer, with the reason the key was refused' };
    if (status === 429) answers[status].headers = { 'Retry-After': 'seconds until the key may ask again' };
  }
  return answers;
}

const IF_MATCH = {
  'If-Match': '`*` or the ETag from a GET (weak comparison; a list works too): the write happens only if it matches (else 412)',
};

const TENANT = ['tenants'];
const RUNS = ['runs'];
const PBX_KEYS = ['pbx-keys'];
const FEATURES = ['features'];
const SECRETS = ['secrets and credentials'];
const PBX = ['PBX API'];

const certificateAnswers = (created: boolean): Record<number, DocumentedResponse> => ({
  ...(created ? { 201: { description: 'created', schema: ManagedCertificateViewSchema, headers: { Location: 'the certificate' } } } : {}),
  200: {
    description: created ? 'it exists already: as it is' : 'its versions, the one in use, the rollover and its health',
    schema: ManagedCertificateViewSchema,
    ...(created ? {} : { files: ['application/x-pem-file', 'application/pkix-cert'] }),
  },
});

/** Every admin route (adminRoutes.ts), by name. A route without an entry here fails test/unit/admin/openApiDocument.test.ts. */
export const adminApiDocs: Record<string, DocumentedOperation> = {
  listTenants: {
    summary: 'List every tenant',
    description: 'A stored configuration that no longer validates is listed under `invalid`; fix it by PUT or remove it by DELETE.',
    tags: TENANT,
    responses: { 200: { description: 'every tenant', schema: TenantListSchema } },
  },
  getTenant: {
    summary: "Read a tenant's configuration",
    tags: TENANT,
    responses: {
      200: {
        description: 'the tenant; secret values read "***"',
        schema: TenantViewSchema,
        headers: { ETag: 'its version, for If-Match' },
      },
      ...errors(400, 404),
    },
  },
  putTenant: {
    summary: 'Create or replace a tenant',
    description:
      'A body without schemaVersion is today\'s shape; an older version is migrated first; a newer one is refused (422). A secret sent back as "***" keeps the stored value.',
    tags: TENANT,
    body: TenantConfigBodySchema,
    requestHeaders: IF_MATCH,
    responses: {
      201: { description: 'created', schema: TenantViewSchema, headers: { ETag: 'its version', Location: 'the tenant' } },
      200: { description: 'replaced', schema: TenantViewSchema, headers: { ETag: 'its new version' } },
      ...errors(400, 409, 412, 413, 415, 422),
    },
  },
  deleteTenant: {
    summary: 'Delete a tenant',
    description: 'Removes its Graph subscriptions, secrets, PBX keys, links and state; PBX extensions are left as they are.',
    tags: TENANT,
    requestHeaders: IF_MATCH,
    responses: { 204: { description: 'deleted' }, ...errors(400, 404, 412) },
  },
  pauseFeature: {
    summary: 'Pause a feature: turn it off and let go of what it made (delete or retain)',
    description:
      'Without `confirm` (or with dryRun=true): the counts it would delete, hand over and restore; nothing is written. With `confirm: true`: the feature is turned off (ETag-safe), its teardown runs under the writer lease of its lane, and the audit trail records it. users: `delete` deletes the extensions the connector created and hands over adopted ones, `retain` hands over all; groups: `delete` deletes its PBX groups, `retain` hands them over; presence, calendar: statuses the connector set are put back where the PBX still shows them; callState: Teams sessions end; personalContacts, phonebook: `delete` deletes the contacts it wrote, `retain` hands them over; photos: `delete` removes the pictures it set. See docs/LIFECYCLE.md.',
    tags: FEATURES,
    query: LifecycleQuerySchema,
    body: TeardownBodySchema,
    responses: {
      200: {
        description: 'the preview (dryRun: true) or what was done',
        schema: z.union([PausePreviewSchema, PauseResultSchema]),
        headers: { ETag: "the tenant's new version (when done)" },
      },
      ...errors(400, 404, 412, 413, 415, 422, 503),
    },
  },
  resumeFeature: {
    summary: 'Resume a feature: turn it on again',
    description:
      'Turns the feature on (ETag-safe), queues its subscription upkeep and polling and, for a feature in the reconcile, a full run. users links again by adoption only with users.adoptByEmail: without it the run creates new extensions beside the ones handed over (`warnings` says so, from the last pause in the audit trail). Groups creates its PBX groups anew; the contact features copy their contacts again.',
    tags: FEATURES,
    responses: { 200: { description: 'on again', schema: ResumeResultSchema }, ...errors(400, 404, 412, 422) },
  },
  disableTenant: {
    summary: 'Disable a tenant: nothing syncs, links and state are kept',
    description:
      'Sets `enabled: false`; the Graph subscriptions are deleted and the PBX stops sending call events here. Scheduled runs, polling, timers and "Sync now" (409) skip it until it is enabled.',
    tags: TENANT,
    responses: { 200: { description: 'disabled', schema: DisableResultSchema }, ...errors(400, 404, 412) },
  },
  enableTenant: {
    summary: 'Enable a tenant again',
    description: 'Sets `enabled: true`, queues the subscription upkeep (subscriptions made anew) and starts polling.',
    tags: TENANT,
    responses: { 200: { description: 'enabled', schema: EnableResultSchema }, ...errors(400, 404, 412) },
  },
  disconnectTenant: {
    summary: 'Disconnect a tenant: tear every feature down (delete or retain), then delete the tenant',
    description:
      'Without `confirm` (or with dryRun=true): the counts per feature. With `confirm: true`: the tenant is disabled, every feature that is on is torn down as pause does, then everything DELETE /tenants/{id} does happens. The audit trail is kept (it records who disconnected); GET /tenants/{id}/audit still answers.',
    tags: TENANT,
    query: LifecycleQuerySchema,
    body: TeardownBodySchema,
    requestHeaders: IF_MATCH,
    responses: {
      200: {
        description: 'the preview (dryRun: true) or what was done',
        schema: z.union([DisconnectPreviewSchema, DisconnectResultSchema]),
      },
      ...errors(400, 404, 412, 413, 415, 422, 503),
    },
  },
  listAudit: {
    summary: "The tenant's audit trail, newest first",
    description: 'Who changed the configuration, paused, disabled, disconnected or synced, and with what choice. Kept after a disconnect.',
    tags: TENANT,
    query: AuditQuerySchema,
    responses: { 200: { description: 'the newest entries', schema: AuditListSchema }, ...errors(400) },
  },
  getTenantStatus: {
    summary: "The tenant's status: connection, runs, features, subscriptions, credentials, latest errors",
    description:
      'From stored state and the Graph credential; no PBX or Graph call. For the PBX admins and monitoring. Each running run shows its progress: items done, for a full run the estimated total, percent, rate and time left.',
    tags: TENANT,
    responses: { 200: { description: 'the status', schema: TenantStatusSchema }, ...errors(400, 404) },
  },
  syncTenant: {
    summary: 'Sync now (or a dry run)',
    description:
      'Queues a run of every feature that is on and takes part in the reconcile (or of the one named). With dryRun=true, reads Graph and the PBX and answers the plan; nothing is written.',
    tags: RUNS,
    query: SyncQuerySchema,
    responses: {
      202: { description: 'queued', schema: SyncQueuedSchema, headers: { Location: 'the first run' } },
      200: { description: 'the dry run: each plan, its counts and planned actions', schema: SyncDryRunSchema },
      ...errors(400, 404, 409),
    },
  },
  listRuns: {
    summary: 'Run history, newest first',
    tags: RUNS,
    query: RunsQuerySchema,
    responses: { 200: { description: 'the newest runs', schema: RunListSchema }, ...errors(400, 404) },
  },
  getRun: {
    summary: 'One run',
    description:
      'While the run runs, `progress` holds the items done and, for a full run, the estimated total (saved at most every 2 seconds); the final record keeps the last one.',
    tags: RUNS,
    responses: { 200: { description: 'the run', schema: RunSchema }, ...errors(400, 404) },
  },
  listRunChanges: {
    summary: 'What a run did to each item',
    description: 'Paged; a page may be short while a continuationToken says there is more.',
    tags: RUNS,
    query: RunChangesQuerySchema,
    responses: { 200: { description: 'a page of changes', schema: RunChangesPageSchema }, ...errors(400, 404) },
  },
  listSubscriptions: {
    summary: "The tenant's Graph subscriptions",
    tags: FEATURES,
    responses: { 200: { description: 'the subscriptions (no clientState data)', schema: SubscriptionListSchema }, ...errors(400, 404) },
  },
  maintainSubscriptions: {
    summary: 'Queue subscription maintenance now',
    description: 'Repeats within the same minute answer the same jobId and queue nothing more.',
    tags: FEATURES,
    responses: { 202: { description: 'queued', schema: MaintenanceQueuedSchema }, ...errors(400, 404) },
  },
  createPbxKey: {
    summary: 'Issue a PBX API key',
    description:
      'The key is in this answer only (only its SHA-256 is kept). The key that was current stays valid as `previous`; older ones are revoked.',
    tags: PBX_KEYS,
    responses: { 201: { description: 'the new key', schema: PbxKeyCreatedSchema }, ...errors(400, 404) },
  },
  listPbxKeys: {
    summary: "The tenant's PBX API keys",
    tags: PBX_KEYS,
    responses: { 200: { description: 'the keys: never a key or a hash', schema: PbxKeyListSchema }, ...errors(400, 404) },
  },
  revokePbxKey: {
    summary: 'Revoke a PBX API key',
    tags: PBX_KEYS,
    responses: { 204: { description: 'revoked' }, ...errors(400, 404) },
  },
  listQuarantine: {
    summary: 'Numbers kept from reuse',
    tags: TENANT,
    responses: { 200: { description: 'the quarantined numbers', schema: QuarantineListSchema }, ...errors(400, 404) },
  },
  releaseQuarantinedNumber: {
    summary: 'Release a quarantined number early',
    tags: TENANT,
    responses: { 204: { description: 'released' }, ...errors(400, 404) },
  },
  listUserAccess: {
    summary: 'Whether the connector can act as each synced user on the PBX',
    tags: FEATURES,
    responses: { 200: { description: 'per user, and counts', schema: UserAccessListSchema }, ...errors(400, 404) },
  },
  getPresenceStatus: {
    summary: 'Teams presence → PBX status: the polling',
    tags: FEATURES,
    responses: { 200: { description: 'the polling state', schema: PresenceStatusSchema }, ...errors(400, 404) },
  },
  getUserPresence: {
    summary: "One user's presence and status decisions",
    tags: FEATURES,
    query: UserPresenceQuerySchema,
    responses: { 200: { description: "the user's presence", schema: UserPresenceSchema }, ...errors(400, 404) },
  },
  getCallStateStatus: {
    summary: 'PBX calls → Teams presence: the event URL and who is in a call',
    description: "The PBX's event URL is read live from the PBX; when it cannot be read, its state is `unreadable`.",
    tags: FEATURES,
    responses: { 200: { description: 'the call-state status', schema: CallStateStatusSchema }, ...errors(400, 404) },
  },
  listSecrets: {
    summary: "Which of the tenant's secrets exist (never a value)",
    tags: SECRETS,
    responses: { 200: { description: 'the secrets', schema: SecretListSchema }, ...errors(400, 404, 409) },
  },
  putPbxSecret: {
    summary: 'Write the PBX credential',
    description:
      "PortSIP: `{username, password}`; 3CX: `{clientSecret}`. Bound to the origin of the tenant's current pbx.baseUrl. Write-only; recorded in the audit trail as `secret.write` (never the value).",
    tags: SECRETS,
    body: PbxSecretBodySchema,
    responses: { 204: { description: 'stored' }, ...errors(400, 404, 409, 413, 415, 422) },
  },
  putGraphSecret: {
    summary: 'Write the Graph secret of the tenant’s auth kind',
    description:
      'Exactly the field of the auth kind: clientSecret (and expiresOn), certificatePem, or token (sandbox). The kinds the connector makes itself answer 409. Write-only; recorded in the audit trail as `secret.write`.',
    tags: SECRETS,
    body: GraphSecretBodySchema,
    responses: { 204: { description: 'stored' }, ...errors(400, 404, 409, 413, 415, 422) },
  },
  getGraphCredential: {
    summary: "The health of the tenant's Graph credential",
    tags: SECRETS,
    responses: { 200: { description: 'its kind and health', schema: GraphCredentialSchema }, ...errors(400, 404, 409) },
  },
  getTenantCertificate: {
    summary: "The tenant's managed Graph certificate",
    description: 'format=pem or cer downloads the public part of one version, to upload to the app registration.',
    tags: SECRETS,
    query: CertificateQuerySchema,
    responses: { ...certificateAnswers(false), ...errors(400, 404, 409) },
  },
  createTenantCertificate: {
    summary: "Make the tenant's managed Graph certificate",
    tags: SECRETS,
    responses: { ...certificateAnswers(true), ...errors(400, 404, 409) },
  },
  rollTenantCertificate: {
    summary: 'One certificate rollover check now',
    tags: SECRETS,
    query: CertificateRollQuerySchema,
    responses: { 200: { description: 'the check and the certificate', schema: CertificateRollSchema }, ...errors(400, 404, 409) },
  },
  getSharedAppCertificate: {
    summary: "The shared multi-tenant app's certificate",
    tags: SECRETS,
    query: CertificateQuerySchema,
    responses: { ...certificateAnswers(false), ...errors(400, 404, 409) },
  },
  createSharedAppCertificate: {
    summary: "Make the shared multi-tenant app's certificate",
    tags: SECRETS,
    responses: { ...certificateAnswers(true), ...errors(400, 409) },
  },
  rollSharedAppCertificate: {
    summary: "One rollover check of the shared app's certificate",
    tags: SECRETS,
    query: CertificateRollQuerySchema,
    responses: { 200: { description: 'the check and the certificate', schema: CertificateRollSchema }, ...errors(400, 404, 409) },
  },
  getConsent: {
    summary: "The admin-consent URL for the customer's admin (auth kind sharedApp)",
    tags: SECRETS,
    responses: { 200: { description: 'the URL and whether consent is recorded', schema: ConsentSchema }, ...errors(400, 404, 409) },
  },
  consentCallback: {
    summary: 'Where Entra ID sends the admin back after consent',
    description: 'Anonymous (a browser reaches it): records consent only for a state the connector signed. Answers a plain page.',
    tags: SECRETS,
    query: ConsentCallbackQuerySchema,
    responses: {
      200: { description: 'consent recorded', schema: HtmlPageSchema, contentType: 'text/html' },
      400: {
        description: 'not recorded: a bad state or parameters, or consent not granted',
        schema: HtmlPageSchema,
        contentType: 'text/html',
      },
      409: { description: 'the tenant no longer exists or points at another directory', schema: HtmlPageSchema, contentType: 'text/html' },
    },
  },
};

/** Every PBX route (pbxRoutes.ts), by name: anonymous to the host, authenticated by the tenant's PBX key. */
export const pbxApiDocs: Record<string, DocumentedOperation> = {
  pbxSync: {
    summary: 'Sync now (or a dry run) for the key’s own tenant',
    description: 'The admin "Sync now" (same code); `location` points at the status. The body is empty or `{}`.',
    tags: PBX,
    query: SyncQuerySchema,
    body: EmptyBodySchema,
    bodyRequired: false,
    responses: {
      202: { description: 'queued', schema: SyncQueuedSchema, headers: { Location: 'the status' } },
      200: { description: 'the dry run: the plan’s counts, no per-user actions', schema: PbxDryRunSchema },
      ...errors(400, 401, 403, 404, 405, 409, 413, 415, 422, 429),
    },
  },
  pbxStatus: {
    summary: "The tenant's newest runs and subscription health",
    description: 'No configuration, secrets or personal data.',
    tags: PBX,
    query: PbxStatusQuerySchema,
    responses: { 200: { description: 'the status', schema: PbxStatusSchema }, ...errors(400, 401, 403, 405) },
  },
  pbxEvents: {
    summary: "The PBX's extension events (PortSIP event webhook)",
    description: 'At most 64 KB and 100 events; the callState feature acts on them.',
    tags: PBX,
    body: PbxEventsBodySchema,
    responses: {
      200: { description: 'counts of what was accepted', schema: PbxEventsAcceptedSchema },
      ...errors(400, 401, 403, 405, 413),
      404: { description: 'no feature of the tenant uses call events (the PBX stops retrying)', schema: ErrorBodySchema },
    },
  },
};

/** Routes the Functions host serves beside the two tables (functions/health.ts), by name. */
export const hostApiDocs: Record<string, DocumentedOperation> = {
  health: {
    summary: 'Liveness',
    description: 'Anonymous; says only that the app answers (no version, tenant or dependency state). Never cached.',
    tags: ['meta'],
    responses: { 200: { description: 'the app answers', schema: HealthSchema }, ...errors(405) },
  },
};
