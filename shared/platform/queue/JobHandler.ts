import { type SyncJob } from '../../app/jobs/SyncJob';

/** Consumes one delivery of a job. Throwing abandons the message: it is redelivered, then dead-lettered. */
export type JobHandler = (job: SyncJob, delivery: { deliveryCount: number; messageId: string }) => Promise<void>;
