import { z } from 'zod';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/i;

/** Graph wants https; the sandbox also lets plain http reach this machine (tests, `npm start`). */
const endpointUrl = z.string().refine((value) => {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.test(url.hostname));
}, 'must be an https URL (the sandbox also allows http on 127.0.0.1, localhost or [::1])');

/**
 * `created`, `updated`, `deleted`, comma separated. Which ones a resource takes is the registry's check: users
 * and groups only `updated` and `deleted` (creation arrives as `updated`), Outlook contacts all three.
 */
const changeType = z
  .string()
  .refine(
    (v) => v.split(',').every((t) => t === 'created' || t === 'updated' || t === 'deleted'),
    'the change types are created, updated and deleted, comma separated',
  );

const expirationDateTime = z.iso.datetime({ offset: true });

/** `POST /subscriptions`. Unknown properties are refused, so a typo cannot pass unnoticed. */
export const NewSubscriptionSchema = z
  .object({
    changeType,
    notificationUrl: endpointUrl,
    lifecycleNotificationUrl: endpointUrl.nullable().optional(),
    resource: z.string().min(1).max(1024),
    expirationDateTime,
    clientState: z.string().max(128).nullable().optional(),
    latestSupportedTlsVersion: z.enum(['v1_0', 'v1_1', 'v1_2', 'v1_3']).optional(),
    // Users and groups never carry resource data; Graph refuses rich notifications for them.
    includeResourceData: z.literal(false).optional(),
  })
  .strict();
export type NewSubscriptionBody = z.infer<typeof NewSubscriptionSchema>;

/**
 * `PATCH /subscriptions/{id}`: renew, or move the notification URL. `lifecycleNotificationUrl` is accepted by
 * the schema only so the route can answer Graph's own 400 (it can only be set at creation).
 */
export const SubscriptionPatchSchema = z
  .object({
    expirationDateTime: expirationDateTime.optional(),
    notificationUrl: endpointUrl.optional(),
    lifecycleNotificationUrl: z.unknown().optional(),
  })
  .strict();
export type SubscriptionPatchBody = z.infer<typeof SubscriptionPatchSchema>;
