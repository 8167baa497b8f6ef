import { z } from 'zod';
import { guid } from './guid';
import { isHttpsOrLoopbackUrl, isLoopbackUrl } from './isLoopbackUrl';
import { cronScheduleProblem } from './cronSchedule';
import { NationalCloudSchema } from './nationalClouds';
import { featureOptionSections } from '../features/featureManifests';
import { TENANT_CONFIG_SCHEMA_VERSION } from './tenantConfigSchemaVersion';

const httpUrl = z
  .string()
  .url('must be an absolute URL')
  .refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) URL')
  .refine(hasOnlyOriginAndPath, 'must not carry a user name, password, query or fragment')
  .transform((u) => u.replace(/\/+$/, ''));

function hasOnlyOriginAndPath(url: string): boolean {
  try {
    const parsed = new URL(url);
    return !parsed.username && !parsed.password && !parsed.search && !parsed.hash;
  } catch {
    return false;
  }
}

export const TenantIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'tenant id must be 1-63 lowercase letters, digits or dashes, starting with a letter or digit');

/**
 * How the connector signs in to Graph. The configuration names no secret: the connector keeps the material
 * under names it derives from the tenant id (tenant-<id>-graph-cert for `certificate`, tenant-<id>-graph for
 * `clientSecret` and the sandbox token), written with PUT /api/tenants/{id}/secrets/graph.
 *
 * `managedCertificate`: the connector makes the certificate itself (tenant-<id>-graph-managed in Key Vault,
 * renewed there before it expires), the admin uploads its public part once (GET …/certificate), and later
 * versions are registered on the app by the connector (addKey) when `microsoft365.applicationObjectId` is set.
 * `sharedApp`: the operator's one multi-tenant app (SHARED_APP_* settings), consented by this tenant's admin.
 */
export const GraphAuthSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('certificate') }).strict(),
  z.object({ kind: z.literal('managedCertificate') }).strict(),
  z.object({ kind: z.literal('sharedApp') }).strict(),
  z.object({ kind: z.literal('clientSecret') }).strict(),
  z
    .object({
      /** A fixed bearer token (kept as the tenant's Graph secret) that only the sandbox Graph server accepts. */
      kind: z.literal('sandbox'),
      /** Where the sandbox Graph server listens; must be loopback so this kind never reaches a real tenant. */
      graphBaseUrl: httpUrl.refine(isLoopbackUrl, 'the sandbox auth kind only talks to a loopback Graph server'),
    })
    .strict(),
]);
export type GraphAuth = z.infer<typeof GraphAuthSchema>;

export const PortSipConfigSchema = z
  .object({
    kind: z.literal('portsip'),
    /**
     * e.g. https://pbx.example.com:8887 (the adapter appends /api). https only: the admin credential travels
     * in the sign-in body; plain http only for a loopback host (the sandbox). The credential (written with
     * PUT /api/tenants/{id}/secrets/pbx, kept as tenant-<id>-pbx) is bound to this URL's origin.
     */
    baseUrl: httpUrl.refine(isHttpsOrLoopbackUrl, 'must be an https URL (plain http only for a loopback host such as 127.0.0.1)'),
    /** The PortSIP tenant SIP domain the admin signs in to. */
    domain: z.string().min(1).max(280),
    /** PortSIP role given to users the connector creates. Read the valid names from GET /api/roles. */
    role: z.string().min(1).max(64).default('StandardUser'),
    /** Client-side rate limit; PortSIP v22.1.7+ defaults to 10,000 requests per minute (configurable server-side). */
    rateLimitPerMinute: z.number().int().min(60).max(1_000_000).default(10_000),
    /** Concurrent PBX requests in flight. */
    maxConcurrency: z.number().int().min(1).max(64).default(8),
    /**
     * The share of the rate limit the realtime lane (presence, calendar, call state) gets while the tenant
     * has a realtime feature on; the directory lane (users, groups, contacts) gets the rest. A fixed split,
     * because instances cannot share one token bucket. Without realtime features the directory lane has it all.
     */
    realtimeShare: z.number().min(0.05).max(0.95).default(0.2),
  })
  .strict();
