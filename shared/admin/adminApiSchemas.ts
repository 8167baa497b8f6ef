import { z } from 'zod';
import { guid } from '../config/guid';
import { TenantConfigSchema, TenantIdSchema } from '../config/TenantConfig';
import { TENANT_CONFIG_SCHEMA_VERSION } from '../config/tenantConfigSchemaVersion';
import { RUN_CHANGE_OUTCOMES } from '../engine/RunChange';
import { RUN_TRIGGERS } from '../engine/RunStore';
import { RunIdSchemaPattern } from '../engine/newRunId';
import { QUARANTINE_NUMBER_PATTERN } from '../engine/NumberQuarantineStore';
import { FeatureNameSchema } from '../features/FeatureName';
import { PBX_KEY_ID_PATTERN } from '../pbxApi/pbxKeys';
import {
  GraphSecretBodySchema as GraphSecretBody,
  PortSipSecretBodySchema as PortSipSecretBody,
  ThreeCxSecretBodySchema as ThreeCxSecretBody,
} from './secretHandlers';

/*
 * What the admin API and the PBX API take and answer, as zod schemas, for the OpenAPI description
 * (adminApiDocs.ts, openApiDocument.ts) and the tests that hold the handlers to it. The handlers validate their
 * inputs themselves (pathParams.ts, readJsonBody); these schemas describe the same rules. Answers are loose
 * objects: they require what README promises and let the handlers add fields without breaking the description.
 */

// ---------------------------------------------------------------------------------------------------------------
// Path parameters, by the name they have in the route (`tenants/{id}/runs/{runId}`).

/** Every `{…}` name used by a route, with its rule; a route with a name missing here fails the document test. */
export const PathParamSchemas: Record<string, z.ZodType<string>> = {
  id: TenantIdSchema.describe('the tenant id (1-63 lowercase letters, digits or dashes)'),
  tenantId: TenantIdSchema.describe('the tenant id of the PBX key (1-63 lowercase letters, digits or dashes)'),
  runId: z.string().regex(RunIdSchemaPattern).describe('a run id: 13 digits, a dash and 8 hex characters'),
  keyId: z.string().regex(PBX_KEY_ID_PATTERN).describe('a PBX API key id: 16 lowercase hex characters'),
  number: z.string().regex(QUARANTINE_NUMBER_PATTERN).describe('an extension number: 1-64 digits'),
  userId: guid.describe('the Entra object id of a synced user'),
  feature: FeatureNameSchema.describe('a feature name, e.g. users, groups, presence (an unknown one is 404)'),
};

// ---------------------------------------------------------------------------------------------------------------
// Query strings. Every route refuses (400) a parameter it does not know, or one given twice (allowOnlyQuery).

/** A boolean query flag (booleanQuery): `true` or `false`; given without a value it means true. */
const booleanFlag = z.enum(['true', 'false']);

export const SyncQuerySchema = z.object({
  mode: z.enum(['full', 'delta']).optional().describe('default full'),
  dryRun: booleanFlag.optional().describe('true: read Graph and the PBX, answer the plan, write nothing'),
  feature: FeatureNameSchema.optional().describe('one feature only (e.g. users, groups); default every feature in the reconcile'),
});

/** Pause and disconnect take it too: ?dryRun=true is the preview even with confirm. */
export const LifecycleQuerySchema = z.object({
  dryRun: booleanFlag.optional().describe('true: only the counts (as without confirm); nothing is written'),
});

export const AuditQuerySchema = z.object({
  limit: z.number().int().min(1).max(500).optional().describe('newest N entries (default 50)'),
});

export const RunsQuerySchema = z.object({
  limit: z.number().int().min(1).max(100).optional().describe('newest N runs (default 20)'),
});

