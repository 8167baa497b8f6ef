/** Counters of the in-process queue since it was created. */
export interface QueueStats {
  /** Messages accepted (duplicates excluded). */
  enqueued: number;
  /** Messages dropped by duplicate detection. */
  deduplicated: number;
  /** Handler invocations, redeliveries included. */
  delivered: number;
  completed: number;
  /** Deliveries that failed and were scheduled again. */
  retried: number;
  deadLettered: number;
}
