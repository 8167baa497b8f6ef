import { z } from 'zod';

export const LIFECYCLE_EVENTS = ['reauthorizationRequired', 'subscriptionRemoved', 'missed'] as const;
export type LifecycleEvent = (typeof LIFECYCLE_EVENTS)[number];

/**
 * One item of a Graph notification POST: a change notification, or a lifecycle event (which carries
 * `lifecycleEvent` instead of resource data). Real lifecycle payloads have been seen with `organizationId`
 * instead of `tenantId` and an empty `resource`, so either tenant field is accepted. Unknown fields pass
 * (Graph adds some over time); the ones we act on are checked.
 */
export const ChangeNotificationSchema = z
  .object({
    subscriptionId: z.string().min(1).max(128),
    subscriptionExpirationDateTime: z.string().optional(),
    changeType: z.string().max(64).optional(),
    resource: z.string().max(2048).optional(),
    resourceData: z.object({ id: z.string().optional() }).passthrough().optional(),
    clientState: z.string().max(128).nullable().optional(),
    tenantId: z.string().max(64).optional(),
    organizationId: z.string().max(64).optional(),
    lifecycleEvent: z.enum(LIFECYCLE_EVENTS).optional(),
  })
  .passthrough()
  .refine((n) => n.tenantId !== undefined || n.organizationId !== undefined, {
    message: 'a notification names its tenantId (or organizationId)',
    path: ['tenantId'],
  });
export type ChangeNotification = z.infer<typeof ChangeNotificationSchema>;

/** Largest notification POST we read; Graph's batches of basic notifications are far smaller. */
export const MAX_NOTIFICATION_BODY_BYTES = 1024 * 1024;

/** The directory (Entra tenant) a notification is about. */
export function notificationTenant(n: ChangeNotification): string {
  return (n.tenantId ?? n.organizationId)!;
}