export const RunChangesQuerySchema = z.object({
  limit: z.number().int().min(1).max(500).optional().describe('items per page (default 100)'),
  continuationToken: z.string().optional().describe('from the previous page'),
  outcome: z
    .string()
    .optional()
    .describe(`a comma list of ${RUN_CHANGE_OUTCOMES.join(', ')}`),
  feature: FeatureNameSchema.optional(),
  q: z.string().max(200).optional().describe('a substring of the source id, label or extension'),
});

export const UserPresenceQuerySchema = z.object({
  limit: z.number().int().min(1).max(200).optional().describe('newest N status decisions (default 50)'),
});

export const CertificateQuerySchema = z.object({
  format: z.enum(['json', 'pem', 'cer']).optional().describe('json (default), or the public part of one version as PEM or DER'),
  version: z
    .string()
    .regex(/^[0-9A-Za-z-]{1,64}$/)
    .optional()
    .describe('with pem/cer: a version id from the JSON view (default the newest valid one)'),
});

export const CertificateRollQuerySchema = z.object({
  renew: booleanFlag.optional().describe('true: make a new version first'),
});

/** What Entra ID appends to the consent redirect; nothing else is accepted. */
export const ConsentCallbackQuerySchema = z.object({
  admin_consent: z.string().optional(),
  tenant: z.string().optional(),
  state: z.string().optional(),
  error: z.string().optional(),
  error_description: z.string().optional(),
  error_uri: z.string().optional(),
  scope: z.string().optional(),
});

export const PbxStatusQuerySchema = z.object({
  limit: z.number().int().min(1).max(20).optional().describe('newest N runs (default 5)'),
});

// ---------------------------------------------------------------------------------------------------------------
// Request bodies.

/**
 * A configuration stored or saved by an older release: migrated forward by the handler
 * (TenantConfigRequestSchema), so only its version is checked here; the migrated result must then validate.
 */
export const OlderTenantConfigSchema = z
  .looseObject({
    schemaVersion: z
      .number()
      .int()
      .min(1)
      .max(TENANT_CONFIG_SCHEMA_VERSION - 1),
  })
  .describe('a configuration of an older schemaVersion, migrated to the current shape before it is validated');

/** PUT /tenants/{id}: today's shape (defaults filled in), or an older version that is migrated. */
export const TenantConfigBodySchema = z.union([TenantConfigSchema, OlderTenantConfigSchema]);

/** The secret bodies are the handlers' own schemas (secretHandlers.ts), described for the document. */
export const PortSipSecretBodySchema = PortSipSecretBody.describe(
  'PortSIP (pbx.kind portsip): a tenant admin without two-factor authentication',
);
export const ThreeCxSecretBodySchema = ThreeCxSecretBody.describe('3CX (pbx.kind 3cx): the API client secret');

/** PUT /tenants/{id}/secrets/pbx: which one the handler reads depends on the tenant's pbx.kind. */
export const PbxSecretBodySchema = z.union([PortSipSecretBodySchema, ThreeCxSecretBodySchema]);

/** PUT /tenants/{id}/secrets/graph: exactly the field of the tenant's auth kind (422 otherwise). */
export const GraphSecretBodySchema = GraphSecretBody.describe(
  'exactly the field of the tenant auth kind: clientSecret (+ expiresOn), certificatePem (key and certificate, PEM) or token (sandbox)',
);

/** The PBX sync route takes its options in the query; some PBX HTTP actions always send a body, so `{}` is allowed. */
export const EmptyBodySchema = z.object({}).strict();

/** One PortSIP extension event, or an array of them (at most 64 KB); the handler parses what it understands. */
export const PbxEventsBodySchema = z.union([z.looseObject({}), z.array(z.looseObject({}))]);

// ---------------------------------------------------------------------------------------------------------------
// Answers.

/** Every error answer (errorResponse): a stable code, a message, and sometimes details (e.g. every bad field). */
export const ErrorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

