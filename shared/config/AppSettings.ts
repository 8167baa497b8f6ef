import { z } from 'zod';
import { AppError } from '../core/errors/AppError';
import { formatZodIssues } from './formatZodIssues';
import { isLoopbackUrl } from './isLoopbackUrl';
import { NationalCloudSchema } from './nationalClouds';
import { guid } from './guid';

// `X=` in a settings file means "unset" (as t3-env's emptyStringAsUndefined).
const optional = <T extends z.ZodTypeAny>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());
const withDefault = <T extends z.ZodTypeAny>(schema: T, value: z.input<T>) =>
  z.preprocess((v) => (v === '' || v === undefined ? value : v), schema);

const LIFETIME_SETTING = /^SUBSCRIPTION_LIFETIME_MINUTES_([A-Z][A-Z0-9]*)$/;

/** `SUBSCRIPTION_LIFETIME_MINUTES_<FEATURE>` settings, gathered by feature name in capitals (e.g. USERS). */
function lifetimeSettings(env: unknown): Record<string, unknown> {
  if (typeof env !== 'object' || env === null) return {};
  const lifetimes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(env)) {
    const name = LIFETIME_SETTING.exec(key)?.[1];
    if (name && value !== '' && value !== undefined) lifetimes[name] = value;
  }
  return lifetimes;
}

