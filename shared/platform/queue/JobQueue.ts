import { type SyncJob } from '../../app/jobs/SyncJob';

export interface EnqueueOptions {
  /** Duplicate detection: a second message with the same id inside the detection window is dropped. */
  messageId?: string;
  /** Delivered no earlier than this (debounce). */
  scheduledEnqueueTime?: Date;
}

/**
 * Port: the sync job queue. Messages carry sessionId = tenantId so one tenant's jobs run one at a time
 * (Service Bus sessions; the in-process queue honours the same contract).
 */
export interface JobQueue {
  enqueue(job: SyncJob, options?: EnqueueOptions): Promise<void>;
  close(): Promise<void>;
}
