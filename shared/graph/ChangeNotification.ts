import { z } from 'zod';

export const LIFECYCLE_EVENTS = ['reauthorizationRequired', 'subscriptionRemoved', 'missed'] as const;
export type LifecycleEvent = (typeof LIFECYCLE_EVENTS)[number];

/**
 * Graph's ids (subscription, tenant) are GUIDs: 8-4-4-4-12 hex digits. Checked by shape, never by version, and
 * case-insensitively (Graph writes them in lower case; nothing here depends on that).
 */
export const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const guid = (what: string) => z.string().regex(GUID_PATTERN, `${what} must be a GUID`);

/** Longest `clientState` Graph accepts (and so can echo). */
export const MAX_CLIENT_STATE = 128;
/** Longest `resource` accepted: Graph's resource paths (`Users/<guid>`, mail folders…) are far shorter. */
export const MAX_RESOURCE = 1024;

/**
 * One item of a Graph notification POST: a change notification, or a lifecycle event (which carries
 * `lifecycleEvent` instead of resource data). Real lifecycle payloads have been seen with `organizationId`
 * instead of `tenantId` and an empty `resource`, so either tenant field is accepted.
 *
 * Every field we read is checked by shape at the edge, because the endpoint is anonymous: the subscription
 * and tenant ids are GUIDs (so nothing else ever becomes a table key), `clientState` and `resource` are
 * bounded, `changeType` is a comma list of words. Unknown fields are allowed (Graph adds some over time) but
 * stripped, so nothing we do not read travels further (no `__proto__` copied onto an object either).
 */
export const ChangeNotificationSchema = z
  .object({
    subscriptionId: guid('subscriptionId'),
    subscriptionExpirationDateTime: z.string().max(64).optional(),
    changeType: z
      .string()
      .max(64)
      .regex(/^[A-Za-z]+(?:,[A-Za-z]+)*$/, 'changeType must be a comma-separated list of words')
      .optional(),
    resource: z.string().max(MAX_RESOURCE).optional(),
    resourceData: z.object({ id: z.string().max(256).optional() }).optional(),
    clientState: z.string().max(MAX_CLIENT_STATE).nullable().optional(),
    tenantId: guid('tenantId').optional(),
    organizationId: guid('organizationId').optional(),
    lifecycleEvent: z.enum(LIFECYCLE_EVENTS).optional(),
  })
  .refine((n) => n.tenantId !== undefined || n.organizationId !== undefined, {
    message: 'a notification names its tenantId (or organizationId)',
    path: ['tenantId'],
  });
export type ChangeNotification = z.infer<typeof ChangeNotificationSchema>;

/** Largest notification POST we read; Graph's batches of basic notifications are far smaller. */
export const MAX_NOTIFICATION_BODY_BYTES = 1024 * 1024;

/**
 * Most items one POST may carry. Graph documents no count (a batch "may mix items of several
 * subscriptions"); a basic notification is ~500 bytes, so 1,000 items is ~half of the 1 MiB body limit and
 * far beyond any batch seen. More is refused whole (413), never half-processed.
 */
export const MAX_NOTIFICATIONS_PER_BATCH = 1000;

/** The directory (Entra tenant) a notification is about. */
export function notificationTenant(n: ChangeNotification): string {
  return (n.tenantId ?? n.organizationId)!;
}
