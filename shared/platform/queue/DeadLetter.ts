import { type SyncJob } from '../../app/jobs/SyncJob';

/** A job that failed on every allowed delivery; kept for inspection like Service Bus's dead-letter queue. */
export interface DeadLetter {
  job: SyncJob;
  reason: string;
  deliveryCount: number;
}
