import { z } from 'zod';
import { TenantIdSchema } from '../../config/TenantConfig';

const JobBase = {
  jobId: z.string().min(1).max(128),
  tenantId: TenantIdSchema,
  trigger: z.enum(['manual', 'scheduled', 'notification', 'lifecycle', 'startup', 'cli']),
  requestedAt: z.string().datetime(),
};

/** Sync the tenant's users to the PBX. */
export const UserSyncJobSchema = z
  .object({
    ...JobBase,
    resource: z.literal('users'),
    /** `full` re-reads everything (fresh delta round + sweep); `delta` continues from the saved token. */
    mode: z.enum(['delta', 'full']),
    /** Set when a run record was created before enqueueing (manual sync returns it to the caller). */
    runId: z.string().min(1).max(64).optional(),
  })
  .strict();
export type UserSyncJob = z.infer<typeof UserSyncJobSchema>;

/**
 * Keep the tenant's Graph change-notification subscriptions as its options need them. It runs in the
 * tenant's session like a sync, so a renewal, a lifecycle event and a sync never race each other.
 * `maintain` creates what is missing, renews what expires soon and removes what is no longer wanted;
 * `reauthorize` and `recreate` answer a lifecycle event for one subscription.
 */
export const SubscriptionJobSchema = z
  .object({
    ...JobBase,
    resource: z.literal('subscriptions'),
    action: z.enum(['maintain', 'reauthorize', 'recreate']),
    subscriptionId: z.string().min(1).max(128).optional(),
  })
  .strict()
  .refine((job) => job.action === 'maintain' || job.subscriptionId !== undefined, {
    message: 'reauthorize and recreate name a subscriptionId',
    path: ['subscriptionId'],
  });
export type SubscriptionJob = z.infer<typeof SubscriptionJobSchema>;

/** One queue message: the tenant is the session, so one tenant's jobs run one at a time. */
export const SyncJobSchema = z.discriminatedUnion('resource', [UserSyncJobSchema, SubscriptionJobSchema]);
export type SyncJob = z.infer<typeof SyncJobSchema>;
