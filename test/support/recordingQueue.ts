import { type SyncJob } from '../../shared/app/jobs/SyncJob';
import { type EnqueueOptions, type JobQueue } from '../../shared/platform/queue/JobQueue';

/** A queue that keeps what is queued, so a test runs chains of jobs (poll cycles, timers) step by step at its own pace. */
export class RecordingQueue implements JobQueue {
  readonly jobs: { job: SyncJob; options: EnqueueOptions }[] = [];

  async enqueue(job: SyncJob, options: EnqueueOptions = {}): Promise<void> {
    this.jobs.push({ job, options });
  }

  async close(): Promise<void> {}

  /** Removes and returns everything queued so far. */
  take(): { job: SyncJob; options: EnqueueOptions }[] {
    return this.jobs.splice(0);
  }
}
