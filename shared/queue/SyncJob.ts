import { z } from 'zod';
import { TenantIdSchema } from '../config/TenantConfig';

export const SyncJobSchema = z
  .object({
    jobId: z.string().min(1).max(128),
    tenantId: TenantIdSchema,
    resource: z.literal('users'),
    /** `full` re-reads everything (fresh delta round + sweep); `delta` continues from the saved token. */
    mode: z.enum(['delta', 'full']),
    trigger: z.enum(['manual', 'scheduled', 'notification', 'lifecycle', 'startup', 'cli']),
    /** Set when a run record was created before enqueueing (manual sync returns it to the caller). */
    runId: z.string().min(1).max(64).optional(),
    requestedAt: z.string().datetime(),
  })
  .strict();
export type SyncJob = z.infer<typeof SyncJobSchema>;