export type PortSipConfig = z.infer<typeof PortSipConfigSchema>;

export const ThreeCxConfigSchema = z
  .object({
    kind: z.literal('3cx'),
    /**
     * e.g. https://pbx.contoso.com:5001 (the adapter appends /xapi/v1 and /connect/token). https only, as for
     * PortSIP (plain http only for a loopback host: the simulator). The client secret (written with PUT
     * /api/tenants/{id}/secrets/pbx as {"clientSecret"}, kept as tenant-<id>-pbx) is bound to this URL's origin.
     */
    baseUrl: httpUrl.refine(isHttpsOrLoopbackUrl, 'must be an https URL (plain http only for a loopback host such as 127.0.0.1)'),
    /** The API client id set in 3CX under Integrations → API (3CX makes it a DN: digits). */
    clientId: z.string().min(1).max(64),
    /** 3CX documents no rate limit; this is the connector's own pacing (its anti-hacking guard blocks bursty IPs). */
    rateLimitPerMinute: z.number().int().min(60).max(1_000_000).default(6_000),
    maxConcurrency: z.number().int().min(1).max(16).default(4),
    /** As for PortSIP: the realtime lane's share while the tenant has a realtime feature on. */
    realtimeShare: z.number().min(0.05).max(0.95).default(0.2),
  })
  .strict();
export type ThreeCxConfig = z.infer<typeof ThreeCxConfigSchema>;

/** The tenant's PBX, by product: each member has its own `kind`, so code narrows before it reads product options. */
export const PbxConfigSchema = z.discriminatedUnion('kind', [PortSipConfigSchema, ThreeCxConfigSchema]);
export type PbxConfig = z.infer<typeof PbxConfigSchema>;

/** Five fields, valid, and at most one full reconcile every MIN_SCHEDULE_INTERVAL_MINUTES (cronSchedule.ts). */
const cron = z.string().superRefine((expr, ctx) => {
  const problem = cronScheduleProblem(expr);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone (e.g. "Europe/Berlin")');

export const ScheduleSchema = z
  .object({
    /** When the full reconcile runs, in `timeZone` (tenant-local). Default: nightly at 00:30. */
    cron: cron.default('30 0 * * *'),
    timeZone: timeZone.default('UTC'),
  })
  .strict();

/**
 * The current shape. Stored rows and older request bodies reach it through migrateTenantConfig first
 * (tenantConfigInputSchemas.ts); parsing an older version here directly is refused, never guessed.
 */
export const TenantConfigSchema = z
  .object({
    schemaVersion: z
      .literal(TENANT_CONFIG_SCHEMA_VERSION, { error: `must be ${TENANT_CONFIG_SCHEMA_VERSION} (older versions are migrated first)` })
      .default(TENANT_CONFIG_SCHEMA_VERSION),
    displayName: z.string().min(1).max(256),
    enabled: z.boolean().default(true),
    microsoft365: z
      .object({
        directoryId: guid,
        applicationId: guid,
        /**
         * The app registration's object id (not its client id): with it the connector registers its renewed
         * certificate on the app itself (Graph addKey) and removes the old one, so no one uploads a key again.
         */
        applicationObjectId: guid.optional(),
        nationalCloud: NationalCloudSchema.default('GLOBAL'),
        auth: GraphAuthSchema,
      })
      .strict(),
    pbx: PbxConfigSchema,
    schedule: ScheduleSchema.default({ cron: '30 0 * * *', timeZone: 'UTC' }),
    ...featureOptionSections(),
  })
  .strict();

export type TenantConfig = z.infer<typeof TenantConfigSchema>;
/** What a caller sends: defaults not yet applied. */
export type TenantConfigInput = z.input<typeof TenantConfigSchema>;