const SettingsObjectSchema = z
  .object({
    /** Host storage: a connection string or `UseDevelopmentStorage=true` (Azurite). */
    AzureWebJobsStorage: optional(z.string()),
    /** Identity-based alternative: the Table endpoint (managed identity). */
    AzureWebJobsStorage__tableServiceUri: optional(z.string().url()),
    /** Prefix for the connector's table names (letters and digits). */
    TABLE_PREFIX: withDefault(z.string().regex(/^[A-Za-z0-9]*$/, 'letters and digits only'), 'm365pbx'),
    QUEUE_MODE: withDefault(z.enum(['servicebus', 'inprocess']), 'servicebus'),
    ServiceBusConnection: optional(z.string()),
    ServiceBusConnection__fullyQualifiedNamespace: optional(z.string()),
    ServiceBusQueueName: withDefault(z.string().min(1), 'sync-jobs'),
    /**
     * Key Vault holding certificates and secrets; or LOCAL_SECRETS_FILE for local runs (the connector's own
     * certificates then live beside it, in <name>.certificates.json).
     */
    KEY_VAULT_URI: optional(z.string().url()),
    LOCAL_SECRETS_FILE: optional(z.string().min(1)),
    /**
     * The Key Vault key (or, locally, the key in the local key file) that wraps each tenant's data key, which in
     * turn encrypts the portal passwords of the users the connector creates (docs/CREDENTIALS.md).
     */
    PORTAL_PASSWORD_KEY_NAME: withDefault(
      z.string().regex(/^[0-9A-Za-z-]{1,127}$/, 'must be 1-127 letters, digits and dashes'),
      'portal-passwords',
    ),
    /** User-assigned managed identity client id (Azure). */
    AZURE_CLIENT_ID: optional(z.string()),
    SYNC_CONCURRENCY: withDefault(z.coerce.number().int().min(1).max(64), 8),
    /** How often the scheduler checks tenants' cron expressions is set in functions/scheduledSync.ts. */
    /**
     * The function app's public root (https://<app>.azurewebsites.net): Graph delivers change notifications
     * to <root>/api/graph/notifications and lifecycle events to <root>/api/graph/lifecycle. Unset: no
     * subscriptions, changes arrive with the scheduled reconcile only. http is allowed for loopback only.
     */
    PUBLIC_BASE_URL: optional(
      z
        .string()
        .url()
        .refine((v) => isHttpsOrLoopback(v), 'must be https (plain http only for 127.0.0.1 / localhost)'),
    ),
    /** Days a run's per-item change list is kept (it names users: personal data); a daily timer purges older ones. */
    RUN_CHANGES_RETENTION_DAYS: withDefault(z.coerce.number().int().min(1).max(3650), 30),
    /** Notifications for one tenant and resource within this window become one delta job. */
    NOTIFICATION_DEBOUNCE_MS: withDefault(z.coerce.number().int().min(100).max(60_000), 2000),
    /**
     * Lifetime asked for a feature's subscriptions, from `SUBSCRIPTION_LIFETIME_MINUTES_<FEATURE>` (e.g.
     * `_USERS`). Unset: an hour under the longest Graph allows for the resource, so clock skew never makes the
     * request "too long". A create refused as too long is retried with a conservative 4,230 minutes.
     */
    subscriptionLifetimeMinutes: z.record(z.string(), z.coerce.number().int().min(45).max(41_760)),
    /**
     * The operator's multi-tenant app (auth kind `sharedApp`, for service providers): its client id, its
     * registration's object id and the operator's directory where it is registered. All three or none.
     */
    SHARED_APP_CLIENT_ID: optional(guid),
    SHARED_APP_OBJECT_ID: optional(guid),
    SHARED_APP_DIRECTORY_ID: optional(guid),
    SHARED_APP_NATIONAL_CLOUD: withDefault(NationalCloudSchema, 'GLOBAL'),
  })
  .superRefine((s, ctx) => {
    if (!s.AzureWebJobsStorage && !s.AzureWebJobsStorage__tableServiceUri) {
      ctx.addIssue({
        code: 'custom',
        path: ['AzureWebJobsStorage'],
        message: 'set AzureWebJobsStorage (connection string) or AzureWebJobsStorage__tableServiceUri (managed identity)',
      });
    }
    if (s.QUEUE_MODE === 'servicebus' && !s.ServiceBusConnection && !s.ServiceBusConnection__fullyQualifiedNamespace) {
      ctx.addIssue({
        code: 'custom',
        path: ['ServiceBusConnection__fullyQualifiedNamespace'],
        message: 'set ServiceBusConnection__fullyQualifiedNamespace (managed identity) or ServiceBusConnection, or QUEUE_MODE=inprocess',
      });
    }
    const sharedApp = [s.SHARED_APP_CLIENT_ID, s.SHARED_APP_OBJECT_ID, s.SHARED_APP_DIRECTORY_ID];
    if (sharedApp.some(Boolean) && !sharedApp.every(Boolean)) {
      ctx.addIssue({
        code: 'custom',
        path: ['SHARED_APP_CLIENT_ID'],
        message: 'set all of SHARED_APP_CLIENT_ID, SHARED_APP_OBJECT_ID and SHARED_APP_DIRECTORY_ID, or none',
      });
    }
    if (!s.KEY_VAULT_URI === !s.LOCAL_SECRETS_FILE) {
      ctx.addIssue({
        code: 'custom',
        path: ['KEY_VAULT_URI'],
        message: 'set exactly one of KEY_VAULT_URI (Azure) or LOCAL_SECRETS_FILE (local runs)',
      });
    }
  });
export const AppSettingsSchema = z.preprocess(
  (env) => (typeof env === 'object' && env !== null ? { ...env, subscriptionLifetimeMinutes: lifetimeSettings(env) } : env),
  SettingsObjectSchema,
);

function isHttpsOrLoopback(value: string): boolean {
  return value.startsWith('https://') || (value.startsWith('http://') && isLoopbackUrl(value));
}

export type AppSettings = z.infer<typeof AppSettingsSchema>;

/** Parses app settings once; every problem is listed in one readable error. */
export function loadAppSettings(env: Record<string, string | undefined> = process.env): AppSettings {
  const parsed = AppSettingsSchema.safeParse(env);
  if (!parsed.success) {
    throw new AppError('CONFIG', `Invalid app settings:\n${formatZodIssues(parsed.error)}`);
  }
  return parsed.data;
}
