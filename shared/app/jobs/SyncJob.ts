import { z } from 'zod';
import { RUN_TRIGGERS } from '../../engine/RunStore';
import { TenantIdSchema } from '../../config/TenantConfig';
import { FeatureNameSchema, LaneSchema } from '../../features/FeatureName';

/**
 * The W3C trace context of the code that queued the job (version 00 only), so the worker's spans continue its
 * trace. Telemetry only: it never takes part in the message id or duplicate detection.
 */
export const TraceparentSchema = z.string().regex(/^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/);

const JobBase = {
  jobId: z.string().min(1).max(128),
  tenantId: TenantIdSchema,
  /** The tenant's queue session is tenant + lane: one writer per tenant and lane. */
  lane: LaneSchema,
  trigger: z.enum(RUN_TRIGGERS),
  requestedAt: z.string().datetime(),
  traceparent: TraceparentSchema.optional(),
};

/** Run one feature's sync for a tenant (users → extensions, …); the feature registry routes it. */
export const FeatureSyncJobSchema = z
  .object({
    ...JobBase,
    kind: z.literal('sync'),
    feature: FeatureNameSchema,
    /** `full` re-reads everything (fresh delta round + sweep); `delta` continues from the saved token. */
    mode: z.enum(['delta', 'full']),
    /** Set when a run record was created before enqueueing (manual sync returns it to the caller). */
    runId: z.string().min(1).max(64).optional(),
  })
  .strict();
export type FeatureSyncJob = z.infer<typeof FeatureSyncJobSchema>;

/**
 * Keep the tenant's Graph change-notification subscriptions as its options need them. It runs in the
 * tenant's directory session like a directory sync, so a renewal, a lifecycle event and a sync never race.
 * `maintain` creates what is missing, renews what expires soon and removes what is no longer wanted;
 * `reauthorize` and `recreate` answer a lifecycle event for one subscription.
 */
export const SubscriptionJobSchema = z
  .object({
    ...JobBase,
    kind: z.literal('subscriptions'),
    action: z.enum(['maintain', 'reauthorize', 'recreate']),
    subscriptionId: z.string().min(1).max(128).optional(),
  })
  .strict()
  .refine((job) => job.action === 'maintain' || job.subscriptionId !== undefined, {
    message: 'reauthorize and recreate name a subscriptionId',
    path: ['subscriptionId'],
  });
export type SubscriptionJob = z.infer<typeof SubscriptionJobSchema>;

/** A synced user as a presence batch carries it (the batch job reads no links). */
const PresenceBatchUserSchema = z
  .object({
    objectId: z.string().min(1).max(64),
    pbxUserId: z.string().min(1).max(128),
    extensionNumber: z.string().max(32),
    pbxUserName: z.string().min(1).max(128),
    origin: z.enum(['created', 'adopted']),
  })
  .strict();

/**
 * Teams presence polling, a chain of jobs per tenant in its realtime lane. A cycle job (no `batch`) lists the
 * synced users, queues its batches spread across the cycle and the next cycle; a batch job polls ≤ 650 users.
 * `slot` = ⌊epoch ms / poll period⌋ names the cycle: message ids and the stored slot keep one chain.
 */
export const PresenceJobSchema = z
  .object({
    ...JobBase,
    kind: z.literal('presence'),
    slot: z.number().int().min(0),
    batch: z
      .object({
        index: z.number().int().min(0),
        count: z.number().int().min(1),
        /** The batch owns the presence records after this id (exclusive) through `through` (inclusive). */
        after: z.string().min(1).max(64).optional(),
        through: z.string().min(1).max(64).optional(),
        reassert: z.boolean(),
        users: z.array(PresenceBatchUserSchema).min(1).max(650),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((job) => job.lane === 'realtime', { message: 'presence jobs run in the realtime lane', path: ['lane'] });
export type PresenceJob = z.infer<typeof PresenceJobSchema>;

/** One queue message. */
export const SyncJobSchema = z.discriminatedUnion('kind', [FeatureSyncJobSchema, SubscriptionJobSchema, PresenceJobSchema]);
export type SyncJob = z.infer<typeof SyncJobSchema>;

/** The queue session of a job: its tenant and lane. */
export function sessionOf(job: Pick<SyncJob, 'tenantId' | 'lane'>): string {
  return `${job.tenantId}/${job.lane}`;
}
