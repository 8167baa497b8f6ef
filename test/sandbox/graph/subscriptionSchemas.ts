import { z } from 'zod';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;

/** Graph wants https; the sandbox also lets plain http reach this machine. */
const endpointUrl = z
  .string()
  .url()
  .refine((value) => {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.test(url.hostname));
  }, 'must be https (the sandbox also allows http on loopback)');

const changeType = z
  .string()
  .min(1)
  .refine((v) => v.split(',').every((t) => t === 'updated' || t === 'deleted'), 'users support only the change types updated and deleted');

export const NewSubscriptionSchema = z
  .object({
    changeType,
    notificationUrl: endpointUrl,
    lifecycleNotificationUrl: endpointUrl.optional().nullable(),
    resource: z.string().min(1),
    expirationDateTime: z.string().datetime({ offset: true }),
    clientState: z.string().max(128).optional().nullable(),
    latestSupportedTlsVersion: z.string().optional(),
    includeResourceData: z.literal(false).optional(),
  })
  .strict();
export type NewSubscriptionBody = z.infer<typeof NewSubscriptionSchema>;

export const SubscriptionPatchSchema = z
  .object({
    expirationDateTime: z.string().datetime({ offset: true }).optional(),
    notificationUrl: endpointUrl.optional(),
    lifecycleNotificationUrl: z.unknown().optional(),
  })
  .strict();

/** `POST /_sandbox/notifications/faults`: each switch applies to the next N notification items. */
export const NotificationFaultsSchema = z
  .object({
    dropNext: z.int().min(1).max(10_000).optional(),
    duplicateNext: z.int().min(1).max(10_000).optional(),
    delayNext: z.int().min(1).max(10_000).optional(),
    delayMs: z.int().min(1).max(600_000).optional(),
    reorderNext: z.int().min(2).max(1000).optional(),
    forgeNext: z.int().min(1).max(10_000).optional(),
  })
  .strict()
  .refine((f) => Object.keys(f).length > 0, 'name at least one switch')
  .refine((f) => (f.delayNext === undefined) === (f.delayMs === undefined), { message: 'delayNext and delayMs go together', path: ['delayMs'] });

export const LifecycleRequestSchema = z
  .object({ event: z.enum(['reauthorizationRequired', 'subscriptionRemoved', 'missed']), tenantField: z.enum(['tenantId', 'organizationId']).optional() })
  .strict();
