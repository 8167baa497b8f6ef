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

/** A synced user as a poll batch carries it (the batch job reads no links). */
const PollBatchUserSchema = z
  .object({
    objectId: z.string().min(1).max(64),
    pbxUserId: z.string().min(1).max(128),
    extensionNumber: z.string().max(32),
    pbxUserName: z.string().min(1).max(128),
    origin: z.enum(['created', 'adopted']),
  })
  .strict();

/**
 * Polling by a feature whose source has no app-only notifications (Teams presence): a chain of jobs per tenant
 * and feature in the feature's lane. A cycle job (no `batch`) queues the next cycle and the batches the feature
 * plans; a batch job polls its users. `slot` = ⌊epoch ms / poll period⌋ names the cycle: message ids and the
 * stored slot keep one chain.
 */
export const PollJobSchema = z
  .object({
    ...JobBase,
    kind: z.literal('poll'),
    feature: FeatureNameSchema,
    slot: z.number().int().min(0),
    batch: z
      .object({
        index: z.number().int().min(0),
        count: z.number().int().min(1),
        /** The batch owns the feature's per-user records after this key (exclusive) through `through` (inclusive). */
        after: z.string().min(1).max(64).optional(),
        through: z.string().min(1).max(64).optional(),
        reassert: z.boolean(),
        /** At most one Graph call's worth (650 ids); empty for a batch that only removes records. */
        users: z.array(PollBatchUserSchema).max(650),
      })
      .strict()
      .optional(),
  })
  .strict();
export type PollJob = z.infer<typeof PollJobSchema>;

/**
 * A moment a feature asked to be woken at (a meeting starts or ends): queued as a scheduled message for that time
 * and handed to the feature's onTimer. It carries what the feature planned it under (`key`); the feature drops it
 * when that plan has changed since, so a timer is never cancelled, only outdated.
 */
export const TimerJobSchema = z
  .object({
    ...JobBase,
    kind: z.literal('timer'),
    feature: FeatureNameSchema,
    /** What the timer is about (the calendar: a user's object id). */
    subject: z.string().min(1).max(128),
    key: z.string().min(1).max(128),
    at: z.string().datetime(),
  })
  .strict();
export type TimerJob = z.infer<typeof TimerJobSchema>;

/** One queue message. */
export const SyncJobSchema = z.discriminatedUnion('kind', [FeatureSyncJobSchema, SubscriptionJobSchema, PollJobSchema, TimerJobSchema]);
export type SyncJob = z.infer<typeof SyncJobSchema>;

/** The queue session of a job: its tenant and lane. */
export function sessionOf(job: Pick<SyncJob, 'tenantId' | 'lane'>): string {
  return `${job.tenantId}/${job.lane}`;
}