/** A tenant as the API shows it (secret values in its configuration read "***"). */
export const TenantViewSchema = z.looseObject({
  id: TenantIdSchema,
  config: TenantConfigSchema,
  etag: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const TenantListSchema = z.looseObject({
  value: z.array(TenantViewSchema),
  /** Stored configurations that no longer validate: fix them with PUT or remove them with DELETE. */
  invalid: z.array(z.object({ id: z.string(), error: z.string() })).optional(),
});

const RunCountsSchema = z.looseObject({
  created: z.number(),
  adopted: z.number(),
  updated: z.number(),
  disabled: z.number(),
  deleted: z.number(),
  unlinked: z.number(),
  unchanged: z.number(),
  skipped: z.number(),
  failed: z.number(),
  outOfScope: z.number(),
});

const RunStatusSchema = z.enum(['queued', 'running', 'succeeded', 'partial', 'failed']);
const ModeSchema = z.enum(['full', 'delta']);

const RunTotalBasisSchema = z
  .enum(['graphCount', 'previousRun'])
  .describe(
    "where the expected total came from: Microsoft 365's own count (users: GET /users/$count; groups: the round, read whole before it is applied), or what the feature's last full run read",
  );

/** A running run's saved progress (RunStore's SyncRunProgress). */
const RunProgressSchema = z
  .looseObject({
    done: z.number().describe('items of the pages settled so far'),
    total: z.number().optional().describe('expected items in all (full runs only; an estimate)'),
    totalBasis: RunTotalBasisSchema.optional(),
    updatedAt: z.string(),
  })
  .describe('saved at most every 2 seconds while the run runs, and once more with the final record');

/** A run record (RunStore's SyncRun). */
export const RunSchema = z.looseObject({
  tenantId: z.string(),
  runId: z.string(),
  feature: z.string().optional(),
  status: RunStatusSchema,
  trigger: z.enum(RUN_TRIGGERS),
  mode: ModeSchema,
  dryRun: z.boolean(),
  queuedAt: z.string(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  durationMs: z.number().optional(),
  counts: RunCountsSchema,
  skippedByReason: z.record(z.string(), z.number()),
  outOfScopeByReason: z.record(z.string(), z.number()),
  itemsRead: z.number(),
  issues: z.array(z.looseObject({ code: z.string(), message: z.string() })),
  graphRequests: z.number(),
  pbxRequests: z.number(),
  pages: z.number(),
  error: z.string().optional(),
  notes: z.array(z.string()),
  progress: RunProgressSchema.optional(),
});

export const RunListSchema = z.looseObject({ value: z.array(RunSchema) });

export const RunChangesPageSchema = z.looseObject({
  value: z.array(z.looseObject({ outcome: z.enum(RUN_CHANGE_OUTCOMES) })),
  continuationToken: z.string().optional(),
});

/** 202 of "Sync now" (admin and PBX API): the first run at the top level, every queued run in `runs`. */
export const SyncQueuedSchema = z.looseObject({
  runId: z.string(),
  status: z.literal('queued'),
  mode: ModeSchema,
  location: z.string(),
  runs: z.array(z.looseObject({ feature: z.string(), runId: z.string(), location: z.string() })).min(1),
});

/** One feature's dry run: what the run would do (counts), written nowhere. The admin API adds plannedActions. */
const DryRunResultSchema = z.looseObject({
  feature: z.string(),
  mode: ModeSchema,
  counts: RunCountsSchema,
  itemsRead: z.number(),
  plannedActions: z.array(z.unknown()).optional(),
});

/** 200 of a dry run: one feature's result at the top level, or `results` when several features ran. */
export const SyncDryRunSchema = z.union([
  DryRunResultSchema.extend({ dryRun: z.literal(true) }),
  z.looseObject({ dryRun: z.literal(true), results: z.array(DryRunResultSchema) }),
]);

export const SubscriptionListSchema = z.looseObject({
  notificationsEnabled: z.boolean(),
  value: z.array(z.looseObject({ subscriptionId: z.string(), resource: z.string(), expiresAt: z.string() })),
});

export const MaintenanceQueuedSchema = z.looseObject({ queued: z.literal(true), jobId: z.string(), location: z.string() });

/** A PBX API key as listed: never the key, never its hash. */
export const PbxKeyViewSchema = z.looseObject({
  keyId: z.string().regex(PBX_KEY_ID_PATTERN),
  status: z.enum(['current', 'previous', 'events']),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});

export const PbxKeyCreatedSchema = z.looseObject({
  keyId: z.string().regex(PBX_KEY_ID_PATTERN),
  key: z
    .string()
    .regex(/^pbxk_[A-Za-z0-9_-]{43}$/)
    .describe('shown in this answer only'),
  createdAt: z.string(),
  keys: z.array(PbxKeyViewSchema),
  revokedKeyIds: z.array(z.string()),
});

export const PbxKeyListSchema = z.looseObject({ value: z.array(PbxKeyViewSchema) });

export const QuarantineListSchema = z.looseObject({
  value: z.array(
    z.looseObject({
      number: z.string(),
      quarantinedAt: z.string(),
      releaseAt: z.string(),
      objectId: z.string().nullable(),
      reason: z.string(),
    }),
  ),
});

export const UserAccessListSchema = z.looseObject({
  counts: z.record(z.string(), z.number()),
  value: z.array(
    z.looseObject({
      objectId: z.string(),
      extension: z.string(),
      access: z.string().describe('kept, or why not: adopted, noPasswordKept, passwordRejected, passwordResetRequired, twoFactorRequired'),
      message: z.string().optional(),
      since: z.string().optional(),
    }),
  ),
});

export const PresenceStatusSchema = z.looseObject({
  polling: z.enum(['on', 'off']),
  pollSeconds: z.number().optional(),
  reassertMinutes: z.number().optional(),
  lastCycle: z.looseObject({ startedAt: z.string(), finishedAt: z.string().nullable(), lastError: z.unknown() }).nullable(),
  nextCycleAt: z.string().nullable(),
  heldByHand: z.number(),
  limited: z.looseObject({
    counts: z.record(z.string(), z.number()),
    users: z.array(z.looseObject({ objectId: z.string(), reason: z.string(), message: z.string() })),
  }),
});

export const UserPresenceSchema = z.looseObject({
  objectId: z.string(),
  extension: z.string().nullable(),
  teams: z.unknown(),
  applied: z.unknown(),
  limitedBy: z.looseObject({ reason: z.string(), message: z.string() }).nullable(),
  heldBy: z.unknown(),
  updatedAt: z.string().nullable(),
  history: z.array(z.looseObject({})),
});

export const CallStateStatusSchema = z.looseObject({
  enabled: z.boolean(),
  eventUrl: z.looseObject({
    state: z
      .string()
      .describe('registered, notRegistered, conflict, manual, noPublicUrl, unsupported, or unreadable (the PBX could not be asked)'),
    advice: z.string().optional(),
  }),
  inACall: z.looseObject({
    count: z.number(),
    users: z.array(z.looseObject({ objectId: z.string(), since: z.string(), sessionUntil: z.string().nullable() })),
  }),
});

export const SecretListSchema = z.looseObject({
  value: z.array(
    z.looseObject({
      kind: z.enum(['pbx', 'graph', 'graphCertificate']),
      name: z.string(),
      exists: z.boolean(),
      used: z.boolean(),
      writtenAt: z.string().optional(),
      origin: z.string().optional(),
      matchesPbxUrl: z.boolean().optional(),
    }),
  ),
});

const CredentialHealthSchema = z.looseObject({
  status: z.enum(['ok', 'warning', 'expired', 'missing', 'unknown']),
  expiresOn: z.string().optional(),
  daysLeft: z.number().optional(),
  message: z.string(),
  action: z.string().optional(),
});

export const ManagedCertificateViewSchema = z.looseObject({
  name: z.string(),
  uploadVersion: z.string().optional(),
  activeVersion: z.string().optional(),
  versions: z.array(z.looseObject({ version: z.string(), thumbprint: z.string(), notBefore: z.string(), notAfter: z.string() })),
  rollover: z.looseObject({ canRegister: z.boolean() }),
  health: CredentialHealthSchema,
});

export const CertificateRollSchema = z.looseObject({ certificate: ManagedCertificateViewSchema });

export const GraphCredentialSchema = z.looseObject({
  kind: z.string(),
  health: CredentialHealthSchema,
  certificate: ManagedCertificateViewSchema.optional(),
  consent: z.looseObject({ directoryId: z.string(), consentedAt: z.string() }).optional(),
});

export const ConsentSchema = z.looseObject({
  consentUrl: z.string(),
  redirectUri: z.string(),
  consented: z.boolean(),
  consentedAt: z.string().optional(),
});

/** An HTML page (the consent callback answers the admin's browser). */
export const HtmlPageSchema = z.string();

/** 200 of a PBX dry run: the plan's counts, no per-user actions (a PBX key is not an operator). */
export const PbxDryRunSchema = SyncDryRunSchema;

/** A run as the PBX sees it: no user names, no error texts. */
export const RunSummarySchema = z.looseObject({
  runId: z.string(),
  feature: z.string(),
  status: RunStatusSchema,
  trigger: z.enum(RUN_TRIGGERS),
  mode: ModeSchema,
  dryRun: z.boolean(),
  queuedAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  itemsRead: z.number(),
  counts: RunCountsSchema,
  issueCount: z.number(),
});

/** describeRunProgress: a running run's progress with its rate and time left. */
const RunProgressViewSchema = z.looseObject({
  done: z.number(),
  total: z.number().optional(),
  totalBasis: RunTotalBasisSchema.optional(),
  percent: z.number().optional().describe('done of total in whole percent, at most 100'),
  ratePerSecond: z.number().optional().describe('items per second since the run started'),
  etaSeconds: z.number().optional().describe('seconds left at that rate; absent without a total or once done reached it'),
  updatedAt: z.string(),
});

/** A queued or running run in the tenant's status: its progress is null until it settled a page. */
const RunningRunSchema = RunSummarySchema.extend({ progress: RunProgressViewSchema.nullable() });

export const PbxStatusSchema = z.looseObject({
  tenantId: z.string(),
  time: z.string(),
  lastSucceededAt: z.string().nullable(),
  runs: z.array(RunSummarySchema),
  subscriptions: z.looseObject({
    notificationsEnabled: z.boolean(),
    health: z.enum(['healthy', 'degraded', 'none', 'off']),
    value: z.array(z.looseObject({ feature: z.string(), expiresAt: z.string(), expired: z.boolean() })),
  }),
});

export const PbxEventsAcceptedSchema = z.looseObject({
  accepted: z.number(),
  ignored: z.number(),
  invalid: z.number(),
  queued: z.number(),
  problems: z.array(z.string()).optional(),
});

/** GET /tenants/{id}/status: the console's data (tenantStatus.ts), for the PBX's admins and monitoring. */
export const TenantStatusSchema = z.looseObject({
  tenant: z.looseObject({
    id: z.string(),
    displayName: z.string(),
    enabled: z.boolean(),
    pbx: z.looseObject({ kind: z.string(), baseUrl: z.string() }),
  }),
  time: z.string(),
  connection: z.looseObject({
    state: z.enum(['ok', 'attention', 'disabled']),
    problems: z.array(z.looseObject({ what: z.string(), advice: z.string() })),
  }),
  lastRun: RunSummarySchema.nullable(),
  running: z.array(RunningRunSchema),
  nextScheduledRunAt: z.string().nullable(),
  features: z.array(
    z.looseObject({
      name: z.string(),
      enabled: z.boolean(),
      health: z.enum(['off', 'ok', 'attention']),
      lastRun: RunSummarySchema.nullable(),
    }),
  ),
  subscriptions: z.looseObject({
    notificationsEnabled: z.boolean(),
    health: z.enum(['healthy', 'degraded', 'none', 'off']),
    count: z.number(),
    value: z.array(z.looseObject({ feature: z.string(), expiresAt: z.string(), expired: z.boolean() })),
  }),
  credentials: z.looseObject({
    graph: z.looseObject({ kind: z.string(), health: z.string(), daysLeft: z.number().nullable(), message: z.string() }),
    pbxWritten: z.boolean(),
  }),
  errors: z.array(z.looseObject({ at: z.string(), feature: z.string(), runId: z.string(), message: z.string(), advice: z.string() })),
});

/** GET /health: liveness only (no version, no tenant, no dependency state). */
export const HealthSchema = z.object({ status: z.literal('ok') });

// ---------------------------------------------------------------------------------------------------------------
// Lifecycle: pause / resume a feature, disable / enable / disconnect a tenant, the audit trail (lifecycleHandlers.ts).

export { TeardownBodySchema } from './lifecycleHandlers';

/** What a feature's teardown did (or, in a preview, would do). */
const TeardownCountsSchema = z.looseObject({
  deleted: z.number().int().describe('PBX records deleted (extensions, groups)'),
  handedOver: z.number().int().describe('PBX records left on the PBX, no longer managed'),
  restored: z.number().int().describe('PBX statuses put back and Teams sessions cleared'),
  failed: z.number().int(),
  notes: z.array(z.string()),
});

export const PausePreviewSchema = TeardownCountsSchema.extend({
  dryRun: z.literal(true),
  feature: z.string(),
  pbxRecords: z.enum(['delete', 'retain']),
  enabled: z.boolean().describe('whether the feature is on now'),
});

export const PauseResultSchema = TeardownCountsSchema.extend({
  feature: z.string(),
  pbxRecords: z.enum(['delete', 'retain']),
  enabled: z.literal(false),
  auditRecorded: z.boolean(),
});

export const ResumeResultSchema = z.looseObject({
  feature: z.string(),
  enabled: z.literal(true),
  wasEnabled: z.boolean(),
  tenantEnabled: z.boolean().describe('false: the tenant is disabled, so nothing runs until it is enabled'),
  runs: z.array(z.looseObject({ feature: z.string(), runId: z.string() })).describe('the full run queued (features in the reconcile)'),
  warnings: z
    .array(z.string())
    .describe('what to know: e.g. users resumed after a pause that handed extensions over, with adoptByEmail off, get a second extension'),
  auditRecorded: z.boolean(),
});

export const DisableResultSchema = z.looseObject({
  enabled: z.literal(false),
  wasEnabled: z.boolean(),
  subscriptionsRemoved: z.number().int(),
  notes: z.array(z.string()),
  auditRecorded: z.boolean(),
});

export const EnableResultSchema = z.looseObject({
  enabled: z.literal(true),
  wasEnabled: z.boolean(),
  maintenanceJobId: z.string(),
  pollingStarted: z.array(z.string()),
  auditRecorded: z.boolean(),
});

const FeatureTeardownSchema = TeardownCountsSchema.extend({ feature: z.string() });

export const DisconnectPreviewSchema = z.looseObject({
  dryRun: z.literal(true),
  pbxRecords: z.enum(['delete', 'retain']),
  results: z.array(FeatureTeardownSchema),
});

export const DisconnectResultSchema = z.looseObject({
  disconnected: z.literal(true),
  pbxRecords: z.enum(['delete', 'retain']),
  results: z.array(FeatureTeardownSchema),
  auditRecorded: z.boolean(),
});

export const AuditListSchema = z.looseObject({
  value: z.array(
    z.looseObject({
      tenantId: z.string(),
      at: z.string(),
      actor: z.looseObject({ kind: z.enum(['console', 'appService', 'adminKey', 'pbx', 'connector']), name: z.string() }),
      action: z.string(),
      detail: z.record(z.string(), z.unknown()),
    }),
  ),
});
